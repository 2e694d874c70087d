/// Settings of a ``KafkaConsumer``.
public struct KafkaConsumerConfiguration: Sendable {
    /// Which records a consumer may read (`isolation.level`).
    public enum IsolationLevel: String, Sendable {
        /// Only records of committed transactions and non-transactional records, up to the last
        /// stable offset.
        case readCommitted = "read_committed"
        /// Every record, including those of open and aborted transactions.
        case readUncommitted = "read_uncommitted"
    }

    /// Connection settings and extra librdkafka properties.
    public var kafka: KafkaConfiguration
    /// Consumer group (`group.id`). Required by librdkafka's high-level consumer even for
    /// manual assignment; used for committed offsets and ``KafkaProducer/sendOffsetsToTransaction(_:consumer:timeoutMilliseconds:)``.
    public var groupID: String
    /// `isolation.level`.
    public var isolationLevel: IsolationLevel = .readCommitted
    /// Periodic background offset commits (`enable.auto.commit`); off by default so the
    /// application commits (or sends offsets to a transaction) itself.
    public var enableAutoCommit = false
    /// Where to start when a partition has no committed offset or it is out of range
    /// (`auto.offset.reset`): `"earliest"`, `"latest"` or `"error"`.
    public var autoOffsetReset = "earliest"
    /// Longest time, in milliseconds, a broker holds a fetch request waiting for new records (`fetch.wait.max.ms`,
    /// librdkafka's default 500). A real broker answers as soon as records arrive; librdkafka's mock cluster (the
    /// embedded broker) only at this bound, so it sets how soon a consumer tailing the embedded broker sees a record.
    public var fetchWaitMaxMilliseconds = 500

    /// Creates a consumer configuration; parameters match the properties of the same name.
    public init(
        kafka: KafkaConfiguration,
        groupID: String,
        isolationLevel: IsolationLevel = .readCommitted,
        enableAutoCommit: Bool = false,
        autoOffsetReset: String = "earliest"
    ) {
        self.kafka = kafka
        self.groupID = groupID
        self.isolationLevel = isolationLevel
        self.enableAutoCommit = enableAutoCommit
        self.autoOffsetReset = autoOffsetReset
    }

    /// All librdkafka properties of this consumer.
    var properties: [String: String] {
        self.kafka.properties(merging: [
            "group.id": self.groupID,
            "isolation.level": self.isolationLevel.rawValue,
            "enable.auto.commit": self.enableAutoCommit ? "true" : "false",
            "auto.offset.reset": self.autoOffsetReset,
            "fetch.wait.max.ms": String(self.fetchWaitMaxMilliseconds),
        ])
    }
}
