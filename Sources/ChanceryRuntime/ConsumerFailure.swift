import ChanceryKafka
import ChanceryPostgres

/// How a consumer tells a failure worth retrying from one that will fail the same way every time.
///
/// - Transient (the batch is rolled back and retried from the stored offsets after a pause): PostgreSQL
///   unreachable, restarting, out of resources, a serialization or deadlock race (``PostgresError/isTransient``),
///   any Kafka error, cancellation, and ``ConsumerFailure/transient(_:)`` thrown by a handler (for example when the
///   gateway cannot take the supervisor's alerts yet).
/// - Permanent (everything else: a constraint, a conversion such as `22P05`, a value out of range, a handler's
///   own error on one event): the batch is applied again event by event, each in a savepoint, and only the
///   events that fail are quarantined in `audit.quarantine` with their reason; the rest of the batch is applied.
public enum ConsumerFailure: Error, CustomStringConvertible {
    /// A failure that a later retry may not meet; thrown by a handler to ask for one.
    case transient(String)

    public var description: String {
        switch self {
        case .transient(let why): "transient: \(why)"
        }
    }

    /// Whether `error` is transient (see ``ConsumerFailure``).
    public static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case is CancellationError, is KafkaError, is ConsumerFailure: true
        case let postgres as PostgresError: postgres.isTransient
        default: false
        }
    }
}
