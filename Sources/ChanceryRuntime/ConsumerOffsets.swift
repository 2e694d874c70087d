import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres

/// The consumers' stored positions in `projection.consumer_offsets`, seen from the log of record.
public enum ConsumerOffsets {
    /// The journal position of `record`, from its `LogPosition.header`; nil for a record without one (produced
    /// by another producer, or by a gateway without a journal).
    public static func position(of record: KafkaConsumerMessage) -> Int64? {
        for header in record.headers where header.key == LogPosition.header {
            return header.value.flatMap(LogPosition.parse)
        }
        return nil
    }

    /// Re-targets every consumer group's stored offsets on `topics` after the broker was seeded from the journal:
    /// the next offset of a partition becomes the number of journal records of that partition at or before the
    /// last position the group consumed there (the seeded partition holds exactly those records first). A
    /// partition whose group stored no position starts again at 0; stream continuity then skips what was applied.
    ///
    /// - Parameter topics: full names of the seeded topics.
    /// - Returns: the number of stored offsets rewritten.
    /// - Throws: ``PostgresError``.
    @discardableResult
    public static func retarget(database: PostgresClient, topics: [String]) async throws -> Int {
        try await database.execute(
            """
            UPDATE projection.consumer_offsets o
            SET next_offset = CASE WHEN o.last_position IS NULL THEN 0 ELSE
                  (SELECT count(*) FROM audit.journal j
                   WHERE j.topic = o.topic AND j.partition = o.partition AND j.position <= o.last_position) END,
                updated_at = now()
            WHERE o.topic = ANY(\(topics))
            """)
    }
}
