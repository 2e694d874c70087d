import ChanceryDomain
import ChanceryPostgres
import Foundation

/// What `verify` checks besides the chains: that the consumers read nothing the log of record does not hold
/// (``forgedRecords(database:explained:)``), and that every signed checkpoint verifies and describes this log
/// (``checkpoints(database:pinned:)``). README, "Auditors".
public enum RecordComparison {
    /// Records the consumers read from a canonical topic that the log of record does not hold: produced straight into
    /// the topic by someone other than the gateway (the gateway writes every record to the journal before it produces
    /// it). The consumers' own record of what they read is compared with the journal:
    ///
    /// - `audit.events` (every event the projector applied, with topic, partition and offset): an event whose subject,
    ///   sequence and hash no journal row holds;
    /// - `audit.quarantine` (every record a consumer refused): a record whose bytes no journal row holds.
    ///
    /// - Parameter explained: (subject, sequence) pairs the chain findings already account for (a journal row removed
    ///   or changed after the projector read it is not a forgery in Kafka).
    /// - Returns: one ``ChainFinding/Kind/forged`` finding per such record.
    public static func forgedRecords(database: PostgresClient, explained: Set<StreamSequence>) async throws -> [ChainFinding] {
        var findings: [ChainFinding] = []
        let applied = try await database.query(
            """
            SELECT e.subject, e.sequence, e.id, e.topic, e.partition, e."offset" FROM audit.events e
            WHERE NOT EXISTS (SELECT 1 FROM audit.journal j WHERE j.subject = e.subject AND j.sequence = e.sequence AND j.hash = e.hash)
            ORDER BY e.topic, e.partition, e."offset"
            """)
        for row in applied {
            let subject = try row.decode(String.self, at: 0), sequence = try row.decode(Int64.self, at: 1)
            guard !explained.contains(StreamSequence(subject: subject, sequence: sequence)) else { continue }
            findings.append(ChainFinding(
                kind: .forged, position: nil, subject: subject, sequence: sequence,
                detail: "event \(try row.decode(String.self, at: 2)) was read from \(try row.decode(String.self, at: 3)) partition \(try row.decode(Int32.self, at: 4)) "
                    + "offset \(try row.decode(Int64.self, at: 5)) and applied by the projector, but the log of record does not hold it: "
                    + "it was produced into the topic, not appended through the gateway"))
        }
        let quarantined = try await database.query(
            """
            SELECT q.consumer_group, q.topic, q.partition, q."offset", q.subject, q.reason FROM audit.quarantine q
            WHERE NOT EXISTS (SELECT 1 FROM audit.journal j WHERE (q.subject IS NULL OR j.subject = q.subject) AND j.value = q.record)
            ORDER BY q.topic, q.partition, q."offset", q.consumer_group
            """)
        for row in quarantined {
            let subject = try row.decode(String?.self, at: 4)
            let reason = try row.decode(String.self, at: 5)
            findings.append(ChainFinding(
                kind: .forged, position: nil, subject: subject, sequence: nil,
                detail: "a record of \(try row.decode(String.self, at: 1)) partition \(try row.decode(Int32.self, at: 2)) offset \(try row.decode(Int64.self, at: 3)), "
                    + "quarantined by \(try row.decode(String.self, at: 0)) (\(reason.prefix(120))), is not in the log of record: "
                    + "it was produced into the topic, not appended through the gateway"))
        }
        return findings
    }

    /// `report` (the chains) with the forged records and the checkpoint findings added.
    public static func complete(_ report: ChainReport, database: PostgresClient) async throws -> ChainReport {
        let chainKinds: Set<ChainFinding.Kind> = [.changed, .removed, .reordered, .duplicated, .inserted, .brokenLink]
        let explained = Set(report.findings.compactMap { f -> StreamSequence? in
            guard chainKinds.contains(f.kind), let subject = f.subject, let sequence = f.sequence else { return nil }
            return StreamSequence(subject: subject, sequence: sequence)
        })
        let more = try await forgedRecords(database: database, explained: explained) + checkpoints(database: database)
        guard !more.isEmpty else { return report }
        var out = report
        out.findings += more
        for f in more { out.counts[f.kind.rawValue, default: 0] += 1 }
        out.ok = false
        return out
    }

    /// A stream and a sequence in it.
    public struct StreamSequence: Hashable, Sendable {
        /// The stream id.
        public var subject: String
        /// The event's sequence in it.
        public var sequence: Int64
        /// A stream and a sequence in it.
        public init(subject: String, sequence: Int64) {
            self.subject = subject
            self.sequence = sequence
        }
    }

