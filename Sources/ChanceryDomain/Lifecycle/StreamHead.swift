/// The head of a stream: its last `sequence`, last `hash` and lifecycle state.
///
/// The gateway keeps heads to assign the next `sequence` and `prevhash`; the projector stores them in
/// `approval.stream_heads` so a restarting gateway can restore them (DESIGN.md, "gateway").
public struct StreamHead: Sendable, Hashable, Codable {
    /// The stream id (`subject`).
    public var stream: String
    /// The sequence of the last event (0 for a stream with no events).
    public var sequence: Int64
    /// The hash of the last event (``CloudEvent/genesisHash`` for none).
    public var hash: String
    /// The lifecycle state after the last event.
    public var state: AggregateState?

    public init(stream: String, sequence: Int64 = 0, hash: String = CloudEvent.genesisHash, state: AggregateState? = nil) {
        self.stream = stream
        self.sequence = sequence
        self.hash = hash
        self.state = state
    }

    /// What a consumer should do with an event of this stream (DESIGN.md guarantee 9).
    public enum Continuity: Sendable, Equatable {
        /// The next event: sequence is head+1 and prevhash is the head's hash.
        case next
        /// Already applied (sequence ≤ head, same hash as recorded or older): skip it.
        case duplicate
        /// A gap (sequence > head+1) or a fork (prevhash differs): quarantine, never apply.
        case broken(String)
    }

    /// Checks `event` (which carries gateway attributes) against this head.
    public func continuity(of event: CloudEvent) -> Continuity {
        guard let seq = event.sequence, let prev = event.prevhash else { return .broken("event has no sequence or prevhash") }
        if seq <= sequence { return .duplicate }
        if seq > sequence + 1 { return .broken("gap: stream is at \(sequence), event has sequence \(seq)") }
        if prev != hash { return .broken("fork: prevhash \(prev.prefix(12))… does not match head \(hash.prefix(12))…") }
        if let h = event.hash, h != event.computeHash() { return .broken("hash mismatch: the event's content does not match its hash") }
        return .next
    }

    /// The head after appending `event` (which must be ``Continuity/next``).
    public func advanced(by event: CloudEvent) -> StreamHead {
        StreamHead(stream: stream, sequence: event.sequence ?? sequence + 1, hash: event.hash ?? hash, state: Lifecycle.evolve(state, event))
    }
}
