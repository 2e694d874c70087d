import ChanceryDomain
import ChanceryKafka

/// One record of the inbound topic as the gateway sees it: decoded and validated, or refused.
public struct InboundItem: Sendable {
    public enum Content: Sendable {
        case event(SubmittedEvent)
        case refused(EventRejection)
    }
    public var content: Content
    /// The consumed record (its key, value and headers go to the dead-letter topic when refused).
    public var record: KafkaConsumerMessage

    public init(content: Content, record: KafkaConsumerMessage) {
        self.content = content
        self.record = record
    }
}

/// What became of one inbound record.
public enum InboundOutcome: Sendable, Equatable {
    /// Appended (or appended before: the first answer).
    case appended(AppendedEvent)
    /// Sent to the dead-letter topic with this reason.
    case deadLettered(EventRejection)
}

/// A batch of inbound records, its consumed offsets and the consumer they belong to, processed in one
/// Kafka transaction: canonical appends, dead letters and offsets commit together or not at all.
public struct InboundBatch: Sendable {
    public var items: [InboundItem]
    /// Per partition of the inbound topic, the next offset to consume.
    public var offsets: [KafkaTopicPartition: Int64]
    public var consumer: KafkaConsumer

    public init(items: [InboundItem], offsets: [KafkaTopicPartition: Int64], consumer: KafkaConsumer) {
        self.items = items
        self.offsets = offsets
        self.consumer = consumer
    }
}

/// Dead-letter headers (DESIGN.md, "Topics"): the reason and where the record came from.
public enum DeadLetterHeader {
    /// Stable reason code, as the HTTP problem type's last segment (e.g. `invalid-data`).
    public static let code = "error.code"
    /// A sentence for a person.
    public static let message = "error.message"
    /// RFC 6901 pointer of the offending member of the event.
    public static let pointer = "error.pointer"
    /// The topic, partition and offset of the refused record.
    public static let originalTopic = "original.topic"
    public static let originalPartition = "original.partition"
    public static let originalOffset = "original.offset"

    /// The dead-letter record for `record` refused for `rejection`: same key and value, the original
    /// headers except `authorization` (a dead letter never carries a credential), then the reason headers.
    public static func record(for record: KafkaConsumerMessage, rejection: EventRejection, topic: String) -> KafkaProducerRecord {
        var headers = record.headers.filter {
            ![code, message, pointer, originalTopic, originalPartition, originalOffset].contains($0.key) && $0.key.lowercased() != "authorization"
        }
        headers += [
            KafkaHeader(key: code, value: Array(rejection.code.utf8)),
            KafkaHeader(key: message, value: Array(rejection.message.utf8)),
            KafkaHeader(key: pointer, value: Array(rejection.pointer.utf8)),
            KafkaHeader(key: originalTopic, value: Array(record.topic.utf8)),
            KafkaHeader(key: originalPartition, value: Array(String(record.partition).utf8)),
            KafkaHeader(key: originalOffset, value: Array(String(record.offset).utf8)),
        ]
        return KafkaProducerRecord(topic: topic, key: record.key, value: record.value, headers: headers, partition: nil)
    }
}
