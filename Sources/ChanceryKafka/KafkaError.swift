/// An error reported by librdkafka or by this module.
///
/// Thrown by every throwing API of `ChanceryKafka`. For broker and client errors `code` is the
/// raw `rd_kafka_resp_err_t` value (negative for librdkafka-local errors such as
/// `_MSG_TIMED_OUT` = -192, non-negative for Kafka protocol errors such as
/// `UNKNOWN_TOPIC_OR_PART` = 3); `name` is `rd_kafka_err2name(code)`.
///
/// Errors that librdkafka returns as `rd_kafka_error_t` (the transactional API,
/// `rd_kafka_produceva`) carry its `rd_kafka_error_is_fatal`, `rd_kafka_error_is_retriable`
/// and `rd_kafka_error_txn_requires_abort` flags. Errors that librdkafka only reports as a bare
/// `rd_kafka_resp_err_t` (delivery reports, consumer errors) set `isRetriable` from a small
/// table of transient codes and `isFatal` only for `_FATAL` (in which case `code` is the
/// underlying error taken from `rd_kafka_fatal_error`).
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// Raw `rd_kafka_resp_err_t` value.
    public var code: Int32
    /// Symbolic name of `code` (`rd_kafka_err2name`), e.g. `"TOPIC_AUTHORIZATION_FAILED"`.
    public var name: String
    /// Human-readable detail (`rd_kafka_error_string`, the delivery report's error string, or
    /// a message written by this module).
    public var message: String
    /// The client instance is unusable and must be shut down (`rd_kafka_error_is_fatal`).
    public var isFatal: Bool
    /// The operation may succeed if retried (`rd_kafka_error_is_retriable`).
    public var isRetriable: Bool
    /// The current transaction must be aborted with `abortTransaction` before a new one can be
    /// begun (`rd_kafka_error_txn_requires_abort`).
    public var txnRequiresAbort: Bool

    /// Creates an error from its parts; normally errors come from this module.
    public init(
        code: Int32,
        name: String,
        message: String,
        isFatal: Bool = false,
        isRetriable: Bool = false,
        txnRequiresAbort: Bool = false
    ) {
        self.code = code
        self.name = name
        self.message = message
        self.isFatal = isFatal
        self.isRetriable = isRetriable
        self.txnRequiresAbort = txnRequiresAbort
    }

    /// `"KafkaError(NAME [code]: message, fatal, retriable, txnRequiresAbort)"`; flags appear
    /// only when set.
    public var description: String {
        var flags: [String] = []
        if self.isFatal { flags.append("fatal") }
        if self.isRetriable { flags.append("retriable") }
        if self.txnRequiresAbort { flags.append("txnRequiresAbort") }
        let suffix = flags.isEmpty ? "" : ", " + flags.joined(separator: ", ")
        return "KafkaError(\(self.name) [\(self.code)]: \(self.message)\(suffix))"
    }
}
