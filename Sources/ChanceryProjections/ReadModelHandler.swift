import ChanceryDomain
import ChanceryPostgres

/// Applies consumed events to PostgreSQL tables. Called by ``ExactlyOnceConsumer`` inside the
/// transaction that also stores the consumer's offsets, so an exception leaves no trace.
public protocol ReadModelHandler: Sendable {
    /// Applies `events` (already checked for stream continuity, in log order) on `connection`,
    /// which is inside an open transaction.
    /// - Throws: any error to roll the batch back; the consumer stops and resumes from the stored offsets.
    func apply(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws

    /// Called after the batch's transaction committed (outside it), e.g. to publish derived events.
    func didCommit(_ events: [ConsumedEvent]) async throws
}

extension ReadModelHandler {
    public func didCommit(_ events: [ConsumedEvent]) async throws {}
}
