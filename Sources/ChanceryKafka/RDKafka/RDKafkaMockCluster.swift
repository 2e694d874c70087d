import CRdKafka
import Dispatch
import Logging

/// Owner of a librdkafka mock cluster (`rd_kafka_mock_cluster_t`) and of the plain
/// `rd_kafka_t` it is attached to. Both are freed in ``destroy()`` only.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let client: RDKafkaClient
    private let cluster: OpaquePointer
    private let destroyed = Locked(false)
    /// `rd_kafka_mock_cluster_bootstraps`: `127.0.0.1:port,...`.
    let bootstrapServers: String

    private init(client: RDKafkaClient, cluster: OpaquePointer) {
        self.client = client
        self.cluster = cluster
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    /// `rd_kafka_mock_cluster_new(rk, brokerCount)`. - Throws: ``KafkaError`` `_INVALID_ARG`
    /// (the creation failed; librdkafka logs why), `_DESTROY`.
    static func make(brokerCount: Int, logger: Logger) throws -> RDKafkaMockCluster {
        let client = try RDKafkaClient.make(
            kind: .plain,
            properties: ["client.id": "chancery-embedded-kafka"],
            context: RDKafkaCallbackContext(logger: logger),
            label: "mock-cluster"
        )
        let cluster: OpaquePointer? = try client.withHandle { rd_kafka_mock_cluster_new($0, Int32(clamping: brokerCount)) }
        guard let cluster else {
            client.destroyDetached()
            throw KafkaError.invalidConfiguration("rd_kafka_mock_cluster_new(\(brokerCount)) failed")
        }
        return RDKafkaMockCluster(client: client, cluster: cluster)
    }

    private func withCluster<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        try self.destroyed.withLock { destroyed in
            guard !destroyed else { throw KafkaError.clientClosed("embedded Kafka broker") }
            return try body(self.cluster)
        }
    }

    /// `rd_kafka_mock_topic_create`. - Throws: ``KafkaError`` (e.g. `TOPIC_ALREADY_EXISTS`), `_DESTROY`.
    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws {
        try self.withCluster { cluster in
            let result = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: result, message: "create topic \(name): \(String(cString: rd_kafka_err2str(result)))") }
        }
    }

    /// `rd_kafka_mock_push_request_errors_array`. Ignored after ``destroy()``.
    func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        try? self.withCluster { cluster in
            codes.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, apiKey, $0.count, $0.baseAddress) }
        }
    }

    /// `rd_kafka_mock_broker_set_down` / `_set_up`. - Throws: ``KafkaError``, `_DESTROY`.
    func setBroker(_ id: Int32, up: Bool) throws {
        try self.withCluster { cluster in
            let result = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: result) }
        }
    }

    /// Marks the cluster destroyed (later calls are refused), then on a background queue runs
    /// `rd_kafka_mock_cluster_destroy` (closes the listeners and joins the mock thread; in
    /// librdkafka 2.0.2 this sometimes takes ~1 s because the mock thread sleeps in a 1 s poll)
    /// and destroys the owning `rd_kafka_t`. Returns at once. Idempotent.
    func destroy() {
        let first = self.destroyed.withLock { destroyed -> Bool in
            defer { destroyed = true }
            return !destroyed
        }
        guard first else { return }
        DispatchQueue(label: "chancery.kafka.mock-cluster.teardown").async {
            rd_kafka_mock_cluster_destroy(self.cluster)
            self.client.destroyDetached()
        }
    }
}
