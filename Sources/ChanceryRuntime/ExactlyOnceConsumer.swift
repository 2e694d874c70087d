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
    /// How partitions are obtained (see ``ConsumerAssignment``).
    public typealias Assignment = ConsumerAssignment

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
    /// The consumer's live state for `/health` and `/metrics`.
    public let status: ConsumerStatus
    /// Where derived events go after each commit (nil: they wait in the ``Outbox``).
    private let publisher: (any EventPublisher)?
    private let fetchWaitMaxMilliseconds: Int

    /// - Parameters:
    ///   - group: the consumer group id, also the key of its offsets and stream positions in PostgreSQL.
    ///   - topics: full topic names to consume.
    ///   - faultInjector: called at each ``Stage``; throwing there simulates a crash (tests only).
    ///   - batchSize: most records applied in one PostgreSQL transaction.
    ///   - status: where the consumer reports its state (one per consumer group and process; a new one if nil).
    ///   - publisher: appends the events the handler derives, after each commit (through the ``Outbox``).
    ///   - fetchWaitMaxMilliseconds: `fetch.wait.max.ms`; 20 ms by default, so a consumer tailing the embedded broker
    ///     (which answers a fetch only at this bound) sees a record within about 20 ms (about 50 fetches a second per
    ///     broker while idle).
    public init(
        group: String, topics: [String], kafka: KafkaConfiguration, database: PostgresClient,
        handler: any ReadModelHandler, assignment: Assignment = .group, logger: Logger, batchSize: Int = 2000,
        faultInjector: (@Sendable (Stage, [ConsumedEvent]) throws -> Void)? = nil, status: ConsumerStatus? = nil,
        publisher: (any EventPublisher)? = nil, fetchWaitMaxMilliseconds: Int = 20
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
        self.status = status ?? ConsumerStatus(role: group, group: group)
        self.publisher = publisher
        self.fetchWaitMaxMilliseconds = fetchWaitMaxMilliseconds
    }

    /// Consumes until the task is cancelled (graceful shutdown); returns then, after closing the consumer.
    /// - Throws: PostgreSQL or fatal Kafka errors, or an injected fault; the caller restarts or stops.
    public func run() async throws {
        var config = KafkaConsumerConfiguration(kafka: kafka, groupID: group)
        config.isolationLevel = .readCommitted
        config.enableAutoCommit = false
        config.autoOffsetReset = "earliest"
        config.fetchWaitMaxMilliseconds = fetchWaitMaxMilliseconds
        status.starting()
        let consumer = try KafkaConsumer(configuration: config, logger: logger)
        do {
            try await publishOutbox()
            try await assign(consumer)
            status.idle()
            var positions: [KafkaTopicPartition: Int64] = [:]
            for try await records in consumer.messageBatches(maxCount: batchSize, maxWaitMilliseconds: 100) {
                if Task.isCancelled { break }
                try await process(records)
                var newest: Int64?
                for record in records {
                    positions[record.topicPartition] = max(positions[record.topicPartition] ?? 0, record.offset + 1)
                    if let t = record.timestampMilliseconds { newest = max(newest ?? t, t) }
                }
                var lag: [KafkaTopicPartition: Int64] = [:]
                for (tp, next) in positions {
                    if let marks = consumer.cachedWatermarks(tp) { lag[tp] = max(0, marks.high - next) }
                }
                status.committed(lag: lag, newestApplied: newest.map { Date(timeIntervalSince1970: Double($0) / 1000) })
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        status.stopped()
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
            let partitions = try await ConsumerAssignment.allPartitions(of: topics, kafka: kafka, logger: logger)
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
            "SELECT topic, partition, next_offset FROM projection.consumer_offsets WHERE consumer_group = \(group)")
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

    /// What one committed batch did.
    private struct Outcome: Sendable {
        var applied: [ConsumedEvent]
        /// Events the handler derived (stored in the outbox).
        var derived: Int
        /// Quarantined records per reason (`undecodable`, `continuity`, `apply-failed`).
        var quarantined: [String: Int]
    }

    /// Applies a batch in one transaction. When that fails permanently (``ConsumerFailure``), applies it again
    /// event by event so that only the failing events are quarantined; a transient failure is thrown (the
    /// caller restarts from the stored offsets).
    private func process(_ records: [KafkaConsumerMessage]) async throws {
        guard !records.isEmpty else { return }
        let outcome: Outcome
        do {
            do {
                outcome = try await apply(records, eventByEvent: false)
            } catch where !ConsumerFailure.isTransient(error) && !(error is InjectedFault) {
                logger.warning("a batch failed permanently; applying it event by event to quarantine what fails",
                               metadata: ["group": "\(group)", "records": "\(records.count)", "error": "\(error)"])
                outcome = try await apply(records, eventByEvent: true)
            }
        } catch let fault as InjectedFault {
            throw fault.underlying
        }
        try faultInjector?(.afterCommit, outcome.applied)
        appliedCounter.increment(by: outcome.applied.count)
        for (reason, count) in outcome.quarantined {
            status.quarantined(count, reason: reason)
            logger.error("quarantined records", metadata: ["group": "\(group)", "reason": "\(reason)", "count": "\(count)"])
        }
        if outcome.derived > 0 { try await publishOutbox() }
        try await handler.didCommit(outcome.applied)
    }

    /// Publishes what waits in this group's outbox. A publisher that cannot take the events now fails the run with
    /// a transient error; the events stay in the outbox and the next run publishes them first.
    private func publishOutbox() async throws {
        guard let publisher else { return }
        do {
            try await Outbox.flush(group: group, database: database, publisher: publisher)
        } catch let error as ConsumerFailure {
            throw error
        } catch {
            throw ConsumerFailure.transient("publishing derived events: \(error)")
        }
    }

    private func apply(_ records: [KafkaConsumerMessage], eventByEvent: Bool) async throws -> Outcome {
        let group = self.group
        let handler = self.handler
        let faultInjector = self.faultInjector
        return try await database.withConnection { connection in
            try await connection.transaction { connection in
                var decoded: [ConsumedEvent] = []
                var recordAt: [KafkaTopicPartition: [Int64: KafkaConsumerMessage]] = [:]
                var quarantine: [(record: KafkaConsumerMessage, event: CloudEvent?, reason: String, detail: String)] = []
                for record in records {
                    recordAt[record.topicPartition, default: [:]][record.offset] = record
                    do {
                        let event = try JSONDecoder().decode(CloudEvent.self, from: Data(record.value))
                        decoded.append(ConsumedEvent(event: event, topic: record.topic, partition: record.partition, offset: record.offset))
                    } catch {
                        quarantine.append((record, nil, "undecodable", "undecodable CloudEvent: \(error)"))
                    }
                }
                func record(of consumed: ConsumedEvent) -> KafkaConsumerMessage {
                    recordAt[KafkaTopicPartition(topic: consumed.topic, partition: consumed.partition)]![consumed.offset]!
                }
                // Continuity (guarantee 9).
                let subjects = Array(Set(decoded.map(\.event.subject)))
                var positions: [String: StreamHead] = [:]
                let rows = try await connection.query(
                    "SELECT stream, sequence, hash FROM projection.stream_positions WHERE consumer_group = \(group) AND stream = ANY(\(subjects))")
                for row in rows {
                    let stream = try row.decode(String.self, at: 0)
                    positions[stream] = StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 1), hash: try row.decode(String.self, at: 2))
                }
                var applicable: [ConsumedEvent] = []
                var derived: [CloudEvent] = []
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
                        quarantine.append((record(of: consumed), consumed.event, "continuity", why))
                    }
                }
                if eventByEvent {
                    // Each event in its own savepoint: a permanent failure quarantines that event and no other. The
                    // stream's position still moves past it, so the stream's later events are not held back.
                    var kept: [ConsumedEvent] = []
                    for consumed in applicable {
                        do {
                            derived += try await connection.transaction { try await handler.apply([consumed], on: $0) }
                            kept.append(consumed)
                        } catch where !ConsumerFailure.isTransient(error) {
                            quarantine.append((record(of: consumed), consumed.event, "apply-failed", "\(error)"))
                        }
                    }
                    applicable = kept
                } else {
                    derived = try await handler.apply(applicable, on: connection)
                }
                derived += quarantine.compactMap { Self.alert(for: $0, group: group) }
                try await Outbox.enqueue(derived, group: group, on: connection)
                try await ConsumerLedger.savePositions(group: group, touched.compactMap { positions[$0] }, on: connection)
                for q in quarantine {
                    try await ConsumerLedger.quarantine(topic: q.record.topic, partition: q.record.partition, offset: q.record.offset, group: group,
                                                        subject: q.event?.subject, reason: "\(q.reason): \(q.detail)", record: q.record.value,
                                                        on: connection)
                }
                var next: [KafkaTopicPartition: (offset: Int64, position: Int64?)] = [:]
                for record in records {
                    let tp = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                    let previous = next[tp]
                    let position = ConsumerOffsets.position(of: record)
                    next[tp] = (max(previous?.offset ?? 0, record.offset + 1), [previous?.position, position].compactMap { $0 }.max())
                }
                try await ConsumerLedger.saveOffsets(group: group, next.map { tp, stored in
                    ConsumerLedger.Offset(topic: tp.topic, partition: tp.partition, nextOffset: stored.offset, lastPosition: stored.position)
                }, on: connection)
                do { try faultInjector?(.afterApply, applicable) } catch { throw InjectedFault(underlying: error) }
                return Outcome(applied: applicable, derived: derived.count,
                               quarantined: Dictionary(grouping: quarantine, by: \.reason).mapValues(\.count))
            }
        }
    }

    /// The RecordQuarantined alert of a quarantined record (``QuarantineAlerts``), appended after the commit like
    /// every derived event; none for a record that is itself such an alert (no alert about an alert) or whose region
    /// cannot be told.
    static func alert(for q: (record: KafkaConsumerMessage, event: CloudEvent?, reason: String, detail: String), group: String) -> CloudEvent? {
        if q.event?.type == EventCatalog.named("RecordQuarantined").type { return nil }
        let time = q.event?.time ?? RFC3339Timestamp(epochSeconds: (q.record.timestampMilliseconds ?? 0) / 1000).description
        let key = q.record.key.map { String(decoding: $0, as: UTF8.self) }
        return QuarantineAlerts.alert(
            group: group, topic: q.record.topic, partition: q.record.partition, offset: q.record.offset,
            position: ConsumerOffsets.position(of: q.record), record: q.event, key: key, reason: q.reason, detail: "\(q.reason): \(q.detail)",
            time: time)
    }

    /// A fault a test injected: a simulated crash, never a failure of the data (so never quarantined).
    private struct InjectedFault: Error {
        let underlying: any Error
    }
}
