import ChanceryDomain
import ChanceryPostgres
import Foundation

/// One event of a stream's history as an auditor sees it (`GET /v1/streams/{subject}`, `chancery history`): where the
/// log of record holds it, its chain attributes, whether its link checks, and its data as appended and, when an
/// upcaster changes it, as consumers read it.
public struct StreamHistoryEvent: Sendable, Codable, Hashable {
    /// Position in the log of record (`audit.journal.position`).
    public var position: Int64
    public var topic: String
    public var partition: Int32
    /// Kafka offset as the projector read it (`audit.events`); absent while the event is not projected.
    public var offset: Int64?
    public var sequence: Int64?
    public var id: String?
    public var source: String?
    public var type: String?
    /// Business time as sent.
    public var time: String?
    /// When the gateway appended it.
    public var recordedTime: String?
    public var prevhash: String?
    public var hash: String?
    /// The link checks: the stored bytes hash to `hash`, the journal's columns agree, the sequence follows the previous
    /// event's and `prevhash` names the previous event's hash (the genesis hash for sequence 1).
    public var linkOK: Bool
    /// Why the link does not check (empty when it does).
    public var problems: [String]
    public var dataschema: String?
    /// `data` as appended.
    public var data: JSONValue?
    /// The schema version consumers read (present only when an upcaster changes the event).
    public var upcastDataschema: String?
    /// `data` as consumers read it through `UpcasterRegistry.standard` (present only when it differs).
    public var upcastData: JSONValue?
}

/// A page of a stream's history.
public struct StreamHistoryPage: Sendable, Codable, Hashable {
    public var subject: String
    public var events: [StreamHistoryEvent]
    /// Pass as `after` for the next page; nil on the last page.
    public var next: Int64?
}

/// Reads a stream's history from the log of record (`audit.journal`), with offsets from the projector's
/// `audit.events` when projected.
public enum StreamHistory {
    /// Events per page at most.
    public static let maxLimit = 10_000

    /// The events of `subject` with sequence above `after`, in sequence order, at most `limit`.
    /// - Returns: nil when the journal holds no event of `subject`.
    public static func read(subject: String, after: Int64 = 0, limit: Int = 1_000, database: PostgresClient) async throws -> StreamHistoryPage? {
        let rows = try await database.query(
            """
            SELECT j.position, j.topic, j.partition, e."offset", j.sequence, j.hash, j.value
            FROM audit.journal j LEFT JOIN audit.events e ON e.subject = j.subject AND e.sequence = j.sequence
            WHERE j.subject = \(subject) AND j.sequence > \(after) ORDER BY j.sequence, j.position LIMIT \(Int64(limit))
            """)
        if rows.isEmpty {
            let any = try await database.query("SELECT 1 FROM audit.journal WHERE subject = \(subject) LIMIT 1")
            if any.isEmpty { return nil }
            return StreamHistoryPage(subject: subject, events: [], next: nil)
        }
        var previous: (sequence: Int64, hash: String?)?
        if after > 0 {
            let prev = try await database.query(
                "SELECT position, sequence, hash, value FROM audit.journal WHERE subject = \(subject) AND sequence = \(after) ORDER BY position LIMIT 1")
            if let row = prev.first {
                let entry = JournalEntry(position: try row.decode(Int64.self, at: 0), subject: subject, sequence: try row.decode(Int64?.self, at: 1),
                                         hash: try row.decode(String?.self, at: 2), value: try row.decode([UInt8].self, at: 3))
                previous = (after, CheckedEntry(entry).hash)
            } else {
                previous = (after, nil)
            }
        }
        let decoder = JSONDecoder()
        var checked: [CheckedEntry] = []
        var places: [(topic: String, partition: Int32, offset: Int64?)] = []
        for row in rows {
            let entry = JournalEntry(position: try row.decode(Int64.self, at: 0), subject: subject, sequence: try row.decode(Int64?.self, at: 4),
                                     hash: try row.decode(String?.self, at: 5), value: try row.decode([UInt8].self, at: 6))
            checked.append(CheckedEntry(entry, decoder: decoder))
            places.append((try row.decode(String.self, at: 1), try row.decode(Int32.self, at: 2), try row.decode(Int64?.self, at: 3)))
        }
        let links = StreamLinks.check(checked, previous: previous)
        var events: [StreamHistoryEvent] = []
        for (i, c) in checked.enumerated() {
            let e = c.event
            let upcast = e.map { UpcasterRegistry.standard.upcast($0) }
            let changed = upcast != nil && (upcast!.data != e!.data || upcast!.dataschema != e!.dataschema)
            events.append(StreamHistoryEvent(
                position: c.position, topic: places[i].topic, partition: places[i].partition, offset: places[i].offset,
                sequence: c.sequence, id: e?.id, source: e?.source, type: e?.type, time: e?.time, recordedTime: e?.recordedtime,
                prevhash: c.prevhash, hash: c.hash, linkOK: links[i].ok, problems: links[i].problems, dataschema: e?.dataschema,
                data: e?.data, upcastDataschema: changed ? upcast!.dataschema : nil, upcastData: changed ? upcast!.data : nil))
        }
        let next = rows.count == limit ? checked.last?.sequence : nil
        return StreamHistoryPage(subject: subject, events: events, next: next)
    }
}

