import ChanceryDomain
import ChanceryPostgres
import Foundation
import Logging

/// The consumers' transactional outbox (`projection.outbox`, migration 0011): a handler's derived events are
/// stored in the same transaction as the batch that derived them, and published after it committed; a published
/// event is deleted. A crash between commit and publication leaves them in the outbox, and the next run (or the
/// next batch) publishes them: nothing derived is lost, and deterministic ids make a second publication harmless.
public enum Outbox {
    /// Stores `events` for `group` inside the caller's open transaction on `connection`.
    /// - Throws: ``PostgresError``.
    public static func enqueue(_ events: [CloudEvent], group: String, on connection: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO projection.outbox (consumer_group, event)
            SELECT \(group), e::jsonb FROM unnest(\(events.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })::text[]) WITH ORDINALITY AS u(e, n) ORDER BY n
            """)
    }

    /// Publishes every event waiting in the outbox of `group`, oldest first, in chunks, deleting each chunk once
    /// published.
    /// - Returns: the number of events published.
    /// - Throws: what the publisher throws (the events stay in the outbox) or ``PostgresError``.
    @discardableResult
    public static func flush(group: String, database: PostgresClient, publisher: any EventPublisher, chunk: Int = 2000) async throws -> Int {
        var published = 0
        while true {
            let rows = try await database.query(
                "SELECT id, event::text FROM projection.outbox WHERE consumer_group = \(group) ORDER BY id LIMIT \(chunk)")
            guard !rows.isEmpty else { return published }
            let decoder = JSONDecoder()
            var ids: [Int64] = []
            var events: [CloudEvent] = []
            for row in rows {
                ids.append(try row.decode(Int64.self, at: 0))
                events.append(try decoder.decode(CloudEvent.self, from: Data(try row.decode(String.self, at: 1).utf8)))
            }
            try await publisher.publish(events)
            try await database.execute("DELETE FROM projection.outbox WHERE id = ANY(\(ids))")
            published += events.count
        }
    }
}
