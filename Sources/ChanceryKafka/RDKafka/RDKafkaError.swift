import CRdKafka

/// Conversions from librdkafka's error representations to ``KafkaError``.
extension KafkaError {
    /// Kafka protocol and local error codes that are transient by nature: retrying the whole
    /// operation later may succeed.
    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT.rawValue,
        RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue,
        RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND.rawValue,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR.rawValue,
        RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS.rawValue,
    ]

    /// From a bare response code, with an optional message (defaults to `rd_kafka_err2str`).
    init(code: rd_kafka_resp_err_t, message: String? = nil) {
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_err2name(code)),
            message: message ?? String(cString: rd_kafka_err2str(code)),
            isFatal: false,
            isRetriable: Self.retriableCodes.contains(code.rawValue),
            txnRequiresAbort: false
        )
    }

    /// From an `rd_kafka_error_t`, which is destroyed here (the one place it is freed).
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: rd_kafka_error_code(error).rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            txnRequiresAbort: rd_kafka_error_txn_requires_abort(error) != 0
        )
    }

    /// From `code`; when it is `_FATAL`, the instance's underlying fatal error
    /// (`rd_kafka_fatal_error`) is reported instead, with `isFatal` set.
    init(code: rd_kafka_resp_err_t, message: String? = nil, handle: OpaquePointer) {
        guard code == RD_KAFKA_RESP_ERR__FATAL else {
            self.init(code: code, message: message)
            return
        }
        var buffer = [CChar](repeating: 0, count: 512)
        let underlying = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        let reason = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        self.init(code: underlying == RD_KAFKA_RESP_ERR_NO_ERROR ? code : underlying, message: reason.isEmpty ? message : reason)
        self.isFatal = true
        self.isRetriable = false
    }

    /// Thrown when a client is used after it was shut down or closed (`_DESTROY`).
    static func clientClosed(_ what: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__DESTROY, message: "\(what) has been shut down")
    }

    /// Thrown for rejected configuration properties (`_INVALID_ARG`).
    static func invalidConfiguration(_ message: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG, message: message)
    }

    /// Thrown when a topic is not in the cluster's metadata (`UNKNOWN_TOPIC_OR_PART`).
    static func unknownTopic(_ topic: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, message: "topic \(topic) is not in the cluster metadata")
    }

    /// The error means "the client was shut down" (`_DESTROY`).
    var isClientClosed: Bool { self.code == RD_KAFKA_RESP_ERR__DESTROY.rawValue }

    /// The error means librdkafka's local produce queue is full (`_QUEUE_FULL`).
    var isQueueFull: Bool { self.code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue }
}
