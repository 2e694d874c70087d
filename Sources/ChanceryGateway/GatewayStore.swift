import ChanceryDomain

/// What the gateway reads from the read models at start and on demand: the projector's view of the log.
public protocol GatewayStore: Sendable {
    /// The stored head of `stream`, or nil for a stream the projector has not seen.
    func loadHead(_ stream: String) async throws -> StreamHead?
    /// The recorded append of (`source`, `id`), or nil.
    func lookup(source: String, id: String) async throws -> AppendedEvent?
    /// The projector's next offsets per canonical topic partition (full topic names). Every event before them must be
    /// in the store — its stream's head at least as far (``loadHeads(_:)``) and its answer (``lookup(_:)``) — for the
    /// gateway restores from them at start and forgets cached heads and answers only below them (``GatewayCacheCapacity``).
    func projectorOffsets() async throws -> [String: [Int32: Int64]]

    /// The stored heads of `streams` (absent: not seen by the projector), in one round trip where the store can.
    func loadHeads(_ streams: [String]) async throws -> [String: StreamHead]

    /// The recorded appends of `keys` (`source`, `id`) (absent: never appended), in one round trip where the store can.
    func lookup(_ keys: [(source: String, id: String)]) async throws -> [AppendedEvent]
}

extension GatewayStore {
    /// One ``loadHead(_:)`` per stream.
    public func loadHeads(_ streams: [String]) async throws -> [String: StreamHead] {
        var out: [String: StreamHead] = [:]
        for stream in streams { if let head = try await loadHead(stream) { out[stream] = head } }
        return out
    }

    /// One ``lookup(source:id:)`` per key.
    public func lookup(_ keys: [(source: String, id: String)]) async throws -> [AppendedEvent] {
        var out: [AppendedEvent] = []
        for key in keys { if let a = try await lookup(source: key.source, id: key.id) { out.append(a) } }
        return out
    }
}
