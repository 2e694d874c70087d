/// Connection settings shared by producers, consumers and the admin client.
///
/// Each field maps to one librdkafka configuration property; `additionalProperties` reaches
/// every other one (see librdkafka's CONFIGURATION.md) and is applied last, so it overrides
/// the typed fields.
public struct KafkaConfiguration: Sendable {
    /// Comma-separated `host:port` list of bootstrap brokers (`bootstrap.servers`).
    public var bootstrapServers: String
    /// Client identifier sent to brokers and used in log labels (`client.id`); librdkafka's
    /// default `rdkafka` when `nil`.
    public var clientID: String?
    /// Any further librdkafka property, by its librdkafka name, e.g.
    /// `["socket.timeout.ms": "5000", "debug": "broker"]`. Invalid names or values make the
    /// client's initializer throw a `KafkaError` (`_INVALID_ARG`).
    public var additionalProperties: [String: String]

    /// Creates a configuration for the given `bootstrap.servers`.
    public init(bootstrapServers: String, clientID: String? = nil, additionalProperties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.additionalProperties = additionalProperties
    }

    /// The librdkafka properties of this configuration, `typed` in between the common fields and
    /// `additionalProperties`.
    func properties(merging typed: [String: String] = [:]) -> [String: String] {
        var properties = ["bootstrap.servers": self.bootstrapServers]
        if let clientID = self.clientID { properties["client.id"] = clientID }
        properties.merge(typed) { _, new in new }
        properties.merge(self.additionalProperties) { _, new in new }
        return properties
    }
}
