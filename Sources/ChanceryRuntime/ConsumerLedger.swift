import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The consumer runtime's bookkeeping, written in the same transaction as the change it accounts for (DESIGN.md
/// guarantees 8 and 9): each group's position in every stream (`projection.stream_positions`), its next offset and
/// last journal position per partition (`projection.consumer_offsets`), and the records it refused
/// (`audit.quarantine`). The one writer of these tables, for the Kafka runner (``ExactlyOnceConsumer``) and for replays
/// and rebuilds from the journal alike.
public enum ConsumerLedger {
    /// Upserts `group`'s position (sequence and hash of the last event applied) in each stream of `heads`, in one
    /// statement.
    public static func savePositions(group: String, _ heads: [StreamHead], on connection: PostgresConnection) async throws {
        guard !heads.isEmpty else { return }
        let sorted = heads.sorted { $0.stream < $1.stream }
        try await connection.execute(
            """
            INSERT INTO projection.stream_positions (consumer_group, stream, sequence, hash)
            SELECT \(group), stream, sequence, hash FROM unnest(\(sorted.map(\.stream))::text[], \(sorted.map(\.sequence))::bigint[], \(sorted.map(\.hash))::text[]) AS p(stream, sequence, hash)
            ON CONFLICT (consumer_group, stream) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash
            """)
    }

    /// One partition's bookkeeping: the next offset to read and the last journal position applied (nil when the records
    /// carried none).
    public struct Offset: Sendable, Hashable {
        public var topic: String
        public var partition: Int32
        public var nextOffset: Int64
        public var lastPosition: Int64?

        public init(topic: String, partition: Int32, nextOffset: Int64, lastPosition: Int64?) {
            self.topic = topic
            self.partition = partition
            self.nextOffset = nextOffset
            self.lastPosition = lastPosition
        }
    }

    /// Upserts `group`'s offsets in one statement; a partition whose records carried no journal position keeps the
    /// last one stored.
    public static func saveOffsets(group: String, _ offsets: [Offset], on connection: PostgresConnection) async throws {
        guard !offsets.isEmpty else { return }
        let sorted = offsets.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        try await connection.execute(
            """
            INSERT INTO projection.consumer_offsets (consumer_group, topic, partition, next_offset, last_position)
            SELECT \(group), topic, partition, next_offset, nullif(last_position, '')::bigint
            FROM unnest(\(sorted.map(\.topic))::text[], \(sorted.map(\.partition))::int[], \(sorted.map(\.nextOffset))::bigint[], \(sorted.map { $0.lastPosition.map(String.init) ?? "" })::text[]) AS o(topic, partition, next_offset, last_position)
            ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset,
                last_position = coalesce(EXCLUDED.last_position, projection.consumer_offsets.last_position), updated_at = now()
            """)
    }

    /// Records a refused record in `audit.quarantine` (once per record and group): why, and its bytes as received.
    /// NUL, which PostgreSQL text cannot hold, is written as `\u0000` in the subject and the reason.
    public static func quarantine(topic: String, partition: Int32, offset: Int64, group: String, subject: String?, reason: String,
                                  record: [UInt8], on connection: PostgresConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO audit.quarantine (topic, partition, "offset", consumer_group, subject, reason, record)
            VALUES (\(topic), \(partition), \(offset), \(group), \(subject.map(storable)), \(storable(reason)), \(record)) ON CONFLICT DO NOTHING
            """)
    }

    /// `text` with NUL written as `\u0000`.
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\\u0000") : text
    }
}
