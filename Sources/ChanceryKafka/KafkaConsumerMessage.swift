/// A record read by a ``KafkaConsumer``.
public struct KafkaConsumerMessage: Sendable, Hashable {
    /// Source topic.
    public var topic: String
    /// Source partition.
    public var partition: Int32
    /// The record's offset in its partition. Commit `offset + 1` to resume after it.
    public var offset: Int64
    /// Key bytes; `nil` for a null key.
    public var key: [UInt8]?
    /// Value bytes; empty for a null value.
    public var value: [UInt8]
    /// Record headers, in order.
    public var headers: [KafkaHeader]
    /// Record timestamp in milliseconds since the Unix epoch (create or log-append time,
    /// `rd_kafka_message_timestamp`); `nil` when the broker supplied none.
    public var timestampMilliseconds: Int64?

    /// Creates a message; normally messages come from a consumer.
    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader],
        timestampMilliseconds: Int64?
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The topic-partition this message came from.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: self.topic, partition: self.partition)
    }
}
