import ChanceryDomain
import ChanceryPostgres
import Foundation

/// One end of an export's range: a journal position, or an event's `recordedtime` (when the gateway appended it).
public enum ExportBound: Sendable, Hashable {
    /// A journal position (1, 2, 3 …).
    case position(Int64)
    /// A recorded time, compared as an instant with each event's `recordedtime`.
    case recorded(RFC3339Timestamp)

    /// Parses a decimal journal position (at least 1) or an RFC 3339 time; nil otherwise.
    public init?(_ text: String) {
        if let n = Int64(text) {
            guard n >= 1 else { return nil }
            self = .position(n)
        } else if let t = try? RFC3339Timestamp(parsing: text) {
            self = .recorded(t)
        } else {
            return nil
        }
    }
}

/// Which part of the log of record an export writes. Both ends are inclusive.
public struct ExportSelection: Sendable, Hashable {
    /// Full topic names (prefix included); nil: every canonical topic.
    public var topics: Set<String>?
    /// The first event to export (inclusive); nil: from the start of the log.
    public var from: ExportBound?
    /// The last event to export (inclusive); nil: to the end of the log.
    public var to: ExportBound?

    /// A selection; the defaults select the whole log.
    public init(topics: Set<String>? = nil, from: ExportBound? = nil, to: ExportBound? = nil) {
        self.topics = topics
        self.from = from
        self.to = to
    }

    /// Whether every canonical event of the log is selected (a restore of it reproduces the whole tree).
    public var isWhole: Bool { topics == nil && from == nil && to == nil }
}

/// `chancery export`: the canonical events of the log of record (`audit.journal`) as CloudEvents JSON Lines, in log
/// (journal position) order (README, "Auditors").
///
/// Each line is the event exactly as appended, byte for byte after its opening brace — every attribute and extension the
/// gateway set (`sequence`, `recordedtime`, `prevhash`, `hash`, `region` …) — with three more extensions, first, that say where the log of record held
/// it: `position` (journal position), `topic` (full Kafka topic name) and `partition`. Those three are not part of the
/// event (its `hash` does not cover them); ``JournalRestore`` reads them as information and places each event again.
/// Dead letters (journal rows without a subject) are not exported: they are refusals, not events, and not leaves of the
/// Merkle tree, so the tree of a restored whole export equals the original's.
public enum JournalExport {
    /// The extension attributes an export adds to each event.
    public static let positionAttribute = "position"
    /// The extension naming the event's full Kafka topic.
    public static let topicAttribute = "topic"
    /// The extension naming the event's Kafka partition.
    public static let partitionAttribute = "partition"

    /// What an export wrote.
    public struct Report: Sendable, Hashable {
        /// Events written.
        public var events: Int
        /// Bytes written (lines with their newlines).
        public var bytes: Int
        /// Journal position of the last event written (0: none).
        public var lastPosition: Int64
        /// Wall time of the export.
        public var duration: Duration
    }

    /// Where an export stands.
    public struct Progress: Sendable {
        /// Selected journal rows read so far.
        public var read: Int
        /// The journal position reached.
        public var position: Int64
        /// Events written so far.
        public var written: Int
        /// The last journal position of the range.
        public var total: Int64
        /// Time since the export started.
        public var elapsed: Duration
    }

    /// The export line of one canonical journal record: its value with `position`, `topic` and `partition` added in
    /// front of its members (the value's bytes follow unchanged), no newline.
    /// - Throws: ``JournalError`` when the stored value is not a JSON object (a tampered row: `verify` names it).
    public static func line(value: [UInt8], position: Int64, topic: String, partition: Int32) throws -> [UInt8] {
        // The gateway stores `{"member":…, …}` (canonical JSON, no whitespace): the extensions go after the brace.
        if value.count > 2, value.first == UInt8(ascii: "{"), value[1] == UInt8(ascii: "\""), value.last == UInt8(ascii: "}"),
           let topicJSON = try? JSONEncoder().encode(topic) {
            var line: [UInt8] = []
            line.reserveCapacity(value.count + topic.utf8.count + 64)
            line.append(contentsOf: Array(#"{"partition":"#.utf8) + Array(String(partition).utf8) + Array(#","position":"#.utf8)
                + Array(String(position).utf8) + Array(#","topic":"#.utf8) + Array(topicJSON) + [UInt8(ascii: ",")])
            line.append(contentsOf: value.dropFirst())
            return line
        }
        guard case .object(var members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(value)) else {
            throw JournalError("the journal record at position \(position) is not a JSON object: it cannot be exported (chancery verify names it)")
        }
        members[positionAttribute] = .integer(position)
        members[topicAttribute] = .string(topic)
        members[partitionAttribute] = .integer(Int64(partition))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(JSONValue.object(members)))
    }

    /// Writes the selected events of `database`'s journal, one line each, in position order.
    /// - Parameters:
    ///   - chunk: journal rows read per query.
    ///   - write: called with each line (newline included), in order.
    ///   - progress: called after each chunk.
    /// - Throws: database errors, ``JournalError`` for a row that is not a JSON object, and whatever `write` throws.
    public static func run(
        database: PostgresClient, selection: ExportSelection = ExportSelection(), chunk: Int = 5_000,
        write: ([UInt8]) throws -> Void, progress: ((Progress) -> Void)? = nil
    ) async throws -> Report {
        let start = ContinuousClock.now
        var after: Int64 = 0
        var last: Int64 = try await database.query("SELECT coalesce(max(position), 0) FROM audit.journal")[0].decode(Int64.self, at: 0)
        if case .position(let p)? = selection.from { after = p - 1 }
        if case .position(let p)? = selection.to { last = min(last, p) }
        let fromTime: RFC3339Timestamp? = if case .recorded(let t)? = selection.from { t } else { nil }
        let toTime: RFC3339Timestamp? = if case .recorded(let t)? = selection.to { t } else { nil }
        let topics = selection.topics.map { Array($0).sorted() }
        var report = Report(events: 0, bytes: 0, lastPosition: 0, duration: .zero)
        var read = 0
        let decoder = JSONDecoder()
        while after < last {
            let rows = try await database.query(
                """
                SELECT position, topic, partition, value FROM audit.journal
                WHERE position > \(after) AND position <= \(last) AND subject IS NOT NULL AND (\(topics)::text[] IS NULL OR topic = ANY(\(topics)))
                ORDER BY position LIMIT \(Int64(chunk))
                """)
            guard let final = rows.last else { break }
            for row in rows {
                let position = try row.decode(Int64.self, at: 0)
                let value = try row.decode([UInt8].self, at: 3)
                if fromTime != nil || toTime != nil {
                    // An event whose recorded time cannot be read is kept: an auditor would rather see it.
                    if let recorded = (try? decoder.decode(RecordedTime.self, from: Data(value)))?.recordedtime,
                       let t = try? RFC3339Timestamp(parsing: recorded) {
                        if let fromTime, t < fromTime { continue }
                        if let toTime, t > toTime { continue }
                    }
                }
                var line = try line(value: value, position: position, topic: try row.decode(String.self, at: 1), partition: try row.decode(Int32.self, at: 2))
                line.append(0x0A)
                try write(line)
                report.events += 1
                report.bytes += line.count
                report.lastPosition = position
            }
            read += rows.count
            after = try final.decode(Int64.self, at: 0)
            progress?(Progress(read: read, position: after, written: report.events, total: last, elapsed: ContinuousClock.now - start))
            if rows.count < chunk { break }
        }
        report.duration = ContinuousClock.now - start
        return report
    }

    private struct RecordedTime: Decodable { var recordedtime: String? }
}
