import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres
import Foundation
import Logging

/// `chancery restore`: puts an export (``JournalExport``) back as the log of record of an empty database, and into an
/// empty Kafka cluster when one is named (README, "Auditors").
///
/// - Each line's event is stored exactly as it was appended — the same id, source, sequence, recorded time, prevhash
///   and hash — in its canonical bytes (``CloudEvent/jsonBytes()``), so `verify` recomputes the same chains. The
///   `position`, `topic` and `partition` extensions of the line are information only: the event takes the next journal
///   position in file order (1, 2, 3 …: the file's order is the log's order), its type's canonical topic under the
///   target's prefix, and the partition Kafka's partitioner gives its subject among the target's partition count. A
///   whole export therefore restores to the same Merkle tree (dead letters are not leaves), and its checkpoints still
///   verify.
/// - Nothing is checked beyond the shape of each line: a tampered export (an event dropped, two swapped, a byte changed)
///   restores as it is, and `chancery verify` names what is wrong, as it would on the original.
/// - All or nothing: every line is read and checked before anything is written, and the journal is written in one
///   transaction. With the embedded broker the server seeds its broker from the journal at its next start
///   (``JournalSeeder``); with a real cluster the records are produced by ``restore(into:kafka:logger:progress:)``.
public enum JournalRestore {
    /// What a restore did.
    public struct Report: Sendable, Hashable {
        /// Events written to the journal.
        public var events: Int
        /// Bytes of event values written.
        public var bytes: Int
        /// Streams among them.
        public var streams: Int
        /// Wall time of the write (the check of the lines before it not included).
        public var duration: Duration
    }

    /// Where a restore stands: lines read, then events written.
    public struct Progress: Sendable {
        /// Reading and checking the lines, writing the journal, producing to Kafka.
        public enum Phase: Sendable { case reading, writing, producing }
        public var phase: Phase
        /// Lines read, or events written or produced, so far.
        public var done: Int
        /// Events to write or produce in all (0 while reading: not known yet).
        public var total: Int
    }

    /// The records of an export, checked and placed, ready to be written.
    public struct Plan: Sendable {
        /// The journal records, positions 1, 2, 3 … in the export's order.
        public var records: [JournalRecord]
        /// The partition count of every topic the records go to (full names).
        public var partitionCounts: [String: Int32]
    }

    /// Refuses a target that already holds a log or read models built from one.
    /// - Throws: ``JournalError`` naming what the target holds.
    public static func requireEmpty(database: PostgresClient) async throws {
        let row = try await database.query(
            """
            SELECT (SELECT count(*) FROM audit.journal), (SELECT count(*) FROM audit.events), (SELECT count(*) FROM audit.checkpoints),
                   (SELECT count(*) FROM projection.consumer_offsets)
            """)[0]
        let journal = try row.decode(Int64.self, at: 0), events = try row.decode(Int64.self, at: 1)
        let checkpoints = try row.decode(Int64.self, at: 2), offsets = try row.decode(Int64.self, at: 3)
        var held: [String] = []
        if journal > 0 { held.append("its journal (audit.journal) holds \(journal) records") }
        if events > 0 { held.append("its read models hold \(events) events (audit.events)") }
        if checkpoints > 0 { held.append("it has \(checkpoints) signed checkpoints (audit.checkpoints)") }
        if offsets > 0 && events == 0 { held.append("consumers have stored offsets (projection.consumer_offsets)") }
        guard held.isEmpty else {
            throw JournalError("the target database is not empty: \(held.joined(separator: ", ")). Restore into a new, empty database (createdb, then chancery migrate)")
        }
    }

