import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres
import Dispatch
import Foundation
import Logging
import Metrics

/// A Kafka consumer whose progress lives in PostgreSQL (DESIGN.md, "projector"): on assignment it seeks to
/// the offsets stored in `projection.consumer_offsets`; each batch is checked for stream continuity
/// (guarantee 9), applied by a ``ReadModelHandler`` and its offsets stored, all in one transaction.
/// A crash at any point leaves the read models as if the batch had never started.
public final class ExactlyOnceConsumer: Sendable {
    /// How partitions are obtained.
    public enum Assignment: Sendable {
        /// Consumer-group subscription (production: several instances share the partitions).
        case group
        /// Every partition of the topics, assigned directly (one instance; no group join delay).
        case all
    }

    /// Points where a test can inject a fault.
    public enum Stage: Sendable { case afterApply, afterCommit }

    private let group: String
    private let topics: [String]
    private let kafka: KafkaConfiguration
    private let database: PostgresClient
    private let handler: any ReadModelHandler
    private let assignment: Assignment
    private let logger: Logger
    private let faultInjector: (@Sendable (Stage, [ConsumedEvent]) throws -> Void)?
    private let batchSize: Int
    private let appliedCounter: Counter
    private let quarantinedCounter: Counter

    /// - Parameters:
    ///   - group: the consumer group id, also the key of its offsets and stream positions in PostgreSQL.
    ///   - topics: full topic names to consume.
    ///   - faultInjector: called at each ``Stage``; throwing there simulates a crash (tests only).
    ///   - batchSize: most records applied in one PostgreSQL transaction.
    public init(
        group: String, topics: [String], kafka: KafkaConfiguration, database: PostgresClient,
        handler: any ReadModelHandler, assignment: Assignment = .group, logger: Logger, batchSize: Int = 2000,
        faultInjector: (@Sendable (Stage, [ConsumedEvent]) throws -> Void)? = nil
    ) {
        self.group = group
        self.topics = topics
        self.kafka = kafka
        self.database = database
        self.handler = handler
        self.assignment = assignment
        self.logger = logger
        self.batchSize = batchSize
        self.faultInjector = faultInjector
        self.appliedCounter = Counter(label: "chancery_consumer_events_applied_total", dimensions: [("group", group)])
        self.quarantinedCounter = Counter(label: "chancery_consumer_events_quarantined_total", dimensions: [("group", group)])
    }

    /// Consumes until the task is cancelled (graceful shutdown); returns then, after closing the consumer.
    /// - Throws: PostgreSQL or fatal Kafka errors, or an injected fault; the caller restarts or stops.
    public func run() async throws {
        var config = KafkaConsumerConfiguration(kafka: kafka, groupID: group)
        config.isolationLevel = .readCommitted
        config.enableAutoCommit = false
        config.autoOffsetReset = "earliest"
        let consumer = try KafkaConsumer(configuration: config, logger: logger)
        do {
            try await assign(consumer)
            for try await records in consumer.messageBatches(maxCount: batchSize, maxWaitMilliseconds: 100) {
                if Task.isCancelled { break }
                try await process(records)
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }

    private func assign(_ consumer: KafkaConsumer) async throws {
        switch assignment {
        case .group:
            let database = self.database
            let group = self.group
            let logger = self.logger
            try consumer.subscribe(topics: topics, onAssign: { partitions in
                // Runs on the consumer's own thread (never the cooperative pool); it may block.
                let offsets = ExactlyOnceConsumer.blockingLoadOffsets(database: database, group: group, partitions: partitions, logger: logger)
                logger.info("partitions assigned", metadata: ["group": "\(group)", "count": "\(partitions.count)"])
                return offsets
            }, onRevoke: { partitions in
                logger.info("partitions revoked", metadata: ["group": "\(group)", "count": "\(partitions.count)"])
            })
        case .all:
            let admin = try KafkaAdmin(configuration: kafka, logger: logger)
            var partitions: [KafkaTopicPartition] = []
            do {
                for topic in topics {
                    let count = try await admin.partitionCount(topic: topic)
                    partitions += (0..<Int32(count)).map { KafkaTopicPartition(topic: topic, partition: $0) }
                }
            } catch {
                admin.shutdown()
                throw error
            }
            admin.shutdown()
            let stored = try await loadOffsets(partitions)
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for p in partitions { offsets[p] = stored[p] ?? 0 }
            try consumer.assign(offsets)
        }
    }

    /// The stored next offsets of `partitions` for this group (missing when never stored).
    func loadOffsets(_ partitions: [KafkaTopicPartition]) async throws -> [KafkaTopicPartition: Int64] {
        try await ExactlyOnceConsumer.loadOffsets(database: database, group: group, partitions: partitions)
    }

    static func loadOffsets(database: PostgresClient, group: String, partitions: [KafkaTopicPartition]) async throws -> [KafkaTopicPartition: Int64] {
        let rows = try await database.query(
            "SELECT topic, partition, next_offset FROM projection.consumer_offsets WHERE consumer_group = $1", [group])
        var result: [KafkaTopicPartition: Int64] = [:]
        let wanted = Set(partitions)
        for row in rows {
            let tp = KafkaTopicPartition(topic: try row.decode(String.self, at: 0), partition: try row.decode(Int32.self, at: 1))
            if wanted.contains(tp) { result[tp] = try row.decode(Int64.self, at: 2) }
        }
        return result
    }

    /// Bridges the async offset query for librdkafka's rebalance callback, which runs on the consumer's
    /// dedicated thread. On failure it logs and returns no offsets, so the partitions start from
    /// `auto.offset.reset`; continuity checks then skip what was already applied.
    static func blockingLoadOffsets(database: PostgresClient, group: String, partitions: [KafkaTopicPartition], logger: Logger) -> [KafkaTopicPartition: Int64] {
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.set(try await loadOffsets(database: database, group: group, partitions: partitions)) } catch {
                logger.error("could not load stored offsets: \(error)")
            }
            semaphore.signal()
        }
        semaphore.wait()
        return box.get()
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: [KafkaTopicPartition: Int64] = [:]
        func set(_ v: [KafkaTopicPartition: Int64]) { lock.withLock { value = v } }
        func get() -> [KafkaTopicPartition: Int64] { lock.withLock { value } }
    }

