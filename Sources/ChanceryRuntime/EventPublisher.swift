import ChanceryDomain

/// Where a consumer's derived events go after its batch committed: the supervisor's alerts, appended through a
/// gateway. The server injects it — the gateway in the same process, or another process's gateway over HTTP — so a
/// consumer's module never depends on the gateway.
public protocol EventPublisher: Sendable {
    /// Appends `events` (deterministic ids: publishing the same event again appends nothing).
    ///
    /// Events the gateway refuses for themselves (invalid, lifecycle, conflicts) are dropped by the publisher with a
    /// log line, never retried.
    /// - Throws: when the gateway cannot take events now; the caller keeps them and retries
    ///   (``ConsumerFailure/transient(_:)`` is the expected error).
    func publish(_ events: [CloudEvent]) async throws
}
