
/// Kafka topic names with the configurable prefix for multi-tenant clusters (DESIGN.md, "Topics").
public struct TopicNames: Sendable, Hashable {
    /// Prepended to every topic name, e.g. `tenant1.`; empty by default.
    public var prefix: String

    public init(prefix: String = "") { self.prefix = prefix }

    /// The full name of canonical topic `base` (e.g. `gov.approval`).
    public func canonical(_ base: String) -> String { prefix + base }
    /// The five canonical topics, full names.
    public var allCanonical: [String] { CanonicalTopic.all.map(canonical) }
    /// The inbound door `gov.inbound`.
    public var inbound: String { prefix + "gov.inbound" }
    /// The dead-letter topic `gov.deadletter`.
    public var deadLetter: String { prefix + "gov.deadletter" }
}