/// Reads the whole journal in position order and recomputes every stream's chain (`chancery verify`).
public enum JournalVerification {
    /// Where a verification stands.
    public struct Progress: Sendable {
        /// Journal rows read so far.
        public var records: Int
        /// The journal's last position when the verification started (an estimate of the rows to read).
        public var total: Int64
        public var elapsed: Duration
        public var findings: Int
    }

    /// Verifies the journal of `database`.
    /// - Parameters:
    ///   - chunk: rows read per query; the next chunk is read while the current one is hashed.
    ///   - workers: tasks that decode and hash a chunk in parallel.
    ///   - progress: called after each chunk.
    public static func run(
        database: PostgresClient, chunk: Int = 5_000, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> ChainReport {
        let start = ContinuousClock.now
        let total = try await database.query("SELECT coalesce(max(position), 0) FROM audit.journal")[0].decode(Int64.self, at: 0)
        var verifier = ChainVerifier()
        var pending = Task { try await fetch(database: database, after: 0, limit: chunk) }
        while true {
            let rows = try await pending.value
            guard let last = rows.last else { break }
            pending = Task { try await fetch(database: database, after: last.position, limit: chunk) }
            let checked = await check(rows, workers: max(1, workers))
            var k = 0
            for row in rows {
                if row.subject == nil {
                    verifier.addDeadLetter(position: row.position)
                } else {
                    verifier.add(checked[k])
                    k += 1
                }
            }
            progress?(Progress(records: verifier.records, total: total, elapsed: ContinuousClock.now - start, findings: verifier.findingCount))
            if rows.count < chunk {
                _ = try? await pending.value
                break
            }
        }
        return try await RecordComparison.complete(verifier.finish(), database: database)
    }

    /// The rows after `after`: canonical values read as text (half the bytes of `bytea` hex to transfer and decode),
    /// or, when a chunk holds bytes that are not UTF-8 (a tampered row), as `bytea`.
    static func fetch(database: PostgresClient, after: Int64, limit: Int) async throws -> [JournalEntry] {
        do {
            let rows = try await database.query(
                """
                SELECT position, subject, sequence, hash, CASE WHEN subject IS NOT NULL THEN convert_from(value, 'UTF8') END
                FROM audit.journal WHERE position > \(after) ORDER BY position LIMIT \(Int64(limit))
                """)
            return try rows.map { row in
                JournalEntry(position: try row.decode(Int64.self, at: 0), subject: try row.decode(String?.self, at: 1),
                             sequence: try row.decode(Int64?.self, at: 2), hash: try row.decode(String?.self, at: 3),
                             value: Array((try row.decode(String?.self, at: 4) ?? "").utf8))
            }
        } catch let error as PostgresError where error.sqlState == "22021" {
            let rows = try await database.query(
                """
                SELECT position, subject, sequence, hash, CASE WHEN subject IS NOT NULL THEN value END
                FROM audit.journal WHERE position > \(after) ORDER BY position LIMIT \(Int64(limit))
                """)
            return try rows.map { row in
                JournalEntry(position: try row.decode(Int64.self, at: 0), subject: try row.decode(String?.self, at: 1),
                             sequence: try row.decode(Int64?.self, at: 2), hash: try row.decode(String?.self, at: 3),
                             value: try row.decode([UInt8]?.self, at: 4) ?? [])
            }
        }
    }

    /// The canonical rows of `rows` checked in order, decoded and hashed by `workers` tasks.
    static func check(_ rows: [JournalEntry], workers: Int) async -> [CheckedEntry] {
        let canonical = rows.filter { $0.subject != nil }
        guard !canonical.isEmpty else { return [] }
        let size = (canonical.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [CheckedEntry]).self) { group in
            for (n, from) in stride(from: 0, to: canonical.count, by: size).enumerated() {
                let slice = Array(canonical[from..<min(from + size, canonical.count)])
                group.addTask {
                    let decoder = JSONDecoder()
                    return (n, slice.map { CheckedEntry($0, decoder: decoder) })
                }
            }
            var parts: [(Int, [CheckedEntry])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