    /// Reads and checks every line, and places each event.
    /// - Parameters:
    ///   - nextLine: the next line of the export without its newline, nil at the end.
    ///   - topics: the target's topic names (its prefix).
    ///   - partitionCounts: partition counts the target's journal already records (full topic names).
    ///   - partitions: the count for a topic not recorded (the server's `--partitions`).
    /// - Throws: ``JournalError`` naming the line (1-based) that is not an exported CloudEvent.
    public static func plan(
        nextLine: () throws -> [UInt8]?, topics: TopicNames, partitionCounts: [String: Int32], partitions: Int32,
        progress: ((Progress) -> Void)? = nil
    ) throws -> Plan {
        var counts = partitionCounts
        var records: [JournalRecord] = []
        let decoder = JSONDecoder()
        var lineNumber = 0
        while let line = try nextLine() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }  // blank lines between events
            func fail(_ why: String) -> JournalError { JournalError("line \(lineNumber) of the export: \(why)") }
            // The extensions position, topic and partition are not members of a CloudEvent: decoding leaves them out.
            let event: CloudEvent
            do { event = try decoder.decode(CloudEvent.self, from: Data(line)) } catch {
                throw fail(line.first == UInt8(ascii: "{") ? "not a CloudEvent: \(error)" : "not a JSON object")
            }
            guard let sequence = event.sequence, event.hash != nil, event.prevhash != nil else {
                throw fail("the event \(event.id) has no sequence, prevhash or hash: not an event of a log (chancery export writes them)")
            }
            guard let type = EventCatalog.eventType(event.type) else { throw fail("unknown event type \(event.type)") }
            let topic = topics.canonical(type.topic)
            let count = counts[topic] ?? partitions
            counts[topic] = count
            let key = Array(event.subject.utf8)
            let position = Int64(records.count + 1)
            let record = KafkaProducerRecord(
                topic: topic, key: key, value: event.jsonBytes(),
                headers: [KafkaHeader(key: "ce_type", value: Array(event.type.utf8)),
                          KafkaHeader(key: "content-type", value: Array("application/cloudevents+json".utf8)),
                          KafkaHeader(key: LogPosition.header, value: LogPosition.headerValue(position))],
                partition: KafkaPartitioner.partition(forKey: key, partitionCount: count))
            // One commit group per thousand events: restored groups say nothing about the original transactions.
            records.append(JournalRecord(position: position, commitGroup: Int64(records.count / 1000 + 1), record: record,
                                         subject: event.subject, sequence: sequence, hash: event.hash))
            if records.count % 5000 == 0 { progress?(Progress(phase: .reading, done: records.count, total: 0)) }
        }
        return Plan(records: records, partitionCounts: counts)
    }

    /// Writes `plan` as the journal of the empty `database`, in one transaction.
    /// - Throws: ``JournalError`` when the target is not empty; database errors (nothing is then written).
    public static func write(_ plan: Plan, database: PostgresClient, chunk: Int = 5_000, progress: (@Sendable (Progress) -> Void)? = nil) async throws -> Report {
        let start = ContinuousClock.now
        try await requireEmpty(database: database)
        let journal = PostgresEventJournal(database: database)
        try await journal.recordPartitionCounts(plan.partitionCounts)
        let chunks: [[[String?]]] = try stride(from: 0, to: plan.records.count, by: chunk).map { from in
            try PostgresEventJournal.copyRows(Array(plan.records[from..<min(from + chunk, plan.records.count)]))
        }
        let total = plan.records.count
        let written = Counter()
        try await database.transaction { c in
            // Serialises two restores into the same database, and the check against the rows of a concurrent one.
            _ = try await c.query("LOCK TABLE audit.journal IN EXCLUSIVE MODE")
            guard try await c.query("SELECT count(*) FROM audit.journal")[0].decode(Int64.self, at: 0) == 0 else {
                throw JournalError("the target database's journal is no longer empty (another restore or a server wrote to it)")
            }
            for rows in chunks {
                _ = try await c.copyFrom(PostgresEventJournal.copySQL, rows: rows)
                progress?(Progress(phase: .writing, done: written.add(rows.count), total: total))
            }
        }
        return Report(events: total, bytes: plan.records.reduce(0) { $0 + $1.record.value.count },
                      streams: Set(plan.records.compactMap(\.subject)).count, duration: ContinuousClock.now - start)
    }

    /// Refuses a Kafka cluster that lacks a topic of `partitionCounts`, has it with another partition count, or holds
    /// any record in it (every partition's high watermark must be 0).
    /// - Throws: ``JournalError`` naming the topic or partition; ``KafkaError`` when the cluster is unreachable.
    public static func requireEmpty(kafka: KafkaConfiguration, partitionCounts: [String: Int32], logger: Logger) async throws {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        defer { admin.shutdown() }
        let existing = try await admin.topics()
        for (topic, wanted) in partitionCounts.sorted(by: { $0.key < $1.key }) {
            guard let count = existing[topic] else {
                throw JournalError("the Kafka cluster has no topic \(topic): create it with \(wanted) partitions first (infinite retention, not compacted)")
            }
            guard count == Int(wanted) else {
                throw JournalError("\(topic) has \(count) partitions in the Kafka cluster, the restored journal \(wanted): restore with --partitions \(count)")
            }
            for partition in 0..<Int32(count) {
                let marks = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: partition))
                guard marks.high == 0 else {
                    throw JournalError("the Kafka cluster is not empty: \(topic) partition \(partition) holds records (high watermark \(marks.high)). Restore into an empty cluster")
                }
            }
        }
    }

    /// Produces the restored journal of `database` into the (empty) cluster of `kafka`, every record to its own topic
    /// and partition in position order (``JournalSeeder``).
    public static func restore(into database: PostgresClient, kafka: KafkaConfiguration, logger: Logger,
                               progress: (@Sendable (Int) -> Void)? = nil) async throws -> JournalSeeder.Report {
        try await JournalSeeder.seed(from: PostgresEventJournal(database: database), kafka: kafka, logger: logger, progress: progress)
    }

    /// A count shared with the transaction's closure.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add(_ n: Int) -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += n
            return value
        }
    }
}
