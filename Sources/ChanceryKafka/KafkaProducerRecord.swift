/// A record to produce with ``KafkaProducer/send(_:)``.
public struct KafkaProducerRecord: Sendable, Hashable {
    /// Destination topic.
    public var topic: String
    /// Record key bytes; `nil` for a null key. Keyed records go to the partition the
    /// configured `partitioner` chooses for the key.
    public var key: [UInt8]?
    /// Record value bytes (copied by librdkafka, `RD_KAFKA_MSG_F_COPY`).
    public var value: [UInt8]
    /// Record headers, in order.
    public var headers: [KafkaHeader]
    /// Explicit partition; `nil` lets the partitioner choose (`RD_KAFKA_PARTITION_UA`).
    public var partition: Int32?

    /// Creates a record.
    public init(topic: String, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = [], partition: Int32? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}

/// Where a record was stored, from librdkafka's delivery report (`dr_msg_cb`).
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// Topic written.
    public var topic: String
    /// Partition written.
    public var partition: Int32
    /// Offset the broker assigned to the record. `-1` (`RD_KAFKA_OFFSET_INVALID`) when the
    /// broker did not return one (only with `acks=0`).
    public var offset: Int64

    /// Creates a report.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
