import ChanceryKafka
import ChanceryPostgres
import Foundation

/// ``EventJournal`` in PostgreSQL: `audit.journal` and `audit.journal_topics` (migration 0010).
///
/// A commit group is written with one `COPY` in one transaction, so it is recorded whole or not at all, and
/// durably once PostgreSQL has confirmed the commit (`synchronous_commit` on, the server's default).
public struct PostgresEventJournal: EventJournal {
    let database: PostgresClient

    /// - Parameter database: the pool of the read models' database (the journal lives beside them).
    public init(database: PostgresClient) {
        self.database = database
    }

    public func tail() async throws -> JournalTail {
        let rows = try await database.query("SELECT coalesce(max(position), 0), coalesce(max(commit_group), 0) FROM audit.journal")
        return JournalTail(position: try rows[0].decode(Int64.self, at: 0), commitGroup: try rows[0].decode(Int64.self, at: 1))
    }

    public func append(_ records: [JournalRecord]) async throws {
        guard !records.isEmpty else { return }
        let copied = try Self.copyRows(records)
        try await database.transaction { connection in
            _ = try await connection.copyFrom(Self.copySQL, rows: copied)
        }
    }

    /// The `COPY` that writes journal rows (``copyRows(_:)``).
    static let copySQL = #"COPY audit.journal (position, commit_group, topic, partition, key, value, headers, subject, sequence, hash) FROM STDIN"#

    /// The text rows of ``copySQL`` for `records`.
    /// - Throws: ``JournalError`` for a record without a partition.
    static func copyRows(_ records: [JournalRecord]) throws -> [[String?]] {
        let encoder = JSONEncoder()
        var rows: [[String?]] = []
        rows.reserveCapacity(records.count)
        for r in records {
            guard let partition = r.record.partition else {
                throw JournalError("the record at position \(r.position) has no partition; the journal needs the partition the gateway chose")
            }
            let headers = r.record.headers.map { [$0.key, $0.value.map { Data($0).base64EncodedString() }] }
            rows.append([
                String(r.position), String(r.commitGroup), r.record.topic, String(partition),
                r.record.key?.postgresText, r.record.value.postgresText,
                String(decoding: try encoder.encode(headers), as: UTF8.self),
                r.subject, r.sequence.map(String.init), r.hash,
            ])
        }
        return rows
    }

    public func records(after position: Int64, limit: Int) async throws -> [JournalRecord] {
        // Canonical events are UTF-8 JSON: read as text, which is cheaper to transfer and decode than bytea hex.
        let rows = try await database.query(
            """
            SELECT position, commit_group, topic, partition, key,
                   CASE WHEN subject IS NOT NULL THEN convert_from(value, 'UTF8') END,
                   CASE WHEN subject IS NULL THEN value END,
                   headers::text, subject, sequence, hash
            FROM audit.journal WHERE position > \(position) ORDER BY position LIMIT \(limit)
            """)
        let decoder = JSONDecoder()
        return try rows.map { row in
            let text = try row.decode(String?.self, at: 5)
            let value: [UInt8] = if let text { Array(text.utf8) } else { try row.decode([UInt8].self, at: 6) }
            let headerPairs = try decoder.decode([[String?]].self, from: Data(try row.decode(String.self, at: 7).utf8))
            let headers = try headerPairs.map { pair -> KafkaHeader in
                guard pair.count == 2, let name = pair[0] else { throw JournalError("malformed headers in the journal: \(pair)") }
                return KafkaHeader(key: name, value: try pair[1].map { encoded in
                    guard let data = Data(base64Encoded: encoded) else { throw JournalError("malformed header value in the journal: \(encoded)") }
                    return Array(data)
                })
            }
            let record = KafkaProducerRecord(
                topic: try row.decode(String.self, at: 2), key: try row.decode([UInt8]?.self, at: 4), value: value,
                headers: headers, partition: try row.decode(Int32.self, at: 3))
            return JournalRecord(
                position: try row.decode(Int64.self, at: 0), commitGroup: try row.decode(Int64.self, at: 1), record: record,
                subject: try row.decode(String?.self, at: 8), sequence: try row.decode(Int64?.self, at: 9), hash: try row.decode(String?.self, at: 10))
        }
    }

    public func partitionCounts() async throws -> [String: Int32] {
        var out: [String: Int32] = [:]
        for row in try await database.query("SELECT topic, partitions FROM audit.journal_topics") {
            out[try row.decode(String.self, at: 0)] = try row.decode(Int32.self, at: 1)
        }
        return out
    }

    public func recordPartitionCounts(_ counts: [String: Int32]) async throws {
        guard !counts.isEmpty else { return }
        let topics = counts.keys.sorted()
        try await database.execute(
            """
            INSERT INTO audit.journal_topics (topic, partitions) SELECT * FROM unnest(\(topics)::text[], \(topics.map { counts[$0]! })::int[])
            ON CONFLICT (topic) DO NOTHING
            """)
    }
}

/// A journal row or request that cannot be honoured.
public struct JournalError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
