import ChanceryDomain

/// One event of an append request: the validated event and what its publisher expects of its stream.
public struct SubmittedEvent: Sendable {
    public var event: CloudEvent
    public var expected: ExpectedVersion
    public init(event: CloudEvent, expected: ExpectedVersion = .any) {
        self.event = event
        self.expected = expected
    }
}

/// Where and as what an event was appended: the answer to an append, repeated for a re-sent id.
public struct AppendedEvent: Sendable, Hashable, Codable {
    /// The event id.
    public var id: String
    /// The publisher's `source`.
    public var source: String
    /// The stream (`subject`).
    public var subject: String
    /// Full Kafka topic name.
    public var topic: String
    /// Kafka partition.
    public var partition: Int32
    /// Kafka offset of the record.
    public var offset: Int64
    /// The stream version assigned.
    public var sequence: Int64
    /// Hex SHA-256 of the event.
    public var hash: String
    /// Hex SHA-256 of what the publisher sent (``CloudEvent/publisherContent()``), to refuse the same id with other content.
    public var contentDigest: String

    public init(id: String, source: String, subject: String, topic: String, partition: Int32, offset: Int64, sequence: Int64, hash: String, contentDigest: String) {
        self.id = id
        self.source = source
        self.subject = subject
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.sequence = sequence
        self.hash = hash
        self.contentDigest = contentDigest
    }
}

/// The answer to one append request: one entry per submitted event, in order.
public struct AppendResult: Sendable {
    public var events: [AppendedEvent]
    /// True when every event had been appended before (a pure retry): nothing new was appended.
    public var replayed: Bool
}

/// Why an append request failed as a whole.
public enum AppendFailure: Error, Sendable {
    /// The request is refused (validation, lifecycle, version conflict, id reused with other content).
    /// `index` is the position of the offending event in the request.
    case rejected(index: Int, EventRejection)
    /// The gateway could not append (Kafka unavailable, transaction aborted, still restoring); retry later.
    case unavailable(String)
}

/// The key of an event's identity (CloudEvents §3.1.1: `source` + `id`).
struct EventKey: Hashable, Sendable {
    var source: String
    var id: String
}
