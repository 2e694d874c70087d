import Logging

/// Swift state reachable from librdkafka's C callbacks through the instance opaque
/// (`rd_kafka_conf_set_opaque`).
///
/// ``RDKafkaClient`` retains it before `rd_kafka_new` and releases it right after
/// `rd_kafka_destroy` returns, when no librdkafka thread can call back any more. A client that
/// is never destroyed leaks it rather than leaving librdkafka with a dangling pointer.
final class RDKafkaCallbackContext: Sendable {
    /// Receives librdkafka's log lines and client-level errors.
    let logger: Logger
    /// Set by ``KafkaConsumer/subscribe(topics:onAssign:onRevoke:)``; read by the rebalance
    /// callback on the consumer's polling thread.
    let rebalanceHandlers = Locked<RDKafkaRebalanceHandlers?>(nil)

    init(logger: Logger) {
        self.logger = logger
    }
}

/// The application's rebalance hooks (see ``KafkaConsumer/subscribe(topics:onAssign:onRevoke:)``).
struct RDKafkaRebalanceHandlers: Sendable {
    var onAssign: @Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64]
    var onRevoke: @Sendable ([KafkaTopicPartition]) -> Void
}

/// What to do with one message's delivery report. Passed to librdkafka as the message opaque
/// (retained once when enqueued, released once by the delivery report callback or, if
/// `rd_kafka_produceva` refuses the message, by the producer right away).
final class RDKafkaDeliveryTicket: Sendable {
    let complete: @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void

    init(complete: @escaping @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void) {
        self.complete = complete
    }
}
