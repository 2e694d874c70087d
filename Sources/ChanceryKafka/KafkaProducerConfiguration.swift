/// Settings of a ``KafkaProducer``.
public struct KafkaProducerConfiguration: Sendable {
    /// Connection settings and extra librdkafka properties.
    public var kafka: KafkaConfiguration
    /// Makes the producer transactional (`transactional.id`); `nil` for a non-transactional
    /// producer. A transactional producer must call ``KafkaProducer/initTransactions(timeoutMilliseconds:)``
    /// before sending.
    public var transactionalID: String?
    /// Exactly-once, in-order delivery per partition (`enable.idempotence`). Implied by
    /// `transactionalID`.
    public var enableIdempotence: Bool = true
    /// Acknowledgements required from the partition's replicas (`acks`): `"all"`, `"1"` or `"0"`.
    /// Idempotence requires `"all"`.
    public var acks = "all"
    /// Partitioner for records without an explicit partition (`partitioner`). The default
    /// `murmur2_random` places keyed records like the Java client and spreads unkeyed ones.
    public var partitioner = "murmur2_random"
    /// Time in milliseconds to wait for more records before sending a batch (`linger.ms`).
    public var lingerMilliseconds: Int = 5

    /// Creates a producer configuration; parameters match the properties of the same name.
    public init(
        kafka: KafkaConfiguration,
        transactionalID: String? = nil,
        enableIdempotence: Bool = true,
        acks: String = "all",
        partitioner: String = "murmur2_random",
        lingerMilliseconds: Int = 5
    ) {
        self.kafka = kafka
        self.transactionalID = transactionalID
        self.enableIdempotence = enableIdempotence
        self.acks = acks
        self.partitioner = partitioner
        self.lingerMilliseconds = lingerMilliseconds
    }

    /// All librdkafka properties of this producer.
    var properties: [String: String] {
        var typed: [String: String] = [
            "enable.idempotence": self.enableIdempotence ? "true" : "false",
            "acks": self.acks,
            "partitioner": self.partitioner,
            "linger.ms": String(self.lingerMilliseconds),
        ]
        if let transactionalID = self.transactionalID { typed["transactional.id"] = transactionalID }
        return self.kafka.properties(merging: typed)
    }
}
