import ChanceryDomain

/// How much the gateway keeps in memory between requests (README, "Performance", P6): the heads of the streams it
/// touched last and the answers of the events it appended last, for idempotent retries. What it forgets it asks its
/// store for (``GatewayStore``, once per group commit); it forgets only what the store already holds — an entry
/// written since the projector's committed offsets stays, however full the cache, until the projector has applied it.
public struct GatewayCacheCapacity: Sendable, Hashable {
    /// Stream heads kept (sequence, last hash and lifecycle state of a stream; about 350 bytes each). Default 100,000.
    public var streams: Int
    /// Idempotency records kept (the answer of one appended event, by `source` + `id`; about 350 bytes each).
    /// Default 100,000.
    public var events: Int

    /// The default: 100,000 streams and 100,000 events, about 70 MB together.
    public static let standard = GatewayCacheCapacity(streams: 100_000, events: 100_000)

    /// - Parameters:
    ///   - streams: stream heads kept (values below 1 are read as 1).
    ///   - events: idempotency records kept (values below 1 are read as 1).
    public init(streams: Int, events: Int) {
        self.streams = max(1, streams)
        self.events = max(1, events)
    }
}

/// A stream head as the gateway caches it, with the Kafka place of the last event the gateway itself wrote to the
/// stream (nil: the head came from the store, which therefore holds it).
struct CachedHead: Sendable {
    var head: StreamHead
    var lastWrite: KafkaPlace?
}

/// Where a record is in Kafka: full topic name, partition and offset.
struct KafkaPlace: Sendable, Hashable {
    var topic: String
    var partition: Int32
    var offset: Int64
}

/// The store's progress: per full topic name and partition, the next offset its projector will read; every record
/// before it is in the store (the projector writes the read models and its offsets in one transaction).
struct StoreProgress: Sendable {
    var nextOffsets: [String: [Int32: Int64]]

    /// Whether the store holds the record at `place`.
    func holds(_ place: KafkaPlace) -> Bool {
        guard let next = nextOffsets[place.topic]?[place.partition] else { return false }
        return next > place.offset
    }

    /// Whether the store holds the appended event `answer`.
    func holds(_ answer: AppendedEvent) -> Bool {
        holds(KafkaPlace(topic: answer.topic, partition: answer.partition, offset: answer.offset))
    }
}
