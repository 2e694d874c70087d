import ChanceryPostgres

/// Whether the live consumers have applied the journal up to a position: a comparison with a rebuild, or a swap, is
/// meaningful only then.
public enum ReadModelLag {
    /// The partitions on which a consumer's stored position (`projection.consumer_offsets.last_position`) is before the
    /// last canonical event of the journal at or before `position`, as `group topic/partition at P of Q`; empty when
    /// every consumer has caught up.
    public static func behind(_ consumers: [ReplayConsumer], through position: Int64, database: PostgresClient) async throws -> [String] {
        var out: [String] = []
        for consumer in consumers {
            let rows = try await database.query(
                """
                SELECT j.topic, j.partition, j.last, o.last_position
                FROM (SELECT topic, partition, max(position) AS last FROM audit.journal
                      WHERE subject IS NOT NULL AND position <= \(position) AND topic = ANY(\(consumer.topics.sorted())) GROUP BY 1, 2) j
                LEFT JOIN projection.consumer_offsets o ON o.consumer_group = \(consumer.group) AND o.topic = j.topic AND o.partition = j.partition
                WHERE o.last_position IS NULL OR o.last_position < j.last
                ORDER BY 1, 2
                """)
            for r in rows {
                out.append("\(consumer.group) \(try r.decode(String.self, at: 0))/\(try r.decode(Int32.self, at: 1)) at position "
                           + "\(try r.decode(Int64?.self, at: 3).map(String.init) ?? "none") of \(try r.decode(Int64.self, at: 2))")
            }
        }
        return out
    }
}
