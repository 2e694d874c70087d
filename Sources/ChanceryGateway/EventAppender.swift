/// Something that appends events to the canonical topics: the in-process ``Gateway``, or (in a
/// multi-process deployment) an HTTP client of another process's gateway.
public protocol EventAppender: Sendable {
    /// Appends the events of one request, all or nothing (see ``Gateway/append(_:)``).
    func append(_ events: [SubmittedEvent]) async throws -> AppendResult
}

extension Gateway: EventAppender {}
