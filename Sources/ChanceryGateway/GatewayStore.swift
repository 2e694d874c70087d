import ChanceryDomain

/// What the gateway reads from the read models at start and on demand: the projector's view of the log.
public protocol GatewayStore: Sendable {
    /// The stored head of `stream`, or nil for a stream the projector has not seen.
    func loadHead(_ stream: String) async throws -> StreamHead?
    /// The recorded append of (`source`, `id`), or nil.
    func lookup(source: String, id: String) async throws -> AppendedEvent?
    /// The projector's next offsets per canonical topic partition (full topic names).
    func projectorOffsets() async throws -> [String: [Int32: Int64]]
}
