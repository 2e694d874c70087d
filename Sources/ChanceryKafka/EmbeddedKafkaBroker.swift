import Logging

/// librdkafka's in-process mock cluster (`rd_kafka_mock_cluster_new`), listening on
/// 127.0.0.1 ephemeral ports so that any Kafka client (kcat included) can reach it. Memory
/// only; for trying and testing.
///
/// The mock supports produce (idempotent and transactional), fetch, consumer groups with
/// offset commits, metadata and watermarks. It does not implement CreateTopics (use
/// ``createTopic(_:partitions:replicationFactor:)``), auto-creates unknown topics with 4
/// partitions when a client's metadata request allows it, does not filter aborted
/// transactional records, writes no transaction control records, does not fence producers,
/// and does not store offsets sent with `TxnOffsetCommit`.
public final class EmbeddedKafkaBroker: Sendable {
    private let cluster: RDKafkaMockCluster

    /// Bytes of record values each partition keeps: librdkafka 2.0.2's mock cluster drops the oldest
    /// records of a partition beyond 5 MiB (or beyond 100,000 records), moving its low watermark.
    public static let partitionRetentionBytes = 5 * 1024 * 1024

    /// Starts a mock cluster of `brokerCount` brokers, with ids 1...brokerCount.
    /// - Parameter logger: receives the mock cluster's log lines.
    /// - Throws: ``KafkaError`` `_INVALID_ARG` if the cluster cannot be created.
    public init(brokerCount: Int = 1, logger: Logger) throws {
        self.cluster = try RDKafkaMockCluster.make(brokerCount: brokerCount, logger: logger)
    }

    /// `bootstrap.servers` value for clients: `127.0.0.1:port[,127.0.0.1:port...]`.
    public var bootstrapServers: String { self.cluster.bootstrapServers }

    /// Creates a topic (`rd_kafka_mock_topic_create`).
    /// - Parameters:
    ///   - partitions: partition count.
    ///   - replicationFactor: replicas per partition, at most the broker count.
    /// - Throws: ``KafkaError`` from the mock (e.g. `TOPIC_ALREADY_EXISTS`), `_DESTROY` after
    ///   shutdown.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try self.cluster.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
    }

    /// Makes the next `errors.count` requests with Kafka protocol `apiKey` (e.g. 0 = Produce,
    /// 1 = Fetch, 3 = Metadata, 8 = OffsetCommit, 22 = InitProducerId, 26 = EndTxn) fail with
    /// these `rd_kafka_resp_err_t` codes, in order (`rd_kafka_mock_push_request_errors_array`).
    /// `-195` (`_TRANSPORT`) disconnects the client instead. Ignored after shutdown.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        self.cluster.pushRequestErrors(apiKey: apiKey, errors: errors)
    }

    /// Disconnects broker `id` (or all with -1) and refuses new connections
    /// (`rd_kafka_mock_broker_set_down`); partition leadership does not move. Ignored after
    /// shutdown or for an unknown id (logged by the mock).
    public func setBrokerDown(_ id: Int32) {
        try? self.cluster.setBroker(id, up: false)
    }

    /// Lets broker `id` (or all with -1) accept connections again (`rd_kafka_mock_broker_set_up`).
    /// Ignored after shutdown.
    public func setBrokerUp(_ id: Int32) {
        try? self.cluster.setBroker(id, up: true)
    }

    /// Stops the brokers and frees the cluster without blocking the caller: the teardown
    /// (`rd_kafka_mock_cluster_destroy`, which may take about a second in librdkafka 2.0.2)
    /// runs on a background queue, so the ports close shortly after this returns. Later calls
    /// on this broker are ignored or throw `_DESTROY`; clients still connected see their
    /// brokers disappear. Idempotent.
    public func shutdown() {
        self.cluster.destroy()
    }
}
