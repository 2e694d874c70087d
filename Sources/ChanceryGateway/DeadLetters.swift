import ChanceryDomain
import ChanceryKafka

/// A record of the dead-letter topic with its reason (see ``DeadLetterHeader``).
public struct DeadLetter: Sendable {
    public var record: KafkaConsumerMessage

    public init(record: KafkaConsumerMessage) { self.record = record }

    /// The value of header `name` as UTF-8 text.
    public func header(_ name: String) -> String? {
        record.headers.last { $0.key == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }

    public var code: String { header(DeadLetterHeader.code) ?? "" }
    public var message: String { header(DeadLetterHeader.message) ?? "" }
    public var pointer: String { header(DeadLetterHeader.pointer) ?? "" }
    /// `topic/partition/offset` of the refused record.
    public var origin: String {
        "\(header(DeadLetterHeader.originalTopic) ?? "?")/\(header(DeadLetterHeader.originalPartition) ?? "?")/\(header(DeadLetterHeader.originalOffset) ?? "?")"
    }

    /// The record to produce to the inbound topic to try again: the same key, `value` (the original, or a
    /// corrected one), the original headers without the reason headers, `retry.of` naming this dead letter,
    /// and `authorization` with the retrying operator's bearer token (dead letters carry no credential).
    public func retryRecord(inboundTopic: String, value: [UInt8]? = nil, bearerToken: String? = nil) -> KafkaProducerRecord {
        let reasonHeaders: Set<String> = [
            DeadLetterHeader.code, DeadLetterHeader.message, DeadLetterHeader.pointer, DeadLetterHeader.originalTopic,
            DeadLetterHeader.originalPartition, DeadLetterHeader.originalOffset, "retry.of", "authorization",
            // The dead letter's own place in the log; the retry gets its own when the gateway commits it.
            LogPosition.header,
        ]
        var headers = record.headers.filter { !reasonHeaders.contains($0.key) }
        headers.append(KafkaHeader(key: "retry.of", value: Array("\(record.topic)/\(record.partition)/\(record.offset)".utf8)))
        if let bearerToken { headers.append(KafkaHeader(key: "authorization", value: Array("Bearer \(bearerToken)".utf8))) }
        return KafkaProducerRecord(topic: inboundTopic, key: record.key, value: value ?? record.value, headers: headers, partition: nil)
    }
}
