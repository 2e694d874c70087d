import ChancerySupervision
import ChanceryPostgres
import ChanceryRuntime
import Foundation

/// Live mode of the supervisor (`--live-supervision`): the wall clock moves its time, so a case that simply sits goes
/// yellow then red. Each tick's alerts go through the supervisor's outbox like those of its consumer.
public enum LiveSupervisionClock {
    /// One tick at `now`: raises what is due in one transaction with the clocks it moves, stores the alerts in the
    /// outbox there, then publishes the outbox.
    /// - Throws: ``PostgresError``, or what `publisher` throws (the alerts then stay in the outbox for the next tick
    ///   or the consumer's next batch).
    public static func tick(_ supervisor: Supervisor, now: Date, database: PostgresClient, publisher: any EventPublisher) async throws {
        try await database.transaction { connection in
            let alerts = try await supervisor.tick(now: now, on: connection)
            try await Outbox.enqueue(alerts, group: Supervisor.consumerGroup, on: connection)
        }
        try await Outbox.flush(group: Supervisor.consumerGroup, database: database, publisher: publisher)
    }
}