    private func process(_ records: [KafkaConsumerMessage]) async throws {
        guard !records.isEmpty else { return }
        let group = self.group
        let handler = self.handler
        let faultInjector = self.faultInjector
        let outcome: (applied: [ConsumedEvent], quarantined: Int) = try await database.withConnection { connection in
            try await connection.transaction { connection in
                var decoded: [ConsumedEvent] = []
                var quarantine: [(KafkaConsumerMessage, String?, String)] = []
                for record in records {
                    do {
                        let event = try JSONDecoder().decode(CloudEvent.self, from: Data(record.value))
                        decoded.append(ConsumedEvent(event: event, topic: record.topic, partition: record.partition, offset: record.offset))
                    } catch {
                        quarantine.append((record, nil, "undecodable CloudEvent: \(error)"))
                    }
                }
                // Continuity (guarantee 9).
                let subjects = Array(Set(decoded.map(\.event.subject)))
                var positions: [String: StreamHead] = [:]
                let rows = try await connection.query(
                    "SELECT stream, sequence, hash FROM projection.stream_positions WHERE consumer_group = $1 AND stream = ANY($2)",
                    [group, subjects])
                for row in rows {
                    let stream = try row.decode(String.self, at: 0)
                    positions[stream] = StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 1), hash: try row.decode(String.self, at: 2))
                }
                var applicable: [ConsumedEvent] = []
                var touched: Set<String> = []
                for consumed in decoded {
                    let subject = consumed.event.subject
                    let head = positions[subject] ?? StreamHead(stream: subject)
                    switch head.continuity(of: consumed.event) {
                    case .next:
                        positions[subject] = StreamHead(stream: subject, sequence: consumed.event.sequence ?? 0, hash: consumed.event.hash ?? "")
                        touched.insert(subject)
                        applicable.append(consumed)
                    case .duplicate:
                        continue
                    case .broken(let why):
                        let record = records.first { $0.topic == consumed.topic && $0.partition == consumed.partition && $0.offset == consumed.offset }!
                        quarantine.append((record, subject, why))
                    }
                }
                try await handler.apply(applicable, on: connection)
                let streams = touched.sorted()
                if !streams.isEmpty {
                    try await connection.execute(
                        """
                        INSERT INTO projection.stream_positions (consumer_group, stream, sequence, hash)
                        SELECT $1, stream, sequence, hash FROM unnest($2::text[], $3::bigint[], $4::text[]) AS p(stream, sequence, hash)
                        ON CONFLICT (consumer_group, stream) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash
                        """, [group, streams, streams.map { positions[$0]!.sequence }, streams.map { positions[$0]!.hash }])
                }
                for (record, subject, reason) in quarantine {
                    try await connection.execute(
                        """
                        INSERT INTO audit.quarantine (topic, partition, "offset", consumer_group, subject, reason, record)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                        """, [record.topic, record.partition, record.offset, group, subject, reason, record.value])
                }
                var next: [KafkaTopicPartition: Int64] = [:]
                for record in records {
                    let tp = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                    next[tp] = max(next[tp] ?? 0, record.offset + 1)
                }
                for (tp, offset) in next {
                    try await connection.execute(
                        """
                        INSERT INTO projection.consumer_offsets (consumer_group, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
                        """, [group, tp.topic, tp.partition, offset])
                }
                try faultInjector?(.afterApply, applicable)
                return (applicable, quarantine.count)
            }
        }
        try faultInjector?(.afterCommit, outcome.applied)
        appliedCounter.increment(by: outcome.applied.count)
        if outcome.quarantined > 0 {
            quarantinedCounter.increment(by: outcome.quarantined)
            logger.error("quarantined records", metadata: ["group": "\(group)", "count": "\(outcome.quarantined)"])
        }
        try await handler.didCommit(outcome.applied)
    }
}
