import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres
import Logging

/// What one retry of a dead letter did (a row of `audit.deadletter_retries`).
public struct DeadLetterRetryReceipt: Sendable, Codable, Hashable {
    /// The dead letter's journal position (its id in `GET /v1/dead-letters/{id}`).
    public var id: Int64
    /// Where the broker holds the dead letter: full topic name, partition and offset.
    public var deadLetterTopic: String
    public var deadLetterPartition: Int32
    public var deadLetterOffset: Int64
    /// The reason it was refused (`error.code`).
    public var code: String
    /// Whether a corrected value was sent instead of the original bytes.
    public var corrected: Bool
    /// Where the retry landed on the inbound topic (from the broker's delivery report).
    public var inboundTopic: String
    public var inboundPartition: Int32
    public var inboundOffset: Int64
    /// Who retried.
    public var retriedBy: String
    /// When the retry was recorded (RFC 3339, UTC).
    public var retriedAt: String
}

/// Why a dead letter could not be retried.
public enum DeadLetterRetryError: Error, Sendable, Equatable {
    /// The journal holds no dead letter at this position.
    case notADeadLetter(Int64)
    /// The journal holds the dead letter but the broker's dead-letter topic no longer does (a broker that dropped it).
    case notInBroker(Int64)
}

/// Sends a dead letter to the inbound topic again, as `chancery deadletter retry` does, and records the retry.
///
/// The dead letter is named by its journal position. Its copy in the broker is found by its `chancery-position` header;
/// the retry is that record (or `value`, a corrected one) without the reason headers, with `retry.of` naming the dead
/// letter and `authorization` carrying the retrying operator's bearer token (the inbound door checks it like any
/// other record's) (``DeadLetter/retryRecord(inboundTopic:value:bearerToken:)``). ``retry(position:value:bearerToken:by:)``
/// returns only once the broker acknowledged the record (`acks=all`) and `audit.deadletter_retries` holds the retry.
/// A retry is not idempotent: each call sends the record again (the gateway answers an event it already appended with
/// its first result, so a re-sent event is appended once).
public struct DeadLetterRetrier: Sendable {
    let database: PostgresClient
    let kafka: KafkaConfiguration
    let topics: TopicNames
    let logger: Logger

    /// - Parameters:
    ///   - kafka: the cluster that holds the dead-letter and inbound topics.
    ///   - topics: topic names with the configured prefix.
    public init(database: PostgresClient, kafka: KafkaConfiguration, topics: TopicNames, logger: Logger) {
        self.database = database
        self.kafka = kafka
        self.topics = topics
        self.logger = logger
    }

    /// Retries the dead letter at journal `position`.
    /// - Parameters:
    ///   - value: a corrected record value (the event JSON, or `data` in binary mode); nil re-sends the original bytes.
    ///   - bearerToken: the token the retry is published with (`chancery_<id>.<secret>`).
    ///   - by: who retries (recorded).
    /// - Throws: ``DeadLetterRetryError`` when there is no such dead letter; the broker's or PostgreSQL's error when the
    ///   retry could not be sent or recorded (it may then have been sent without being recorded).
    public func retry(position: Int64, value: [UInt8]?, bearerToken: String, by: String) async throws -> DeadLetterRetryReceipt {
        guard let row = try await database.query(
            "SELECT topic FROM audit.journal WHERE position = \(position) AND subject IS NULL").first else {
            throw DeadLetterRetryError.notADeadLetter(position)
        }
        let topic = try row.decode(String.self, at: 0)
        let records = try await LogTail.records(topics: [topic], kafka: kafka, logger: logger, idleMilliseconds: 3_000)
        guard let record = records.first(where: { $0.headers.last { $0.key == LogPosition.header }?.value.flatMap(LogPosition.parse) == position }) else {
            logger.warning("dead letter not found in the broker", metadata: ["position": "\(position)", "records read": "\(records.count)", "topic": "\(topic)"])
            throw DeadLetterRetryError.notInBroker(position)
        }
        let deadLetter = DeadLetter(record: record)
        let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: logger)
        let report: KafkaDeliveryReport
        do {
            report = try await producer.send([deadLetter.retryRecord(inboundTopic: topics.inbound, value: value, bearerToken: bearerToken)])[0]
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
        let retriedAt = try await database.query(
            """
            INSERT INTO audit.deadletter_retries (deadletter_topic, deadletter_partition, deadletter_offset, error_code, corrected,
                                                  inbound_topic, inbound_partition, inbound_offset, retried_by, deadletter_position)
            VALUES (\(record.topic), \(record.partition), \(record.offset), \(deadLetter.code), \(value != nil), \(report.topic), \(report.partition), \(report.offset), \(by), \(position))
            RETURNING to_char(retried_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            """).first?.decode(String.self, at: 0) ?? ""
        return DeadLetterRetryReceipt(
            id: position, deadLetterTopic: record.topic, deadLetterPartition: record.partition, deadLetterOffset: record.offset,
            code: deadLetter.code, corrected: value != nil, inboundTopic: report.topic, inboundPartition: report.partition,
            inboundOffset: report.offset, retriedBy: by, retriedAt: retriedAt)
    }
}
