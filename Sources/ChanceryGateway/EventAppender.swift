/// Something that appends events to the canonical topics: the in-process ``Gateway``, or (in a
/// multi-process deployment) an HTTP client of another process's gateway.
public protocol EventAppender: Sendable {
    /// Appends the events of one request, all or nothing (see ``Gateway/append(_:)``).
    func append(_ events: [SubmittedEvent]) async throws -> AppendResult
}

extension Gateway: EventAppender {}

/// The HTTP door's appender: the gateway, refusing while its doors are closed (graceful stop) so that a client
/// gets 503 with `Retry-After` while consumers finish what is committed.
public struct DoorAppender: EventAppender {
    let gateway: Gateway

    public init(gateway: Gateway) {
        self.gateway = gateway
    }

    /// See ``Gateway/append(_:)``.
    /// - Throws: ``AppendFailure/unavailable(_:)`` while the doors are closed, or what the gateway throws.
    public func append(_ events: [SubmittedEvent]) async throws -> AppendResult {
        if let reason = await gateway.doorsClosedReason { throw AppendFailure.unavailable(reason) }
        return try await gateway.append(events)
    }
}
