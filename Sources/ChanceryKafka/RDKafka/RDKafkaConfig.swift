import CRdKafka

/// Builds librdkafka configuration objects (`rd_kafka_conf_t`).
enum RDKafkaConfig {
    /// Creates an `rd_kafka_conf_t` with every property set, in key order.
    ///
    /// The caller owns the result until it is handed to `rd_kafka_new` (which takes it over on
    /// success); ``RDKafkaClient/make(kind:properties:context:label:)`` is the only caller.
    /// - Throws: ``KafkaError`` `_INVALID_ARG` naming the property librdkafka rejected.
    static func make(properties: [String: String]) throws -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError.invalidConfiguration("rd_kafka_conf_new failed")
        }
        do {
            for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
                try self.set(conf, key: key, value: value)
            }
        } catch {
            rd_kafka_conf_destroy(conf)
            throw error
        }
        return conf
    }

    /// `rd_kafka_conf_set`. - Throws: ``KafkaError`` `_INVALID_ARG`.
    static func set(_ conf: OpaquePointer, key: String, value: String) throws {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
        guard result == RD_KAFKA_CONF_OK else {
            let reason = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError.invalidConfiguration("\(key)=\(value): \(reason)")
        }
    }
}
