import ChanceryDomain
import ChanceryPostgres

/// What a consumer of the runtime does with its events: applies them to PostgreSQL tables, inside the
/// transaction that also stores the consumer's offsets (``ExactlyOnceConsumer``), so a failure leaves no trace.
public protocol ReadModelHandler: Sendable {
    /// Applies `events` (already checked for stream continuity, in log order) on `connection`, which is inside an
    /// open transaction.
    /// - Returns: events derived from the batch (the supervisor's alerts), which the runner stores in the
    ///   ``Outbox`` in the same transaction and publishes after it committed; most handlers derive none.
    /// - Throws: any error to roll the batch back (see ``ConsumerFailure`` for what is retried and what is quarantined).
    func apply(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [CloudEvent]

    /// Called after the batch's transaction committed (outside it).
    func didCommit(_ events: [ConsumedEvent]) async throws
}

extension ReadModelHandler {
    public func didCommit(_ events: [ConsumedEvent]) async throws {}
}
