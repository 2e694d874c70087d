import ArgumentParser
import AsyncHTTPClient
import ChanceryDomain
import Foundation
import NIOCore
import NIOHTTP1

/// `chancery proof inclusion|consistency`: fetches a proof from a server and checks it offline against signed
/// checkpoints (README, "The verifiable log"). Exit status 0 when the proof and the checkpoints verify, 1 when they do
/// not; the verdict is the last line of standard output.
struct ProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof", abstract: "Fetch an inclusion or consistency proof and check it offline against the signed checkpoints.",
        subcommands: [Inclusion.self, Consistency.self])

    /// Where the proofs come from and which key the checkpoints must be signed with.
    struct ServerOptions: ParsableArguments {
        @Option(help: "The verifier key, or a file holding it (GET /v1/audit/key, chancery audit key). Without it the server's own key is used, which proves less: pin the key.")
        var key: String?

        @Option(help: "Base URL of the Chancery API.")
        var url: String = "http://127.0.0.1:8080"
    }

    /// An HTTP client of the public `/v1/audit/*` endpoints, and the checks an auditor makes offline.
    struct Auditor {
        var url: String
        var verifier: NoteVerifier

        /// Reads the pinned key, or (without `--key`) the server's.
        static func connect(_ options: ServerOptions) async throws -> Auditor {
            if let key = options.key { return Auditor(url: options.url, verifier: try AuditCommand.verifier(key)) }
            let served = try await get(options.url, "/v1/audit/key")
            return Auditor(url: options.url, verifier: try AuditCommand.verifier(served.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        static func get(_ base: String, _ path: String) async throws -> String {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(30))
            let body = String(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024))
            guard response.status == .ok else { throw ServerRefusal(description: "GET \(path): \(response.status.code) \(body)") }
            return body
        }

        func get(_ path: String) async throws -> String { try await Self.get(url, path) }

        /// The newest checkpoint, its signature checked; prints FAILED and exits 1 when it does not verify.
        func latestCheckpoint() async throws -> Checkpoint {
            try open(try await get("/v1/audit/checkpoints/latest"), what: "the newest checkpoint")
        }

        /// The signed checkpoint of exactly `size` leaves, its signature checked.
        func checkpoint(size: Int64) async throws -> Checkpoint {
            struct Page: Decodable {
                struct Entry: Decodable { var treeSize: Int64; var note: String }
                var checkpoints: [Entry]
            }
            let page = try JSONDecoder().decode(Page.self, from: Data(try await get("/v1/audit/checkpoints?before=\(size + 1)&limit=1").utf8))
            guard let entry = page.checkpoints.first, entry.treeSize == size else {
                throw ServerRefusal(description: "the server holds no checkpoint of tree size \(size): pass the sizes of two signed checkpoints (GET /v1/audit/checkpoints)")
            }
            return try open(entry.note, what: "the checkpoint of size \(size)")
        }

        /// Opens a signed note with the pinned key.
        func open(_ note: String, what: String) throws -> Checkpoint {
            do { return try Checkpoint.open(note, verifier: verifier) } catch {
                print("FAILED: \(what) does not verify with \(verifier.name)+\(Merkle.hex(verifier.keyID)): \(error)")
                throw ExitCode(1)
            }
        }
    }

    /// The server did not give what was asked (exit status 1, as for a proof that does not verify).
    struct ServerRefusal: Error, CustomStringConvertible {
        var description: String
    }

    static func hashes(_ texts: [String]) throws -> [Merkle.Hash] {
        try texts.map { text in
            guard let d = Data(base64Encoded: text), d.count == 32 else { throw ValidationError("a proof hash is not 32 bytes of base64: \(text)") }
            return Array(d)
        }
    }

    static func base64(_ hash: Merkle.Hash) -> String { Data(hash).base64EncodedString() }

    struct Inclusion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that one event is in the log: its audit path checked against the newest signed checkpoint (RFC 9162 §2.1.3.2).",
            discussion: """
                Name the event by its CloudEvents source and id (chancery proof inclusion /430424/departments/planning 2026-000123-1), \
                or by its journal position (--position, the Kafka header chancery-position). The leaf is recomputed from the \
                event's hash (SHA-256(0x00 ‖ hash)); the server's leaf and root are not trusted.
                """)

        @Argument(help: "CloudEvents source of the event.")
        var source: String?

        @Argument(help: "CloudEvents id of the event.")
        var id: String?

        @Option(help: "Journal position of the event instead of source and id.")
        var position: Int64?

        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (source == nil) == (id == nil) else { throw ValidationError("give both the source and the id of the event") }
            guard (position == nil) != (source == nil) else { throw ValidationError("name the event by source and id, or by --position (not both)") }
            if let position, position < 1 { throw ValidationError("--position must be at least 1") }
        }

        struct Proof: Decodable {
            var leafIndex: Int64
            var position: Int64
            var treeSize: Int64
            var eventHash: String
            var hashes: [String]
        }

        func run() async throws {
            let auditor = try await Auditor.connect(server)
            let checkpoint = try await auditor.latestCheckpoint()
            var query = "treeSize=\(checkpoint.size)"
            if let position {
                query += "&position=\(position)"
            } else {
                query += "&source=\(Self.escaped(source!))&id=\(Self.escaped(id!))"
            }
            let proof = try JSONDecoder().decode(Proof.self, from: Data(try await auditor.get("/v1/audit/proofs/inclusion?\(query)").utf8))
            let named = position == nil ? "\(source!) \(id!)" : "the event"
            print("event:      \(named) at journal position \(proof.position), hash \(proof.eventHash)")
            print("leaf:       \(proof.leafIndex) of \(proof.treeSize)")
            print("checkpoint: \(checkpoint.origin) size \(checkpoint.size) root \(ProofCommand.base64(checkpoint.rootHash))")
            print("audit path: \(proof.hashes.count) hashes")
            for h in proof.hashes { print("  \(h)") }
            guard let leaf = Merkle.eventLeafHash(hex: proof.eventHash) else {
                print("FAILED: the event hash '\(proof.eventHash)' is malformed")
                throw ExitCode(1)
            }
            guard proof.treeSize == checkpoint.size,
                  Merkle.verifyInclusion(leafHash: leaf, index: proof.leafIndex, size: checkpoint.size, proof: try ProofCommand.hashes(proof.hashes), root: checkpoint.rootHash) else {
                print("FAILED: \(named) (position \(proof.position), hash \(proof.eventHash)) is not proven in the checkpoint of size \(checkpoint.size)")
                throw ExitCode(1)
            }
            print("OK: \(named) (position \(proof.position), leaf \(proof.leafIndex)) is in \(checkpoint.origin) at tree size \(checkpoint.size)")
        }

        /// Percent-encodes a query value (everything but the unreserved characters).
        static func escaped(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? s
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that the log of size2 extends the log of size1: both signed checkpoints checked, then the consistency proof (RFC 9162 §2.1.4.2).",
            discussion: """
                size1 and size2 must be sizes of signed checkpoints (GET /v1/audit/checkpoints); size2 defaults to the newest. \
                With --old-checkpoint, the older checkpoint is a note the auditor saved earlier instead of the server's copy: \
                this proves that the log has only grown since the auditor saw it.
                """)

        @Argument(help: "Tree size of the older checkpoint.")
        var size1: Int64?

        @Argument(help: "Tree size of the newer checkpoint (default: the newest).")
        var size2: Int64?

        @Option(name: .customLong("old-checkpoint"), help: "A saved signed note to use as the older checkpoint (instead of size1).")
        var oldCheckpoint: String?

        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (size1 == nil) != (oldCheckpoint == nil) else { throw ValidationError("give size1 or --old-checkpoint") }
            if let size1, size1 < 1 { throw ValidationError("size1 must be at least 1") }
            if let size1, let size2, size2 < size1 { throw ValidationError("size2 (\(size2)) must not be smaller than size1 (\(size1))") }
        }

        struct Proof: Decodable {
            var from: Int64
            var to: Int64
            var hashes: [String]
        }

        func run() async throws {
            let auditor = try await Auditor.connect(server)
            let old: Checkpoint
            if let oldCheckpoint {
                old = try auditor.open(try String(contentsOfFile: oldCheckpoint, encoding: .utf8), what: oldCheckpoint)
            } else {
                old = try await auditor.checkpoint(size: size1!)
            }
            let new = if let size2 { try await auditor.checkpoint(size: size2) } else { try await auditor.latestCheckpoint() }
            guard new.size >= old.size else { throw ValidationError("the newer checkpoint (\(new.size)) is smaller than the older one (\(old.size))") }
            let proof = try JSONDecoder().decode(Proof.self, from: Data(try await auditor.get("/v1/audit/proofs/consistency?from=\(old.size)&to=\(new.size)").utf8))
            print("older:  \(old.origin) size \(old.size) root \(ProofCommand.base64(old.rootHash))")
            print("newer:  \(new.origin) size \(new.size) root \(ProofCommand.base64(new.rootHash))")
            print("proof:  \(proof.hashes.count) hashes")
            for h in proof.hashes { print("  \(h)") }
            guard proof.from == old.size, proof.to == new.size,
                  Merkle.verifyConsistency(from: old.size, to: new.size, firstRoot: old.rootHash, secondRoot: new.rootHash,
                                           proof: try ProofCommand.hashes(proof.hashes)) else {
                print("FAILED: the checkpoint of size \(new.size) is not consistent with the checkpoint of size \(old.size): the log was rewritten, not only appended to")
                throw ExitCode(1)
            }
            print("OK: the log of size \(new.size) extends the log of size \(old.size) (append-only between the two checkpoints)")
        }
    }
}
