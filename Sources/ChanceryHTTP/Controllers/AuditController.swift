import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The verifiable log (README, "The verifiable log"): signed checkpoints, the verifier key, and inclusion and
/// consistency proofs. Public: checkpoints and proofs disclose only hashes, and anyone may check them offline.
///
/// - `GET /v1/audit/checkpoints?treeSizeFrom=&treeSizeTo=&signedFrom=&signedTo=&limit=&after=` — newest first:
///   `{"checkpoints": [{treeSize, rootHash, time, note}], "next": <cursor>|null}` (``checkpointList``).
/// - `GET /v1/audit/checkpoints/latest` — the newest signed note, `text/plain`.
/// - `GET /v1/audit/key` — the verifier key, `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`, `text/plain`.
/// - `GET /v1/audit/proofs/inclusion?position=|index=|source=&id=&treeSize=` — the inclusion proof of one canonical event.
/// - `GET /v1/audit/proofs/consistency?from=&to=` — the consistency proof between two tree sizes.
public struct AuditController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    let tree: PostgresLogTree

    public init(database: PostgresClient, shard: Int = 0) {
        self.database = database
        self.tree = PostgresLogTree(database: database, shard: shard)
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("audit/checkpoints", use: checkpoints)
        group.get("audit/checkpoints/latest", use: latest)
        group.get("audit/key", use: key)
        group.get("audit/proofs/inclusion", use: inclusion)
        group.get("audit/proofs/consistency", use: consistency)
    }

    static func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }


    static func parameter(_ request: Request, _ name: String, minimum: Int64 = 0) throws -> Int64? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let n = Int64(text), n >= minimum else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "\(name) must be an integer of at least \(minimum), not '\(text)'")
        }
        return n
    }

    static func notFound(_ detail: String) -> Problem { Problem(.notFound, code: "not-found", title: "Not Found", detail: detail) }

    /// `GET /v1/audit/checkpoints` on the list contract of the read API (``ListSpec``): newest (largest tree size) first,
    /// keyset-paged by tree size with an opaque cursor (`after`, `next`), `Accept: text/csv`, ETags. Filters:
    /// `treeSizeFrom`, `treeSizeTo` (tree sizes, inclusive), `signedFrom`, `signedTo` (`YYYY-MM-DD`, days of signing in
    /// UTC, inclusive) and `before` (only smaller tree sizes; the paging of earlier versions, kept for their clients).
    static let checkpointList = ListSpec(
        from: "audit.checkpoints",
        columns: [
            .init(name: "treeSize", sql: "tree_size"), .init(name: "rootHash", sql: "encode(root_hash, 'base64')"),
            .init(name: "time", sql: #"to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#), .init(name: "note", sql: "note"),
        ],
        key: "tree_size",
        filters: [
            .atLeast("treeSizeFrom", "tree_size", minimum: 1), .atMost("treeSizeTo", "tree_size", minimum: 1),
            .onOrAfter("signedFrom", "(time AT TIME ZONE 'UTC')::date"), .onOrBefore("signedTo", "(time AT TIME ZONE 'UTC')::date"),
            .below("before", "tree_size", minimum: 1),
        ],
        integerKey: true, descending: true)

    @Sendable func checkpoints(request: Request, context: Context) async throws -> Response {
        if ListSpec.wantsCSV(request) { return try await Self.checkpointList.csv(request, database: database, logger: context.logger) }
        let page = try await Self.checkpointList.page(request, database: database)
        return ReadController.raw("{\"checkpoints\":\(page.rows),\"next\":\(ListSpec.nextJSON(page.next))}")
    }

    @Sendable func latest(request: Request, context: Context) async throws -> Response {
        guard let row = try await database.query("SELECT note FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1").first else {
            throw Self.notFound("no checkpoint has been signed yet")
        }
        return Self.text(try row.decode(String.self, at: 0))
    }

    @Sendable func key(request: Request, context: Context) async throws -> Response {
        guard let row = try await database.query("SELECT verifier_key FROM audit.checkpoint_keys ORDER BY first_used DESC, first_tree_size DESC LIMIT 1").first else {
            throw Self.notFound("no checkpoint key has been used yet (the server runs without checkpoints)")
        }
        return Self.text(try row.decode(String.self, at: 0) + "\n")
    }

    struct InclusionProof: Encodable {
        var leafIndex: Int64
        var position: Int64
        var treeSize: Int64
        var eventHash: String
        var leafHash: String
        var rootHash: String
        var hashes: [String]
    }

    /// The tree size a proof is asked for: the given one, else the newest checkpoint's.
    func treeSize(_ given: Int64?) async throws -> Int64 {
        if let given { return given }
        guard let row = try await database.query("SELECT max(tree_size) FROM audit.checkpoints").first, let size = try row.decode(Int64?.self, at: 0) else {
            throw Self.notFound("no checkpoint has been signed yet: pass treeSize")
        }
        return size
    }

    /// A CloudEvents `source` or `id` query parameter: 1 to 1,024 bytes of UTF-8 without NUL (what the gateway accepts).
    static func eventKey(_ request: Request, _ name: String) throws -> String? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard !text.isEmpty, text.utf8.count <= 1024, !text.unicodeScalars.contains("\u{0}") else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "\(name) must be 1 to 1,024 bytes of UTF-8 without NUL")
        }
        return text
    }

    /// The journal position of the canonical event (`source`, `id`), found through the projector's `audit.events`
    /// (which holds every projected event once, unique by source and id) and the journal's (subject, sequence) index.
    func position(source: String, id: String) async throws -> Int64 {
        let rows = try await database.query(
            """
            SELECT j.position FROM audit.events e JOIN audit.journal j ON j.subject = e.subject AND j.sequence = e.sequence AND j.hash = e.hash
            WHERE e.source = \(source) AND e.id = \(id) ORDER BY j.position LIMIT 1
            """)
        guard let position = try rows.first?.decode(Int64.self, at: 0) else {
            throw Self.notFound("no canonical event with source \(source) and id \(id) in the log of record (or not projected yet: pass its position)")
        }
        return position
    }

    @Sendable func inclusion(request: Request, context: Context) async throws -> Response {
        var position = try Self.parameter(request, "position", minimum: 1)
        let index = try Self.parameter(request, "index")
        let source = try Self.eventKey(request, "source"), id = try Self.eventKey(request, "id")
        guard (source == nil) == (id == nil) else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "pass source and id together (the CloudEvents pair that identifies an event)")
        }
        guard [position != nil, index != nil, source != nil].filter({ $0 }).count == 1 else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "pass exactly one of position (journal position), index (leaf index) and source with id")
        }
        let size = try await treeSize(try Self.parameter(request, "treeSize", minimum: 1))
        if let source, let id { position = try await self.position(source: source, id: id) }
        let leafIndex: Int64
        let leafPosition: Int64
        if let position {
            guard let i = try await tree.leafIndex(position: position) else {
                throw Self.notFound("journal position \(position) is not a leaf of the tree: a dead letter, or not in the tree yet")
            }
            (leafIndex, leafPosition) = (i, position)
        } else {
            guard let p = try await tree.position(leafIndex: index!) else { throw Self.notFound("no leaf \(index!) in the tree yet") }
            (leafIndex, leafPosition) = (index!, p)
        }
        guard leafIndex < size else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "leaf \(leafIndex) (position \(leafPosition)) is not in the tree of \(size) leaves: ask for a larger treeSize")
        }
        let proof: (leafHash: Merkle.Hash, proof: [Merkle.Hash])
        let root: Merkle.Hash
        do {
            proof = try await tree.inclusionProof(index: leafIndex, size: size)
            root = try await tree.root(size: size)
        } catch let error as MerkleError {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: error.description)
        }
        let hash = try await database.query("SELECT hash FROM audit.journal WHERE position = \(leafPosition)").first?.decode(String.self, at: 0) ?? ""
        return try Self.json(InclusionProof(
            leafIndex: leafIndex, position: leafPosition, treeSize: size, eventHash: hash, leafHash: Data(proof.leafHash).base64EncodedString(),
            rootHash: Data(root).base64EncodedString(), hashes: proof.proof.map { Data($0).base64EncodedString() }))
    }

    struct ConsistencyProof: Encodable {
        var from: Int64
        var to: Int64
        var hashes: [String]
    }

    @Sendable func consistency(request: Request, context: Context) async throws -> Response {
        guard let from = try Self.parameter(request, "from", minimum: 1) else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "from (the older tree size) is required")
        }
        let to = try await treeSize(try Self.parameter(request, "to", minimum: 1))
        guard from <= to else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "from (\(from)) must not exceed to (\(to))")
        }
        do {
            let hashes = try await tree.consistencyProof(from: from, to: to)
            return try Self.json(ConsistencyProof(from: from, to: to, hashes: hashes.map { Data($0).base64EncodedString() }))
        } catch let error as MerkleError {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: error.description)
        }
    }
}
