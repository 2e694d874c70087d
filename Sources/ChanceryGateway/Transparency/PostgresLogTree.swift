import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The Merkle tree of the verifiable log in PostgreSQL (migration 0013): built from `audit.journal` and stored as its
/// perfect subtrees (`audit.tree_nodes`), so a root or a proof for any size reads O(log² n) rows, never the leaves.
///
/// The tree commits to the canonical events (journal rows with a hash; dead letters are not leaves) in journal
/// position order — the order in which the gateway committed them, which every replay and every restart keeps. There is
/// one tree per gateway shard; today there is one shard (0).
public struct PostgresLogTree: Sendable {
    let database: PostgresClient
    public let shard: Int

    public init(database: PostgresClient, shard: Int = 0) {
        self.database = database
        self.shard = shard
    }

    /// The number of leaves and the last journal position read.
    public func head() async throws -> (size: Int64, lastPosition: Int64) {
        let rows = try await database.query("SELECT size, last_position FROM audit.tree_head WHERE shard = \(shard)")
        guard let row = rows.first else { return (0, 0) }
        return (try row.decode(Int64.self, at: 0), try row.decode(Int64.self, at: 1))
    }

    /// Reads at most `batch` journal records after the tree's last position and appends their canonical events, all in
    /// one transaction (serialised by an advisory lock, so two servers never append twice). Stops at a gap in the
    /// journal positions (a group not yet committed) and resumes there on the next call.
    /// - Returns: the new size, its root, and how many journal records were read (0: caught up).
    @discardableResult
    public func extend(batch: Int = 20_000) async throws -> (size: Int64, root: Merkle.Hash, read: Int) {
        let shard = self.shard
        return try await database.transaction { c in
            _ = try await c.query("SELECT pg_advisory_xact_lock(5823117, \(Int32(shard)))")
            let headRows = try await c.query("SELECT size, last_position FROM audit.tree_head WHERE shard = \(shard)")
            let size = try headRows.first?.decode(Int64.self, at: 0) ?? 0
            var last = try headRows.first?.decode(Int64.self, at: 1) ?? 0
            var frontier = try MerkleFrontier(size: size, nodes: try await Self.nodes(Merkle.perfectSubtrees(0..<size), on: c))
            let rows = try await c.query("SELECT position, hash FROM audit.journal WHERE position > \(last) ORDER BY position LIMIT \(batch)")
            var leaves: [[String?]] = []
            var nodes: [[String?]] = []
            var read = 0
            for row in rows {
                let position = try row.decode(Int64.self, at: 0)
                guard position == last + 1 else { break }  // a gap: that group is not committed yet
                last = position
                read += 1
                guard let hex = try row.decode(String?.self, at: 1) else { continue }  // a dead letter
                guard let leaf = Merkle.eventLeafHash(hex: hex) else {
                    throw JournalError("the journal record at position \(position) has a malformed hash '\(hex)'")
                }
                leaves.append([String(frontier.size), String(position)])
                for n in frontier.append(leafHash: leaf) {
                    nodes.append([String(n.id.level), String(n.id.index), "\\x" + Merkle.hex(n.hash)])
                }
            }
            if read > 0 {
                if !leaves.isEmpty {
                    _ = try await c.copyFrom("COPY audit.tree_leaves (leaf_index, position) FROM STDIN", rows: leaves)
                    _ = try await c.copyFrom("COPY audit.tree_nodes (level, node_index, hash) FROM STDIN", rows: nodes)
                }
                _ = try await c.execute(
                    """
                    INSERT INTO audit.tree_head (shard, size, last_position) VALUES (\(shard), \(frontier.size), \(last))
                    ON CONFLICT (shard) DO UPDATE SET size = excluded.size, last_position = excluded.last_position
                    """)
            }
            return (frontier.size, frontier.root, read)
        }
    }

    /// Extends the tree until it has read the whole journal (as far as it is gap-free).
    @discardableResult
    public func catchUp(batch: Int = 20_000) async throws -> (size: Int64, root: Merkle.Hash) {
        while true {
            let step = try await extend(batch: batch)
            if step.read < batch { return (step.size, step.root) }
        }
    }

    static func nodes(_ ids: [Merkle.NodeID], on c: PostgresConnection) async throws -> [Merkle.NodeID: Merkle.Hash] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await c.query(
            """
            SELECT n.level, n.node_index, n.hash FROM audit.tree_nodes n
            JOIN unnest(\(ids.map { Int16($0.level) })::smallint[], \(ids.map(\.index))::bigint[]) AS want(level, node_index) USING (level, node_index)
            """)
        var out: [Merkle.NodeID: Merkle.Hash] = [:]
        for row in rows {
            out[Merkle.NodeID(level: Int(try row.decode(Int16.self, at: 0)), index: try row.decode(Int64.self, at: 1))] = Array(try row.decode(Data.self, at: 2))
        }
        return out
    }

    /// The stored hashes of `ranges` (aligned ranges of a tree no larger than the stored one), in one query.
    func hashes(of ranges: [Range<Int64>]) async throws -> [Merkle.Hash] {
        let ids = Array(Set(ranges.flatMap(Merkle.perfectSubtrees)))
        let nodes = try await database.withConnection { try await Self.nodes(ids, on: $0) }
        return try ranges.map { try Merkle.hash(of: $0, nodes: nodes) }
    }

    /// The root of the tree of `size` leaves.
    /// - Throws: ``MerkleError`` when the tree is smaller.
    public func root(size: Int64) async throws -> Merkle.Hash {
        try await requireSize(size)
        return try await hashes(of: [0..<size])[0]
    }

    /// The leaf hash of leaf `index` and its inclusion proof in the tree of `size` leaves.
    public func inclusionProof(index: Int64, size: Int64) async throws -> (leafHash: Merkle.Hash, proof: [Merkle.Hash]) {
        try await requireSize(size)
        guard index >= 0, index < size else { throw MerkleError("leaf index \(index) is not in a tree of \(size) leaves") }
        let ranges = Merkle.inclusionRanges(index: index, size: size)
        let all = try await hashes(of: [index..<(index + 1)] + ranges)
        return (all[0], Array(all.dropFirst()))
    }

    /// The consistency proof from the tree of `from` leaves to the tree of `to` leaves.
    public func consistencyProof(from: Int64, to: Int64) async throws -> [Merkle.Hash] {
        try await requireSize(to)
        guard 0 <= from, from <= to else { throw MerkleError("from (\(from)) must be between 0 and to (\(to))") }
        return try await hashes(of: Merkle.consistencyRanges(from: from, to: to))
    }

    /// The leaf index of the canonical event at journal `position`, or nil (a dead letter, or not in the tree yet).
    public func leafIndex(position: Int64) async throws -> Int64? {
        try await database.query("SELECT leaf_index FROM audit.tree_leaves WHERE position = \(position)").first?.decode(Int64.self, at: 0)
    }

    /// The journal position of leaf `index`, or nil.
    public func position(leafIndex: Int64) async throws -> Int64? {
        try await database.query("SELECT position FROM audit.tree_leaves WHERE leaf_index = \(leafIndex)").first?.decode(Int64.self, at: 0)
    }

    private func requireSize(_ size: Int64) async throws {
        let current = try await head().size
        guard size >= 0, size <= current else { throw MerkleError("the tree has \(current) leaves; no tree of \(size)") }
    }
}