    /// Checks every checkpoint in `audit.checkpoints`, and every one the log carries as a CheckpointSigned event (a
    /// restored log brings the original's; their signature is checked when a key of their origin is known), oldest first:
    ///
    /// - ``ChainFinding/Kind/checkpointAltered``: its note does not verify with any of `pinned` (default: every key the
    ///   log has signed with, `audit.checkpoint_keys`), or its stored tree size or root differs from the signed note;
    /// - ``ChainFinding/Kind/checkpointInconsistent``: signed, but not consistent with the previous signed checkpoint —
    ///   the RFC 9162 §2.1.4 consistency proof between their sizes, read from the stored tree (`audit.tree_nodes`), does
    ///   not lead from the older root to this one: no append-only log holds both;
    /// - ``ChainFinding/Kind/checkpointMismatch``: signed and consistent, but its root is not the root of the first
    ///   *size* events of the journal (recomputed here from the journal's hashes in position order): the journal was
    ///   changed after the checkpoint was signed (events removed, reordered or inserted, also at the end of the log,
    ///   where no chain shows it).
    public static func checkpoints(database: PostgresClient, pinned: [NoteVerifier]? = nil, chunk: Int = 20_000) async throws -> [ChainFinding] {
        let rows = try await database.query("SELECT tree_size, root_hash, note FROM audit.checkpoints ORDER BY tree_size")
        let carried = try await database.query(
            "SELECT position, value FROM audit.journal WHERE subject LIKE 'checkpoint/%' AND hash IS NOT NULL ORDER BY position")
        guard !rows.isEmpty || !carried.isEmpty else { return [] }
        var verifiers = pinned ?? []
        if pinned == nil {
            for row in try await database.query("SELECT verifier_key FROM audit.checkpoint_keys") {
                if let v = try? NoteVerifier(encoded: try row.decode(String.self, at: 0)) { verifiers.append(v) }
            }
        }
        var findings: [ChainFinding] = []
        var signed: [Signed] = []
        var storedNotes = Set<String>()
        for row in rows {
            let size = try row.decode(Int64.self, at: 0), root = Array(try row.decode(Data.self, at: 1)), note = try row.decode(String.self, at: 2)
            storedNotes.insert(note)
            guard let checkpoint = verifiers.lazy.compactMap({ try? Checkpoint.open(note, verifier: $0) }).first else {
                findings.append(finding(.checkpointAltered, size, "the signed note of the checkpoint of tree size \(size) does not verify with "
                    + (pinned == nil ? "any key the log has signed with (audit.checkpoint_keys)" : "the given verifier key")
                    + ": its signature, size or root was altered"))
                continue
            }
            guard checkpoint.size == size, checkpoint.rootHash == root else {
                findings.append(finding(.checkpointAltered, size, "the checkpoint of tree size \(size) stores size \(size) and root \(Data(root).base64EncodedString()), "
                    + "but its signed note says size \(checkpoint.size) and root \(Data(checkpoint.rootHash).base64EncodedString())"))
                continue
            }
            signed.append(Signed(checkpoint: checkpoint, position: nil))
        }
        // The checkpoints the log carries as CheckpointSigned events and that are not stored here (a restored log brings the
        // original's): their signature is checked when a key of their origin is known, their root always.
        let decoder = JSONDecoder()
        for row in carried {
            let position = try row.decode(Int64.self, at: 0)
            guard let event = try? decoder.decode(CloudEvent.self, from: Data(try row.decode([UInt8].self, at: 1))),
                  event.type == EventCatalog.named("CheckpointSigned").type, let note = event.data["note"]?.stringValue, !storedNotes.contains(note) else { continue }
            let size = event.data["treeSize"]?.integerValue ?? 0
            guard let text = Self.unverified(note), text.size == size, Data(text.rootHash).base64EncodedString() == event.data["rootHash"]?.stringValue else {
                var f = finding(.checkpointAltered, size, "the CheckpointSigned event at position \(position) holds a note that is not a checkpoint of its treeSize and rootHash")
                f.position = position
                findings.append(f)
                continue
            }
            let keys = verifiers.filter { $0.name == text.origin }
            if !keys.isEmpty, !keys.contains(where: { (try? Checkpoint.open(note, verifier: $0)) != nil }) {
                var f = finding(.checkpointAltered, size, "the note of the CheckpointSigned event at position \(position) does not verify with the keys of \(text.origin): its signature, size or root was altered")
                f.position = position
                findings.append(f)
                continue
            }
            signed.append(Signed(checkpoint: text, position: position))
        }
        signed.sort { ($0.checkpoint.size, $0.position ?? 0) < ($1.checkpoint.size, $1.position ?? 0) }
        // The roots of the journal's tree at every signed size, in one pass over the hashes.
        let roots = try await journalRoots(at: Set(signed.map(\.checkpoint.size)), database: database, chunk: chunk)
        let tree = PostgresLogTree(database: database)
        let stored = try await tree.head().size
        var previous: Checkpoint?
        for entry in signed {
            let checkpoint = entry.checkpoint
            func report(_ kind: ChainFinding.Kind, _ detail: String) {
                var f = finding(kind, checkpoint.size, detail)
                f.position = entry.position
                findings.append(f)
            }
            let what = entry.position.map { "the checkpoint carried by the CheckpointSigned event at position \($0)" } ?? "the signed checkpoint"
            if let p = previous, p.size == checkpoint.size, p.rootHash == checkpoint.rootHash { continue }  // the same checkpoint twice
            defer { previous = checkpoint }
            if let previous, previous.size <= checkpoint.size {
                var consistent = true
                if checkpoint.size <= stored {
                    let proof = try await tree.consistencyProof(from: previous.size, to: checkpoint.size)
                    consistent = Merkle.verifyConsistency(from: previous.size, to: checkpoint.size, firstRoot: previous.rootHash,
                                                          secondRoot: checkpoint.rootHash, proof: proof)
                } else if roots.sizes[previous.size] == previous.rootHash {
                    consistent = roots.sizes[checkpoint.size] == checkpoint.rootHash
                }
                if !consistent {
                    report(.checkpointInconsistent,
                        "\(what) of tree size \(checkpoint.size) (root \(Data(checkpoint.rootHash).base64EncodedString())) is not consistent with the earlier "
                        + "checkpoint of tree size \(previous.size) (root \(Data(previous.rootHash).base64EncodedString())): no consistency proof leads from one to the other")
                    continue
                }
            }
            guard let root = roots.sizes[checkpoint.size] else {
                report(.checkpointMismatch, "\(what) of tree size \(checkpoint.size) names more events than the journal holds (\(roots.leaves)): events were removed after it was signed")
                continue
            }
            if root != checkpoint.rootHash {
                report(.checkpointMismatch, "the root of the journal's first \(checkpoint.size) events is \(Data(root).base64EncodedString()), \(what) says "
                    + "\(Data(checkpoint.rootHash).base64EncodedString()): the journal was changed after the checkpoint was signed")
            }
        }
        return findings
    }

