import ChanceryKafka

/// One record of the log of record: a Kafka record with its partition, its place in the total order and,
/// for a canonical event, its stream position.
public struct JournalRecord: Sendable, Hashable {
    /// Position in the log of record (1, 2, 3 … in commit order, without gaps).
    public var position: Int64
    /// The gateway commit (one Kafka transaction) the record belongs to.
    public var commitGroup: Int64
    /// The Kafka record; its `partition` is always set.
    public var record: KafkaProducerRecord
    /// Stream of a canonical event; nil for a dead letter.
    public var subject: String?
    /// Stream sequence of a canonical event.
    public var sequence: Int64?
    /// Hex SHA-256 of a canonical event.
    public var hash: String?

    /// Creates a journal record.
    public init(position: Int64, commitGroup: Int64, record: KafkaProducerRecord, subject: String? = nil, sequence: Int64? = nil, hash: String? = nil) {
        self.position = position
        self.commitGroup = commitGroup
        self.record = record
        self.subject = subject
        self.sequence = sequence
        self.hash = hash
    }
}

/// The end of the journal: its last position and commit group (both 0 when empty).
public struct JournalTail: Sendable, Hashable {
    public var position: Int64
    public var commitGroup: Int64

    public init(position: Int64, commitGroup: Int64) {
        self.position = position
        self.commitGroup = commitGroup
    }
}

/// The durable log of record that the gateway writes each commit group to before it answers (README,
/// "The log is the record"). With the embedded broker, whose log lives in memory, the journal is what
/// survives a crash: at start the broker is seeded from it (``JournalSeeder``).
public protocol EventJournal: Sendable {
    /// The last position and commit group written.
    /// - Throws: when the store cannot be read.
    func tail() async throws -> JournalTail

    /// Writes the records of one commit group durably, all or nothing, before the gateway publishes them.
    /// - Parameter records: consecutive positions following ``tail()``, one commit group, partitions set.
    /// - Throws: when the store did not confirm the write; the group may or may not be recorded then (the
    ///   gateway reads ``tail()`` to find out).
    func append(_ records: [JournalRecord]) async throws

    /// The records after `position`, in position order, at most `limit` of them.
    /// - Throws: when the store cannot be read or a row is malformed.
    func records(after position: Int64, limit: Int) async throws -> [JournalRecord]

    /// The partition count each journaled topic was written with (full topic names).
    /// - Throws: when the store cannot be read.
    func partitionCounts() async throws -> [String: Int32]

    /// Records the partition count of topics not recorded yet; counts already recorded are kept.
    /// - Throws: when the store cannot be written.
    func recordPartitionCounts(_ counts: [String: Int32]) async throws
}
