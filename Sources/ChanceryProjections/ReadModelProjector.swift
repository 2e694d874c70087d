import ChanceryDomain
import ChanceryPostgres
import ChanceryRuntime
import Foundation

/// Builds the read models of every canonical topic (DESIGN.md, "Read models"): the event log
/// (`audit.events`), stream heads, items, cases with their clocks, ratings and urges (the latest urge's deadline and
/// whether it was met), daily counts, the monthly counts of the case metrics (``CaseMonthCounts``), the disclosure catalogue, disclosure requests, mailbox letters (with their
/// latest urge too), consultations, complaints and alerts.
/// Every event is read in the newest shape of its type (``UpcasterRegistry/standard``); the log keeps it as
/// appended.
public struct ReadModelProjector: ReadModelHandler {
    /// The consumer group of the projector.
    public static let consumerGroup = "chancery-projector"

    private let calendars: RegionCalendars
    private let interactionLimits: InteractionLimits
    private let urgeLimit: WorkingDays

    /// - Parameters:
    ///   - calendars: the working-day calendar of each region.
    ///   - interactionLimits: reply limits of letters, consultations, complaints and bad-rating rectifications
    ///     when an event does not carry its own.
    ///   - urgeLimit: working days an urge (督办, CaseUrged / LetterUrged) without its own `deadline` gives the
    ///     department, counted after the urge day on the region's calendar — the supervision policy's
    ///     ``SupervisionPolicy/urgeLimit`` (5 by default), so the read models and the supervisor agree on the deadline.
    public init(calendars: RegionCalendars, interactionLimits: InteractionLimits = .defaults,
                urgeLimit: WorkingDays = SupervisionPolicy.defaultUrgeLimit) {
        self.calendars = calendars
        self.interactionLimits = interactionLimits
        self.urgeLimit = urgeLimit
    }

    /// Projects `events`; derives no events (returns none).
    public func apply(_ events: [ConsumedEvent], on db: PostgresConnection) async throws -> [CloudEvent] {
        guard !events.isEmpty else { return [] }
        var heads = try await loadHeads(Set(events.map(\.event.subject)), on: db)
        try await insertLog(events, on: db)
        var caseEvents: [(event: CloudEvent, caseEvent: CaseEvent)] = []
        var replyEvents: [(event: CloudEvent, replyEvent: ReplyEvent)] = []
        var alertEvents: [(event: CloudEvent, alertEvent: AlertEvent)] = []
        for consumed in events {
            let event = consumed.event
            let head = heads[event.subject] ?? StreamHead(stream: event.subject)
            heads[event.subject] = head.advanced(by: event)
            let upcast = UpcasterRegistry.standard.upcast(event)
            guard let name = EventCatalog.eventType(upcast.type)?.name else { continue }
            // Each event is decoded once here into its aggregate's typed value. Cases, reply streams and alerts are folded
            // and written per batch (``CaseProjection``, ``ReplyProjection``, ``AlertProjection``); items and documents,
            // rare, a statement each.
            if let caseEvent = CaseEvent(name: name, data: upcast.data) {
                caseEvents.append((upcast, caseEvent))
            } else if let replyEvent = ReplyEvent(name: name, data: upcast.data) {
                replyEvents.append((upcast, replyEvent))
            } else if let alertEvent = AlertEvent(name: name, data: upcast.data) {
                alertEvents.append((upcast, alertEvent))
            } else if let itemEvent = ItemEvent(name: name, data: upcast.data) {
                guard (try? Lifecycle.decide(event, given: head.state)) != nil else { continue }
                try await ItemProjection().apply(itemEvent, upcast, on: db)
            } else if let documentEvent = DocumentEvent(name: name, data: upcast.data) {
                // The document's lifecycle fold (its status and revisions) is the stream head's.
                guard (try? Lifecycle.decide(event, given: head.state)) != nil, case .document(let state)? = heads[event.subject]?.state else { continue }
                try await DocumentProjection().apply(documentEvent, upcast, state: state, on: db)
            }
        }
        // The monthly counts of the cases the batch touches move with them: their contribution before the batch's
        // writes is taken off, and what they contribute after is added (``CaseMonthCounts``).
        let counted = CaseMonthCounts.affectedCases(caseEvents: caseEvents, alertEvents: alertEvents)
        try await CaseMonthCounts().subtract(counted, on: db)
        try await AlertProjection().apply(alertEvents, on: db)
        try await ReplyProjection(calendars: calendars, rules: ReplyFile.Rules(urgeLimit: urgeLimit, interactionLimits: interactionLimits))
            .apply(replyEvents, on: db)
        try await CaseProjection(calendars: calendars, rules: CaseFile.Rules(urgeLimit: urgeLimit, interactionLimits: interactionLimits))
            .apply(caseEvents, on: db)
        try await CaseMonthCounts().add(counted, on: db)
        let encoder = JSONEncoder()
        let sorted = heads.values.sorted { $0.stream < $1.stream }
        let (streams, sequences, hashes) = (sorted.map(\.stream), sorted.map(\.sequence), sorted.map(\.hash))
        let states = try sorted.map { try $0.state.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? "" }
        try await db.execute(
            """
            INSERT INTO approval.stream_heads (stream, sequence, hash, state)
            SELECT stream, sequence, hash, nullif(state, '')::jsonb
            FROM unnest(\(streams)::text[], \(sequences)::bigint[], \(hashes)::text[], \(states)::text[]) AS h(stream, sequence, hash, state)
            ON CONFLICT (stream) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash, state = EXCLUDED.state, updated_at = now()
            """)
        return []
    }

