import Logging

/// Read-only cluster queries (metadata, watermarks) over a plain librdkafka instance; blocking
/// calls run on the client's own serial queue, never on Swift's cooperative pool.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient

    /// Creates the client (`rd_kafka_new(RD_KAFKA_PRODUCER)`, used for queries only) with
    /// `bootstrap.servers`, `client.id` and `additionalProperties`.
    /// - Throws: ``KafkaError`` `_INVALID_ARG` for a rejected property.
    public init(configuration: KafkaConfiguration, logger: Logger) throws {
        self.client = try RDKafkaClient.make(
            kind: .plain,
            properties: configuration.properties(),
            context: RDKafkaCallbackContext(logger: logger),
            label: "admin"
        )
    }

    /// Number of partitions of `topic` (`rd_kafka_metadata`).
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` `UNKNOWN_TOPIC_OR_PART` if the topic does not exist,
    ///   `_TIMED_OUT` / `_TRANSPORT` if the cluster is unreachable, `_DESTROY` after shutdown.
    public func partitionCount(topic: String, timeoutMilliseconds: Int = 10000) async throws -> Int {
        let topics = try await self.client.topicPartitionCounts(timeoutMilliseconds: timeoutMilliseconds)
        guard let count = topics[topic] else { throw KafkaError.unknownTopic(topic) }
        return count
    }

    /// Low and high watermark offsets of a partition (`rd_kafka_query_watermark_offsets`): the
    /// first offset still stored and the offset the next record will get.
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` (e.g. `UNKNOWN_TOPIC_OR_PART`, `_TIMED_OUT`), `_DESTROY` after
    ///   shutdown.
    public func watermarks(_ tp: KafkaTopicPartition, timeoutMilliseconds: Int = 10000) async throws -> (low: Int64, high: Int64) {
        try await self.client.watermarks(tp, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Every topic in the cluster with its partition count (`rd_kafka_metadata`, all topics).
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` (`_TIMED_OUT` / `_TRANSPORT`), `_DESTROY` after shutdown.
    public func topics(timeoutMilliseconds: Int = 10000) async throws -> [String: Int] {
        try await self.client.topicPartitionCounts(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Destroys the handle (`rd_kafka_destroy`) on the client's queue, after any query in
    /// progress; returns at once without blocking. Idempotent; later queries throw `_DESTROY`.
    public func shutdown() {
        self.client.destroyDetached()
    }
}
