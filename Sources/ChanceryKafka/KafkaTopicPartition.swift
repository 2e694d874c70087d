/// A partition of a topic (librdkafka's `rd_kafka_topic_partition_t` without the offset).
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// Topic name.
    public var topic: String
    /// Partition number, from 0.
    public var partition: Int32

    /// Creates a topic-partition pair.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `"topic[partition]"`.
    public var description: String { "\(self.topic)[\(self.partition)]" }
}
