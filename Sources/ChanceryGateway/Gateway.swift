import ChanceryDomain
import ChanceryKafka
import Foundation
import Logging
import Metrics

/// The only writer of the canonical topics (DESIGN.md, "gateway").
///
/// For each request it checks idempotency (same `source`+`id` → the first answer), the expected version,
/// and the lifecycle rules (``Lifecycle/decide(_:given:)``); assigns `sequence`, `recordedtime`,
/// `prevhash` and `hash`; and appends with a transactional producer. Requests that arrive while a
/// transaction is in flight are grouped into the next one (group commit); each request stays
/// all-or-nothing: a refused event refuses its whole request and no other.
public actor Gateway {
    private let producer: KafkaProducer
    private let store: any GatewayStore
    private let topics: TopicNames
    private let logger: Logger
    private let maxEventsPerTransaction: Int

    /// Heads of streams touched since the gateway started (or restored from the log tail).
    private var heads: [String: StreamHead] = [:]
    /// Appends made since start or seen in the log tail, by (source, id).
    private var appended: [EventKey: AppendedEvent] = [:]
    private var pending: [Pending] = []
    private var flushing = false
    private var ready = false

    private let appendedCounter = Counter(label: "chancery_gateway_events_appended_total")
    private let rejectedCounter = Counter(label: "chancery_gateway_events_rejected_total")
    private let transactionTimer = Timer(label: "chancery_gateway_transaction_duration")

    private struct Pending {
        var events: [SubmittedEvent]
        var continuation: CheckedContinuation<AppendResult, any Error>
    }

    /// - Parameters:
    ///   - producer: a producer configured with a `transactional.id` (one per gateway shard) on which
    ///     `initTransactions` has been called.
    ///   - store: the read models' view of stream heads and recorded appends.
    ///   - maxEventsPerTransaction: upper bound of events grouped into one Kafka transaction.
    public init(producer: KafkaProducer, store: any GatewayStore, topics: TopicNames, logger: Logger, maxEventsPerTransaction: Int = 5000) {
        self.producer = producer
        self.store = store
        self.topics = topics
        self.logger = logger
        self.maxEventsPerTransaction = maxEventsPerTransaction
    }

    /// Restores stream heads and recorded appends from the canonical events after the projector's offsets
    /// (read by the caller from Kafka up to the high watermark), then opens the gateway for writes.
    ///
    /// - Parameter tail: canonical events in log order per partition, with their Kafka positions.
    public func restore(tail: [(event: CloudEvent, topic: String, partition: Int32, offset: Int64)]) async throws {
        for record in tail {
            let event = record.event
            var head = try await head(of: event.subject)
            switch head.continuity(of: event) {
            case .next:
                head = head.advanced(by: event)
                heads[event.subject] = head
                appended[EventKey(source: event.source, id: event.id)] = AppendedEvent(
                    id: event.id, source: event.source, subject: event.subject, topic: record.topic,
                    partition: record.partition, offset: record.offset, sequence: event.sequence ?? 0,
                    hash: event.hash ?? "", contentDigest: Gateway.digest(event.publisherContent()))
            case .duplicate:
                continue
            case .broken(let why):
                logger.error("log tail: \(event.subject) \(why); the projector quarantines it", metadata: ["id": "\(event.id)"])
            }
        }
        ready = true
        logger.info("gateway ready", metadata: ["tailEvents": "\(tail.count)", "streams": "\(heads.count)"])
    }

    /// Whether the gateway has restored its state and accepts writes.
    public var isReady: Bool { ready }

    /// Appends the events of one request, all or nothing.
    ///
    /// - Returns: one ``AppendedEvent`` per event, in order; `replayed` when all were appended before.
    /// - Throws: ``AppendFailure/rejected(index:_:)`` with the first offending event, or
    ///   ``AppendFailure/unavailable(_:)`` when the gateway is not ready or Kafka failed (nothing appended).
    public func append(_ events: [SubmittedEvent]) async throws -> AppendResult {
        guard ready else { throw AppendFailure.unavailable("the gateway is restoring stream heads; retry shortly") }
        guard !events.isEmpty else { return AppendResult(events: [], replayed: true) }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(events: events, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            var batch: [Pending] = []
            var count = 0
            while let next = pending.first, batch.isEmpty || count + next.events.count <= maxEventsPerTransaction {
                batch.append(pending.removeFirst())
                count += next.events.count
            }
            await process(batch)
        }
        flushing = false
    }

    /// A request's outcome while a transaction is being assembled.
    private struct Planned {
        var pending: Pending
        /// Per event: an earlier answer (replay) or the index into `records`.
        var slots: [Slot]
        enum Slot { case replay(AppendedEvent), new(Int) }
    }

    private func process(_ batch: [Pending]) async {
        var overlay: [String: StreamHead] = [:]
        var overlayAppended: [EventKey: (content: String, index: Int)] = [:]
        var records: [KafkaProducerRecord] = []
        var newEvents: [CloudEvent] = []
        var planned: [Planned] = []
        let recordedTime = RFC3339Timestamp.now().description

        for request in batch {
            // Work on copies so a refused request leaves no trace in the transaction.
            var localOverlay = overlay
            var localAppended = overlayAppended
            var localRecords: [KafkaProducerRecord] = []
            var localEvents: [CloudEvent] = []
            var slots: [Planned.Slot] = []
            var failure: (any Error)?
            for (index, submitted) in request.events.enumerated() {
                do {
                    let event = submitted.event
                    let key = EventKey(source: event.source, id: event.id)
                    let content = Gateway.digest(event.publisherContent())
                    if let earlier = try await earlierAppend(key) {
                        guard earlier.contentDigest == content else {
                            throw AppendFailure.rejected(index: index, EventRejection(
                                code: "duplicate-id-conflict", pointer: "/\(index)/id",
                                message: "event \(event.id) from \(event.source) was already appended with different content"))
                        }
                        slots.append(.replay(earlier))
                        continue
                    }
                    if let inBatch = localAppended[key] {
                        guard inBatch.content == content else {
                            throw AppendFailure.rejected(index: index, EventRejection(
                                code: "duplicate-id-conflict", pointer: "/\(index)/id",
                                message: "event \(event.id) from \(event.source) was sent twice with different content"))
                        }
                        slots.append(.new(inBatch.index))
                        continue
                    }
                    let current: StreamHead
                    if let h = localOverlay[event.subject] { current = h } else { current = try await head(of: event.subject) }
                    guard submitted.expected.isSatisfied(byCurrent: current.sequence) else {
                        throw AppendFailure.rejected(index: index, EventRejection(
                            code: "version-conflict", pointer: "/\(index)/expectedsequence",
                            message: "stream \(event.subject) is at version \(current.sequence), not \(submitted.expected)"))
                    }
                    let decided: [CloudEvent]
                    do {
                        decided = try Lifecycle.decide(event, given: current.state)
                    } catch {
                        throw AppendFailure.rejected(index: index, EventRejection(code: error.code, pointer: "/\(index)\(error.pointer)", message: error.message))
                    }
                    var head = current
                    for var e in decided {
                        e.sequence = head.sequence + 1
                        e.prevhash = head.hash
                        e.recordedtime = recordedTime
                        e.hash = e.computeHash()
                        head = head.advanced(by: e)
                        let eventType = EventCatalog.eventType(e.type)!
                        localRecords.append(KafkaProducerRecord(
                            topic: topics.canonical(eventType.topic), key: Array(e.subject.utf8), value: e.jsonBytes(),
                            headers: [KafkaHeader(key: "ce_type", value: Array(e.type.utf8)),
                                      KafkaHeader(key: "content-type", value: Array("application/cloudevents+json".utf8))],
                            partition: nil))
                        localEvents.append(e)
                    }
                    localOverlay[event.subject] = head
                    let recordIndex = records.count + localRecords.count - 1
                    localAppended[key] = (content, recordIndex)
                    slots.append(.new(recordIndex))
                } catch {
                    failure = error
                    break
                }
            }
            if let failure {
                rejectedCounter.increment()
                request.continuation.resume(throwing: failure)
                continue
            }
            overlay = localOverlay
            overlayAppended = localAppended
            records += localRecords
            newEvents += localEvents
            planned.append(Planned(pending: request, slots: slots))
        }
        guard !planned.isEmpty else { return }

        var reports: [KafkaDeliveryReport] = []
        if !records.isEmpty {
            let start = ContinuousClock.now
            do {
                try producer.beginTransaction()
                reports = try await producer.send(records)
                try await producer.commitTransaction()
            } catch {
                logger.error("append transaction failed; aborting", metadata: ["error": "\(error)", "events": "\(records.count)"])
                do { try await producer.abortTransaction() } catch {
                    logger.critical("abort failed: \(error)")
                }
                for p in planned { p.pending.continuation.resume(throwing: AppendFailure.unavailable("Kafka did not commit the append: \(error)")) }
                return
            }
            transactionTimer.recordNanoseconds(Int64((ContinuousClock.now - start).components.attoseconds / 1_000_000_000) + (ContinuousClock.now - start).components.seconds * 1_000_000_000)
            appendedCounter.increment(by: records.count)
        }
        // Committed: publish the new heads and answers.
        var answers: [AppendedEvent] = []
        for (event, report) in zip(newEvents, reports) {
            let answer = AppendedEvent(id: event.id, source: event.source, subject: event.subject, topic: report.topic,
                                       partition: report.partition, offset: report.offset, sequence: event.sequence ?? 0,
                                       hash: event.hash ?? "", contentDigest: Gateway.digest(event.publisherContent()))
            answers.append(answer)
            appended[EventKey(source: event.source, id: event.id)] = answer
        }
        for (stream, head) in overlay { heads[stream] = head }
        for p in planned {
            var out: [AppendedEvent] = []
            var replayedAll = true
            for slot in p.slots {
                switch slot {
                case .replay(let a): out.append(a)
                case .new(let i): out.append(answers[i]); replayedAll = false
                }
            }
            p.pending.continuation.resume(returning: AppendResult(events: out, replayed: replayedAll))
        }
    }

    private func earlierAppend(_ key: EventKey) async throws -> AppendedEvent? {
        if let a = appended[key] { return a }
        return try await store.lookup(source: key.source, id: key.id)
    }

    private func head(of stream: String) async throws -> StreamHead {
        if let h = heads[stream] { return h }
        let h = try await store.loadHead(stream) ?? StreamHead(stream: stream)
        heads[stream] = h
        return h
    }

    /// Hex SHA-256 of `bytes`.
    static func digest(_ bytes: [UInt8]) -> String {
        Digest.sha256Hex(bytes)
    }
}
