/// A Kafka record header (librdkafka `rd_kafka_headers_t` entry). Names may repeat within one
/// record; order is preserved.
public struct KafkaHeader: Sendable, Hashable {
    /// Header name (UTF-8).
    public var key: String
    /// Header value bytes; `nil` is a null value (distinct from an empty value).
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
