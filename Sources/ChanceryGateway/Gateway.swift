import ChanceryDomain
import ChanceryKafka
import Foundation
import Logging
import Metrics

/// The only writer of the canonical topics (DESIGN.md, "gateway").
///
/// For each request it checks idempotency (same `source`+`id` → the first answer), the expected version,
/// the lifecycle rules (``Lifecycle/decide(_:given:)``) and the catalog rules (``CatalogRules``); assigns `sequence`, `recordedtime`,
/// `prevhash` and `hash`; and appends with a transactional producer. Requests that arrive while a
/// transaction is in flight are grouped into the next one (group commit); each request stays
/// all-or-nothing: a refused event refuses its whole request and no other.
public actor Gateway {
    private let producer: KafkaProducer
    private let store: any GatewayStore
    private let topics: TopicNames
    private let logger: Logger
    private let maxEventsPerTransaction: Int

    /// Heads of the streams touched last (restored from the log tail, loaded from the store or written here), at most
    /// about ``GatewayCacheCapacity/streams`` of them once the store holds the rest (``trimCaches()``).
    private var heads: ClockCache<String, CachedHead>
    /// Answers of the events appended last (or seen in the log tail), by (source, id), at most about
    /// ``GatewayCacheCapacity/events`` of them once the store holds the rest.
    private var appended: ClockCache<EventKey, AppendedEvent>
    /// Cache sizes after the last trim: the next one waits until a cache has grown by a sixteenth of its capacity, so
    /// a lagging projector costs one offsets query per sixteenth, not one per group.
    private var sizesAfterTrim = (streams: 0, events: 0)
    private var pending: [Pending] = []
    private var flushing = false
    private var ready = false

    /// The log of record written before each answer (nil: Kafka itself is the record).
    private let journal: (any EventJournal)?
    /// Partition count per full topic name: records get their partition here (Kafka's default partitioner),
    /// before they are journaled and produced.
    private let partitionCounts: [String: Int32]
    /// The journal's end as this gateway last wrote or read it.
    private var journalTail = JournalTail(position: 0, commitGroup: 0)
    /// A commit group whose journal write was not confirmed and whose outcome could not be read yet.
    private var inDoubt: InDoubt?
    /// When the transaction now in flight started (nil when none is): a request arriving while Kafka has not
    /// confirmed it for ``slowPublishBound`` is refused at once (503) instead of waiting.
    private var publishStartedAt: ContinuousClock.Instant?
    /// Why the gateway no longer takes writes (graceful stop), or nil.
    private var closedReason: String?
    private let slowPublishBound: Duration

    private let appendedCounter = Counter(label: "chancery_gateway_events_appended_total")
    private let transactionTimer = Timer(label: "chancery_gateway_transaction_duration")
    /// Stream heads and idempotency records held in memory (``GatewayCacheCapacity``), after each group commit.
    private let cachedStreamsGauge = Gauge(label: "chancery_gateway_cached_streams")
    private let cachedEventsGauge = Gauge(label: "chancery_gateway_cached_events")

    /// Work waiting for the next transaction.
    private enum Pending {
        /// One HTTP (or in-process) request: all or nothing.
        case request([SubmittedEvent], CheckedContinuation<AppendResult, any Error>)
        /// A batch from the inbound topic: each record on its own; refusals become dead letters.
        case inbound(InboundBatch, CheckedContinuation<[InboundOutcome], any Error>)

        var eventCount: Int {
            switch self {
            case .request(let events, _): events.count
            case .inbound(let batch, _): batch.items.count
            }
        }

        func fail(_ error: any Error) {
            switch self {
            case .request(_, let c): c.resume(throwing: error)
            case .inbound(_, let c): c.resume(throwing: error)
            }
        }
    }

    /// - Parameters:
    ///   - producer: a producer configured with a `transactional.id` (one per gateway shard) on which
    ///     `initTransactions` has been called.
    ///   - store: the read models' view of stream heads and recorded appends.
    ///   - maxEventsPerTransaction: upper bound of events grouped into one Kafka transaction.
    ///   - journal: the log of record, written before each answer (required with a broker whose log is not
    ///     durable, such as the embedded broker); nil when Kafka is the record.
    ///   - partitionCounts: partitions per full topic name; records of these topics get their partition from
    ///     ``KafkaPartitioner`` (required for every topic the gateway writes when `journal` is set).
    ///   - slowPublishBound: while a transaction has been unconfirmed this long, new requests are refused (503).
    ///   - cache: how many stream heads and idempotency records stay in memory once the store holds them
    ///     (``GatewayCacheCapacity``); with a store whose projector never runs (``GatewayStore/projectorOffsets()``
    ///     empty) nothing is ever forgotten.
    public init(producer: KafkaProducer, store: any GatewayStore, topics: TopicNames, logger: Logger, maxEventsPerTransaction: Int = 5000,
                journal: (any EventJournal)? = nil, partitionCounts: [String: Int32] = [:], slowPublishBound: Duration = .seconds(5),
                cache: GatewayCacheCapacity = .standard) {
        self.heads = ClockCache(capacity: cache.streams)
        self.appended = ClockCache(capacity: cache.events)
        self.producer = producer
        self.store = store
        self.topics = topics
        self.logger = logger
        self.maxEventsPerTransaction = maxEventsPerTransaction
        self.journal = journal
        self.partitionCounts = partitionCounts
        self.slowPublishBound = slowPublishBound
    }

    /// Restores stream heads and recorded appends from the canonical events after the projector's offsets
    /// (read by the caller from Kafka up to the high watermark), then opens the gateway for writes.
    ///
    /// - Parameter tail: canonical events in log order per partition, with their Kafka positions.
    public func restore(tail: [(event: CloudEvent, topic: String, partition: Int32, offset: Int64)]) async throws {
        if let journal { journalTail = try await journal.tail() }
        for record in tail {
            let event = record.event
            var head = try await head(of: event.subject)
            switch head.continuity(of: event) {
            case .next:
                head = head.advanced(by: event)
                heads.set(CachedHead(head: head, lastWrite: KafkaPlace(topic: record.topic, partition: record.partition, offset: record.offset)),
                          forKey: event.subject)
                appended.set(AppendedEvent(
                    id: event.id, source: event.source, subject: event.subject, topic: record.topic,
                    partition: record.partition, offset: record.offset, sequence: event.sequence ?? 0,
                    hash: event.hash ?? "", contentDigest: Gateway.digest(event.publisherContent())),
                    forKey: EventKey(source: event.source, id: event.id))
            case .duplicate:
                continue
            case .broken(let why):
                logger.error("log tail: \(event.subject) \(why); the projector quarantines it", metadata: ["id": "\(event.id)"])
            }
        }
        ready = true
        logger.info("gateway ready", metadata: ["tailEvents": "\(tail.count)", "streams": "\(heads.count)"])
    }

    /// How many stream heads and idempotency records the gateway holds in memory now (``GatewayCacheCapacity``).
    public var cachedEntries: (streams: Int, events: Int) { (heads.count, appended.count) }

    /// Whether the gateway has restored its state and accepts writes.
    public var isReady: Bool { ready && closedReason == nil }

    /// The gateway's state for `/health`: `restoring`, `ready`, `closed`, or `publishing-stalled` when Kafka has not
    /// confirmed the transaction in flight for longer than the slow-publish bound (requests are refused meanwhile).
    public var healthState: (state: String, healthy: Bool, detail: String?) {
        if let closedReason { return ("closed", false, closedReason) }
        if let doorsClosedReason { return ("closing", false, doorsClosedReason) }
        if !ready { return ("restoring", false, "restoring stream heads from the log") }
        if inDoubt != nil { return ("journal-unavailable", false, "the journal (PostgreSQL) did not confirm the last commit group") }
        if let started = publishStartedAt, ContinuousClock.now - started > slowPublishBound {
            return ("publishing-stalled", false, "Kafka has not confirmed the append in flight for \((ContinuousClock.now - started).components.seconds) s")
        }
        return ("ready", true, nil)
    }

    /// The position of the last record in the journal (0 without a journal or before the first append).
    public var lastPosition: Int64 { journalTail.position }

    /// Why the doors (HTTP and the inbound topic) no longer take writes, or nil. In-process appenders such as the
    /// supervisor still append, so consumers can finish what is committed during a graceful stop.
    public private(set) var doorsClosedReason: String?

    /// Closes the doors (graceful stop): ``appendInbound(_:)`` and ``DoorAppender`` refuse with
    /// ``AppendFailure/unavailable(_:)`` naming `reason`; ``append(_:)`` still works for in-process appenders.
    public func closeDoors(reason: String) {
        doorsClosedReason = reason
    }

    /// Stops taking writes (graceful stop): later requests are refused with ``AppendFailure/unavailable(_:)``
    /// naming `reason`; work already queued is still committed. Then waits until nothing is in flight.
    public func close(reason: String) async {
        closedReason = reason
        while flushing { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Appends the events of one request, all or nothing.
    ///
    /// - Returns: one ``AppendedEvent`` per event, in order; `replayed` when all were appended before.
    /// - Throws: ``AppendFailure/rejected(index:_:)`` with the first offending event, or
    ///   ``AppendFailure/unavailable(_:)`` when the gateway is not ready or Kafka failed (nothing appended).
    public func append(_ events: [SubmittedEvent]) async throws -> AppendResult {
        guard ready else { throw AppendFailure.unavailable("the gateway is restoring stream heads; retry shortly") }
        guard !events.isEmpty else { return AppendResult(events: [], replayed: true) }
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(.request(events, continuation))
        }
    }

    /// Processes a batch of inbound records in one Kafka transaction together with the consumed offsets
    /// (exactly once): valid events are appended as by ``append(_:)``, each record on its own; refused
    /// records (invalid, lifecycle violation, version conflict, id reused with other content) go to the
    /// dead-letter topic with their reason.
    ///
    /// - Returns: one outcome per item, in order.
    /// - Throws: ``AppendFailure/unavailable(_:)`` when the transaction failed: nothing was appended,
    ///   dead-lettered or committed, and the consumer must re-read from its committed offsets.
    public func appendInbound(_ batch: InboundBatch) async throws -> [InboundOutcome] {
        guard ready else { throw AppendFailure.unavailable("the gateway is restoring stream heads; retry shortly") }
        if let doorsClosedReason { throw AppendFailure.unavailable(doorsClosedReason) }
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(.inbound(batch, continuation))
        }
    }

    private func enqueue(_ work: Pending) {
        if let closedReason {
            work.fail(AppendFailure.unavailable(closedReason))
            return
        }
        if let started = publishStartedAt, ContinuousClock.now - started > slowPublishBound {
            let seconds = (ContinuousClock.now - started).components.seconds
            work.fail(AppendFailure.unavailable("Kafka has not confirmed the append in flight for \(seconds) s; nothing of this request was appended"))
            return
        }
        pending.append(work)
        if !flushing {
            flushing = true
            Task { await self.flush() }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            if inDoubt != nil, await !resolveInDoubt() {
                let waiting = pending
                pending.removeAll()
                for work in waiting {
                    work.fail(AppendFailure.unavailable("the journal (PostgreSQL) is unavailable; nothing of this request was appended"))
                }
                break
            }
            var batch: [Pending] = []
            var count = 0
            while let next = pending.first, batch.isEmpty || count + next.eventCount <= maxEventsPerTransaction {
                batch.append(pending.removeFirst())
                count += next.eventCount
            }
            await process(batch)
        }
        flushing = false
    }

    /// One transaction being assembled: the records to produce and, per event appended, its index.
    private struct Assembly {
        var overlay: [String: StreamHead] = [:]
        var appendedInBatch: [EventKey: (content: String, index: Int)] = [:]
        var records: [KafkaProducerRecord] = []
        /// The canonical events, parallel to the first records (dead letters come after them).
        var events: [CloudEvent] = []
        var deadLetters: [KafkaProducerRecord] = []
        var offsets: [(KafkaConsumer, [KafkaTopicPartition: Int64])] = []
    }

    /// Where each event of a request ends up.
    private enum Slot {
        case replay(AppendedEvent)
        case new(Int)
        case deadLetter(EventRejection)
    }

    /// Appends recorded in the read models, fetched for the group being planned (cleared after it).
    private var prefetched: [EventKey: AppendedEvent] = [:]
    /// Keys the read models were asked about for the group being planned and do not hold.
    private var knownNew: Set<EventKey> = []

    /// Asks the store once for every idempotency key and stream head the group needs that the gateway does not
    /// hold in memory, instead of once per event and once per stream.
    private func prefetch(_ batch: [Pending]) async throws {
        var keys: [EventKey] = []
        var seen: Set<EventKey> = []
        var streams: Set<String> = []
        for work in batch {
            let events: [CloudEvent] = switch work {
            case .request(let submitted, _): submitted.map(\.event)
            case .inbound(let inbound, _): inbound.items.compactMap { if case .event(let e) = $0.content { e.event } else { nil } }
            }
            for event in events {
                let key = EventKey(source: event.source, id: event.id)
                if !appended.contains(key), seen.insert(key).inserted { keys.append(key) }
                if !heads.contains(event.subject) { streams.insert(event.subject) }
            }
        }
        if !keys.isEmpty {
            for found in try await store.lookup(keys.map { (source: $0.source, id: $0.id) }) {
                prefetched[EventKey(source: found.source, id: found.id)] = found
            }
            knownNew = seen.subtracting(prefetched.keys)
        }
        if !streams.isEmpty {
            let stored = try await store.loadHeads(Array(streams))
            for stream in streams { heads.set(CachedHead(head: stored[stream] ?? StreamHead(stream: stream), lastWrite: nil), forKey: stream) }
        }
    }

    private func process(_ batch: [Pending]) async {
        defer {
            prefetched.removeAll()
            knownNew.removeAll()
        }
        do {
            try await prefetch(batch)
        } catch {
            let failure = Gateway.unavailableUnlessRefusal(error)
            for work in batch { work.fail(failure) }
            return
        }
        var assembly = Assembly()
        let recordedTime = RFC3339Timestamp.now().description
        var planned: [(Pending, [Slot])] = []

        for work in batch {
            switch work {
            case .request(let events, let continuation):
                do {
                    planned.append((work, try await plan(events, into: &assembly, recordedTime: recordedTime)))
                } catch {
                    if case AppendFailure.rejected(_, let r) = error { RejectionMetrics.record(code: r.code, door: "http") }
                    continuation.resume(throwing: Gateway.unavailableUnlessRefusal(error))
                }
            case .inbound(let inbound, let continuation):
                var slots: [Slot] = []
                // The store (PostgreSQL) failing is no fault of a record: the whole batch is refused as unavailable
                // (the door re-reads it), never dead-lettered.
                let before = assembly
                var storeFailure: (any Error)?
                for item in inbound.items where storeFailure == nil {
                    switch item.content {
                    case .refused(let rejection):
                        RejectionMetrics.record(code: rejection.code, door: "kafka")
                        slots.append(.deadLetter(rejection))
                        assembly.deadLetters.append(DeadLetterHeader.record(for: item.record, rejection: rejection, topic: topics.deadLetter))
                    case .event(let submitted):
                        do {
                            slots += try await plan([submitted], into: &assembly, recordedTime: recordedTime)
                        } catch {
                            guard case AppendFailure.rejected(_, let r) = error else {
                                storeFailure = error
                                continue
                            }
                            // Pointers of the inbound door are relative to the event, not to a batch.
                            let rejection = EventRejection(code: r.code, pointer: String(r.pointer.dropFirst(2)), message: r.message)
                            RejectionMetrics.record(code: rejection.code, door: "kafka")
                            slots.append(.deadLetter(rejection))
                            assembly.deadLetters.append(DeadLetterHeader.record(for: item.record, rejection: rejection, topic: topics.deadLetter))
                        }
                    }
                }
                if let storeFailure {
                    assembly = before
                    continuation.resume(throwing: Gateway.unavailableUnlessRefusal(storeFailure))
                    continue
                }
                assembly.offsets.append((inbound.consumer, inbound.offsets))
                planned.append((work, slots))
            }
        }
        guard !planned.isEmpty else { return }

        var all = assembly.records + assembly.deadLetters
        for i in all.indices where all[i].partition == nil {
            if let count = partitionCounts[all[i].topic] {
                all[i].partition = KafkaPartitioner.partition(forKey: all[i].key ?? [], partitionCount: count)
            }
        }
        var reports: [KafkaDeliveryReport] = []
        if let journal, !all.isEmpty {
            // The journal is the record: write the group there first; once it is recorded it is published,
            // however long Kafka takes.
            let entries = journalEntries(for: &all, events: assembly.events)
            let outcome = await record(entries, in: journal)
            guard outcome == .recorded else {
                if outcome == .unknown { inDoubt = InDoubt(entries: entries, assembly: assembly) }
                for (work, _) in planned {
                    work.fail(AppendFailure.unavailable("the journal (PostgreSQL) did not record the append; nothing was appended"))
                }
                return
            }
            guard let published = await publishRecorded(all, events: assembly.records.count, offsets: assembly.offsets) else {
                for (work, _) in planned {
                    work.fail(AppendFailure.unavailable(
                        "the append is recorded in the journal but not yet in Kafka; it is published at the next start, and a retry with the same ids then answers with its position"))
                }
                return
            }
            reports = published
        } else if !all.isEmpty || !assembly.offsets.isEmpty {
            let start = ContinuousClock.now
            publishStartedAt = start
            defer { publishStartedAt = nil }
            do {
                try producer.beginTransaction()
                reports = try await producer.send(all)
                for (consumer, offsets) in assembly.offsets where !offsets.isEmpty {
                    try await producer.sendOffsetsToTransaction(offsets, consumer: consumer)
                }
                try await producer.commitTransaction()
            } catch {
                logger.error("append transaction failed; aborting", metadata: ["error": "\(error)", "records": "\(all.count)"])
                do { try await producer.abortTransaction() } catch {
                    logger.critical("abort failed: \(error)")
                }
                for (work, _) in planned { work.fail(AppendFailure.unavailable("Kafka did not commit the append: \(error)")) }
                return
            }
            recordTransaction(since: start, records: assembly.records.count)
        }
        // Committed: publish the new heads and answers.
        let answers = adopt(assembly, reports: reports)
        // Before the answers, so that a caller sees the caches as this group left them; between groups (the flush loop runs
        // one at a time), so no group is planning on a head being forgotten.
        await trimCaches()
        for (work, slots) in planned {
            switch work {
            case .request(_, let continuation):
                var out: [AppendedEvent] = []
                var replayedAll = true
                for slot in slots {
                    switch slot {
                    case .replay(let a): out.append(a)
                    case .new(let i): out.append(answers[i]); replayedAll = false
                    case .deadLetter: break
                    }
                }
                continuation.resume(returning: AppendResult(events: out, replayed: replayedAll))
            case .inbound(_, let continuation):
                continuation.resume(returning: slots.map {
                    switch $0 {
                    case .replay(let a): .appended(a)
                    case .new(let i): .appended(answers[i])
                    case .deadLetter(let r): .deadLettered(r)
                    }
                })
            }
        }
    }

    /// Forgets the least recently used stream heads and idempotency records beyond the capacities, keeping every entry
    /// that the store does not hold yet (written after the projector's committed offsets): a forgotten head or answer
    /// is then read back from the store as it was. Asks the store for its offsets only when a cache has grown by a
    /// sixteenth of its capacity since the last trim; when the store cannot answer, keeps everything until next time.
    private func trimCaches() async {
        defer {
            cachedStreamsGauge.record(heads.count)
            cachedEventsGauge.record(appended.count)
        }
        let streamsOver = heads.count > heads.capacity && heads.count - sizesAfterTrim.streams >= max(1, heads.capacity / 16)
        let eventsOver = appended.count > appended.capacity && appended.count - sizesAfterTrim.events >= max(1, appended.capacity / 16)
        guard streamsOver || eventsOver else { return }
        let progress: StoreProgress
        do {
            progress = StoreProgress(nextOffsets: try await store.projectorOffsets())
        } catch {
            logger.warning("the gateway could not read the projector's offsets; it keeps its cached heads and answers for now",
                           metadata: ["error": "\(error)"])
            return
        }
        heads.evict(downTo: heads.capacity) { _, cached in cached.lastWrite.map { progress.holds($0) } ?? true }
        appended.evict(downTo: appended.capacity) { _, answer in progress.holds(answer) }
        sizesAfterTrim = (heads.count, appended.count)
    }

    /// `error` as the caller should see it: a refusal as it is, anything else (PostgreSQL not answering the
    /// idempotency or stream-head lookups) as ``AppendFailure/unavailable(_:)``, so the doors answer 503.
    static func unavailableUnlessRefusal(_ error: any Error) -> any Error {
        if error is AppendFailure { return error }
        return AppendFailure.unavailable("the gateway could not read stream heads or earlier appends (PostgreSQL): \(error)")
    }

    /// Makes a committed group the gateway's state: new stream heads and the answers of its events.
    private func adopt(_ assembly: Assembly, reports: [KafkaDeliveryReport]) -> [AppendedEvent] {
        var answers: [AppendedEvent] = []
        var lastWrites: [String: KafkaPlace] = [:]
        for (event, report) in zip(assembly.events, reports) {
            let answer = AppendedEvent(id: event.id, source: event.source, subject: event.subject, topic: report.topic,
                                       partition: report.partition, offset: report.offset, sequence: event.sequence ?? 0,
                                       hash: event.hash ?? "", contentDigest: Gateway.digest(event.publisherContent()))
            answers.append(answer)
            appended.set(answer, forKey: EventKey(source: event.source, id: event.id))
            lastWrites[event.subject] = KafkaPlace(topic: report.topic, partition: report.partition, offset: report.offset)
        }
        for (stream, head) in assembly.overlay {
            // A stream the group planned without writing to keeps the place of the gateway's last write to it.
            heads.set(CachedHead(head: head, lastWrite: lastWrites[stream] ?? heads.peek(stream)?.lastWrite), forKey: stream)
        }
        return answers
    }

    /// A commit group whose journal write was not confirmed, kept until the journal tells whether it holds it.
    private struct InDoubt {
        var entries: [JournalRecord]
        var assembly: Assembly
    }

    /// Whether a commit group is in the journal.
    private enum JournalOutcome {
        case recorded, notRecorded
        /// The write was not confirmed and the journal could not be read to tell.
        case unknown
    }

    /// Gives each record its journal position (also as the ``LogPosition/header`` header) in the next commit group.
    private func journalEntries(for records: inout [KafkaProducerRecord], events: [CloudEvent]) -> [JournalRecord] {
        let group = journalTail.commitGroup + 1
        var entries: [JournalRecord] = []
        entries.reserveCapacity(records.count)
        for i in records.indices {
            let position = journalTail.position + 1 + Int64(i)
            records[i].headers.append(KafkaHeader(key: LogPosition.header, value: LogPosition.headerValue(position)))
            let event = i < events.count ? events[i] : nil
            entries.append(JournalRecord(position: position, commitGroup: group, record: records[i],
                                         subject: event?.subject, sequence: event?.sequence, hash: event?.hash))
        }
        return entries
    }

    /// Writes a commit group to the journal. When the write is not confirmed, reads the journal's tail to learn
    /// whether it was recorded all the same; when that read fails too, the outcome is `.unknown` (the caller keeps the
    /// group in ``inDoubt`` and the gateway refuses writes until the journal answers).
    private func record(_ entries: [JournalRecord], in journal: any EventJournal) async -> JournalOutcome {
        guard let last = entries.last else { return .recorded }
        do {
            try await journal.append(entries)
        } catch {
            logger.error("the journal did not confirm a commit group", metadata: ["error": "\(error)", "records": "\(entries.count)"])
            guard let tail = try? await journal.tail() else { return .unknown }
            guard tail.position >= last.position else { return .notRecorded }
        }
        journalTail = JournalTail(position: last.position, commitGroup: last.commitGroup)
        return .recorded
    }

    /// Settles a group left in doubt: if the journal holds it, it is published and adopted (its requests were
    /// already answered 503; a retry with the same ids gets its answer); if not, it is dropped.
    /// - Returns: false while the journal still cannot be read.
    private func resolveInDoubt() async -> Bool {
        guard let doubt = inDoubt, let journal else { inDoubt = nil; return true }
        guard let tail = try? await journal.tail() else { return false }
        inDoubt = nil
        guard let last = doubt.entries.last, tail.position >= last.position else {
            journalTail = tail
            return true
        }
        journalTail = JournalTail(position: last.position, commitGroup: last.commitGroup)
        logger.notice("a commit group left in doubt is in the journal; publishing it", metadata: ["records": "\(doubt.entries.count)"])
        guard let reports = await publishRecorded(doubt.entries.map(\.record), events: doubt.assembly.records.count, offsets: []) else { return false }
        _ = adopt(doubt.assembly, reports: reports)
        return true
    }

    /// Publishes a group already recorded in the journal in one Kafka transaction, retrying (with a pause that
    /// doubles up to 5 s) until Kafka commits it: a recorded group is never given up while the gateway runs.
    /// The inbound door's offsets go with the first attempt only (a retry re-reads records the gateway then
    /// answers from its idempotency record).
    /// - Returns: the delivery reports, or nil when the gateway was closed while Kafka still refused it
    ///   (the journal keeps it; the next start publishes it).
    private func publishRecorded(_ records: [KafkaProducerRecord], events: Int, offsets: [(KafkaConsumer, [KafkaTopicPartition: Int64])]) async -> [KafkaDeliveryReport]? {
        let start = ContinuousClock.now
        publishStartedAt = start
        defer { publishStartedAt = nil }
        var pause = Duration.milliseconds(100)
        var attempt = 0
        while true {
            attempt += 1
            do {
                try producer.beginTransaction()
                let reports = try await producer.send(records)
                if attempt == 1 {
                    for (consumer, o) in offsets where !o.isEmpty { try await producer.sendOffsetsToTransaction(o, consumer: consumer) }
                }
                try await producer.commitTransaction()
                if attempt > 1 { logger.notice("Kafka committed the recorded group", metadata: ["attempts": "\(attempt)"]) }
                recordTransaction(since: start, records: events)
                return reports
            } catch {
                logger.error("Kafka did not commit a recorded group; retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                do { try await producer.abortTransaction() } catch { logger.error("abort failed: \(error)") }
                if closedReason != nil && attempt >= 3 { return nil }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    private func recordTransaction(since start: ContinuousClock.Instant, records: Int) {
        let elapsed = (ContinuousClock.now - start).components
        transactionTimer.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        appendedCounter.increment(by: records)
    }

    /// Plans one all-or-nothing request into `assembly`: idempotency, expected version, lifecycle,
    /// sequence and hash chain. On a refusal `assembly` is left untouched.
    /// - Throws: ``AppendFailure/rejected(index:_:)``, or a store error.
    private func plan(_ events: [SubmittedEvent], into assembly: inout Assembly, recordedTime: String) async throws -> [Slot] {
        var local = assembly
        var slots: [Slot] = []
        for (index, submitted) in events.enumerated() {
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
            if let inBatch = local.appendedInBatch[key] {
                guard inBatch.content == content else {
                    throw AppendFailure.rejected(index: index, EventRejection(
                        code: "duplicate-id-conflict", pointer: "/\(index)/id",
                        message: "event \(event.id) from \(event.source) was sent twice with different content"))
                }
                slots.append(.new(inBatch.index))
                continue
            }
            let current: StreamHead
            if let h = local.overlay[event.subject] { current = h } else { current = try await head(of: event.subject) }
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
            if let itemStream = CatalogRules.itemStream(for: event, given: current.state) {
                let item: StreamHead
                if let h = local.overlay[itemStream] { item = h } else { item = try await head(of: itemStream) }
                do {
                    try CatalogRules.check(event, given: current.state, item: item.state)
                } catch {
                    throw AppendFailure.rejected(index: index, EventRejection(code: error.code, pointer: "/\(index)\(error.pointer)", message: error.message))
                }
            }
            var head = current
            for var e in decided {
                e.sequence = head.sequence + 1
                e.prevhash = head.hash
                e.recordedtime = recordedTime
                e.hash = e.computeHash()
                let value = e.jsonBytes()
                guard value.count <= EventValidator.maxEventBytes else {
                    throw AppendFailure.rejected(index: index, EventRejection(
                        code: "payload-too-large", pointer: "/\(index)",
                        message: "the event has \(value.count) bytes as appended; an event may have at most \(EventValidator.maxEventBytes)"))
                }
                head = head.advanced(by: e)
                let eventType = EventCatalog.eventType(e.type)!
                local.records.append(KafkaProducerRecord(
                    topic: topics.canonical(eventType.topic), key: Array(e.subject.utf8), value: value,
                    headers: [KafkaHeader(key: "ce_type", value: Array(e.type.utf8)),
                              KafkaHeader(key: "content-type", value: Array("application/cloudevents+json".utf8))],
                    partition: nil))
                local.events.append(e)
            }
            local.overlay[event.subject] = head
            let recordIndex = local.records.count - 1
            local.appendedInBatch[key] = (content, recordIndex)
            slots.append(.new(recordIndex))
        }
        assembly = local
        return slots
    }

    private func earlierAppend(_ key: EventKey) async throws -> AppendedEvent? {
        if let a = appended.value(forKey: key) ?? prefetched[key] { return a }
        if knownNew.contains(key) { return nil }
        return try await store.lookup(source: key.source, id: key.id)
    }

    private func head(of stream: String) async throws -> StreamHead {
        if let cached = heads.value(forKey: stream) { return cached.head }
        let h = try await store.loadHead(stream) ?? StreamHead(stream: stream)
        heads.set(CachedHead(head: h, lastWrite: nil), forKey: stream)
        return h
    }

    /// Hex SHA-256 of `bytes`.
    static func digest(_ bytes: [UInt8]) -> String {
        Digest.sha256Hex(bytes)
    }
}