    private func loadHeads(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: StreamHead] {
        var heads: [String: StreamHead] = [:]
        let rows = try await db.query("SELECT stream, sequence, hash, state::text FROM approval.stream_heads WHERE stream = ANY(\(Array(subjects)))")
        for row in rows {
            let stream = try row.decode(String.self, at: 0)
            let state = try row.decode(String?.self, at: 3).map { try JSONDecoder().decode(AggregateState.self, from: Data($0.utf8)) }
            heads[stream] = StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 1), hash: try row.decode(String.self, at: 2), state: state)
        }
        return heads
    }

    /// Appends the batch to `audit.events` in one statement (arrays unnested server-side).
    private func insertLog(_ events: [ConsumedEvent], on db: PostgresConnection) async throws {
        let e = events.map(\.event)
        let (subjects, sequences, sources, ids, types, regions) = (e.map(\.subject), e.map { $0.sequence ?? 0 }, e.map(\.source), e.map(\.id),
                                                                   e.map(\.type), e.map(\.region))
        let (times, recorded, topics, partitions, offsets) = (e.map(\.time), e.map { $0.recordedtime ?? $0.time }, events.map(\.topic),
                                                              events.map(\.partition), events.map(\.offset))
        let (prevhashes, hashes) = (e.map { $0.prevhash ?? "" }, e.map { $0.hash ?? "" })
        let digests = e.map { Digest.sha256Hex($0.publisherContent()) }
        let documents = e.map { String(decoding: $0.jsonBytes(), as: UTF8.self) }
        try await db.execute(
            """
            INSERT INTO audit.events (subject, sequence, source, id, type, region, time, time_text, recorded_time, topic, partition, "offset",
                                      prevhash, hash, content_digest, event)
            SELECT subject, sequence, source, id, type, region, time_text::timestamptz, time_text, recorded::timestamptz, topic, partition,
                   "offset", prevhash, hash, digest, event::jsonb
            FROM unnest(\(subjects)::text[], \(sequences)::bigint[], \(sources)::text[], \(ids)::text[], \(types)::text[], \(regions)::text[],
                        \(times)::text[], \(recorded)::text[], \(topics)::text[], \(partitions)::int[], \(offsets)::bigint[],
                        \(prevhashes)::text[], \(hashes)::text[], \(digests)::text[], \(documents)::text[])
                 AS l(subject, sequence, source, id, type, region, time_text, recorded, topic, partition, "offset", prevhash, hash, digest, event)
            ON CONFLICT DO NOTHING
            """)
    }
}
