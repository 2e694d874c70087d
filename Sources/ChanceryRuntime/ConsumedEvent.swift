import ChanceryDomain

/// A canonical event as consumed from Kafka, with its position in the log.
public struct ConsumedEvent: Sendable {
    public var event: CloudEvent
    /// Full topic name.
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(event: CloudEvent, topic: String, partition: Int32, offset: Int64) {
        self.event = event
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