    /// A signed checkpoint and, when the log carries it as an event, that event's journal position.
    struct Signed {
        var checkpoint: Checkpoint
        var position: Int64?
    }

    /// The checkpoint text of a signed note (origin, size, root), its signature not checked; nil when malformed.
    static func unverified(_ note: String) -> Checkpoint? {
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, let size = Int64(lines[1]), size >= 0, let root = Data(base64Encoded: String(lines[2])), root.count == 32 else { return nil }
        return Checkpoint(origin: String(lines[0]), size: size, rootHash: Array(root))
    }

    static func finding(_ kind: ChainFinding.Kind, _ size: Int64, _ detail: String) -> ChainFinding {
        var f = ChainFinding(kind: kind, position: nil, subject: nil, sequence: nil, detail: detail)
        f.treeSize = size
        return f
    }

    /// The Merkle roots of the journal's canonical events (its `hash` column, in position order) at each of `sizes`, and
    /// the number of leaves in all.
    static func journalRoots(at sizes: Set<Int64>, database: PostgresClient, chunk: Int) async throws -> (sizes: [Int64: Merkle.Hash], leaves: Int64) {
        var out: [Int64: Merkle.Hash] = [:]
        guard let largest = sizes.max() else { return (out, 0) }
        var frontier = MerkleFrontier()
        var after: Int64 = 0
        if sizes.contains(0) { out[0] = frontier.root }
        while frontier.size < largest {
            let rows = try await database.query(
                "SELECT position, hash FROM audit.journal WHERE position > \(after) AND hash IS NOT NULL ORDER BY position LIMIT \(Int64(chunk))")
            guard let last = rows.last else { break }
            for row in rows where frontier.size < largest {
                let hex = try row.decode(String.self, at: 1)
                // A malformed hash column is a changed row (the chain check names it); it still takes its place in the tree.
                _ = frontier.append(leafHash: Merkle.eventLeafHash(hex: hex) ?? Merkle.leafHash(Array(hex.utf8)))
                if sizes.contains(frontier.size) { out[frontier.size] = frontier.root }
            }
            after = try last.decode(Int64.self, at: 0)
        }
        return (out, frontier.size)
    }
}
