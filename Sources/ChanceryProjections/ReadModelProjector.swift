import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Builds the read models of every canonical topic (DESIGN.md, "Read models"): the event log
/// (`audit.events`), stream heads, items, cases with their clocks, daily counts, the disclosure
/// catalogue, disclosure requests and alerts.
public struct ReadModelProjector: ReadModelHandler {
    /// The consumer group of the projector.
    public static let consumerGroup = "chancery-projector"

    private let calendars: RegionCalendars

    public init(calendars: RegionCalendars) {
        self.calendars = calendars
    }

    public func apply(_ events: [ConsumedEvent], on db: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        var heads = try await loadHeads(Set(events.map(\.event.subject)), on: db)
        for consumed in events {
            let event = consumed.event
            try await insertLog(consumed, on: db)
            let head = heads[event.subject] ?? StreamHead(stream: event.subject)
            heads[event.subject] = head.advanced(by: event)
            try await project(event, on: db)
        }
        for head in heads.values {
            let state = try head.state.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            try await db.execute(
                """
                INSERT INTO approval.stream_heads (stream, sequence, hash, state) VALUES ($1, $2, $3, $4::jsonb)
                ON CONFLICT (stream) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash, state = EXCLUDED.state, updated_at = now()
                """, [head.stream, head.sequence, head.hash, state])
        }
    }

    private func loadHeads(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: StreamHead] {
        var heads: [String: StreamHead] = [:]
        let rows = try await db.query("SELECT stream, sequence, hash, state::text FROM approval.stream_heads WHERE stream = ANY($1)", [Array(subjects)])
        for row in rows {
            let stream = try row.decode(String.self, at: 0)
            let state = try row.decode(String?.self, at: 3).map { try JSONDecoder().decode(AggregateState.self, from: Data($0.utf8)) }
            heads[stream] = StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 1), hash: try row.decode(String.self, at: 2), state: state)
        }
        return heads
    }

    private func insertLog(_ consumed: ConsumedEvent, on db: PostgresConnection) async throws {
        let e = consumed.event
        try await db.execute(
            """
            INSERT INTO audit.events (subject, sequence, source, id, type, region, time, time_text, recorded_time, topic, partition, "offset",
                                      prevhash, hash, content_digest, event)
            VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7, $8::timestamptz, $9, $10, $11, $12, $13, $14, $15::jsonb)
            ON CONFLICT DO NOTHING
            """,
            [e.subject, e.sequence ?? 0, e.source, e.id, e.type, e.region, e.time, e.recordedtime ?? e.time, consumed.topic,
             consumed.partition, consumed.offset, e.prevhash ?? "", e.hash ?? "", Digest.sha256Hex(e.publisherContent()),
             String(decoding: e.jsonBytes(), as: UTF8.self)])
    }

    private func project(_ event: CloudEvent, on db: PostgresConnection) async throws {
        guard let name = EventCatalog.eventType(event.type)?.name else { return }
        let d = event.data
        func s(_ key: String) -> String? { d[key]?.stringValue }
        func i(_ key: String) -> Int64? { d[key]?.integerValue }
        switch name {
        case "ItemRegistered":
            try await db.execute(
                """
                INSERT INTO catalog.items (subject, region, item_code, item_name, item_kind, department_code, department_name,
                                           statutory_limit, promised_limit, case_type, legal_basis, registered_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz) ON CONFLICT DO NOTHING
                """,
                [event.subject, event.region, s("itemCode"), s("itemName"), s("itemKind"), s("departmentCode"), s("departmentName"),
                 i("statutoryLimit"), i("promisedLimit"), s("caseType"), s("legalBasis"), event.time])
        case "ItemConfirmed":
            try await db.execute("UPDATE catalog.items SET confirmed_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
        case "CaseSubmitted", "CaseAccepted", "CaseRefused", "SupplementRequested", "SupplementReceived", "StepCompleted",
             "CaseDecided", "CaseConcluded":
            try await CaseProjection(calendars: calendars).apply(name, event, on: db)
        case "DocumentPublished":
            try await db.execute(
                """
                INSERT INTO disclosure.documents (subject, region, title, category, department_code, document_number, published_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("title"), s("category"), s("departmentCode"), s("documentNumber"), event.time])
        case "DocumentReported":
            try await db.execute("UPDATE disclosure.documents SET reported_at = $2::timestamptz, reported_to = $3 WHERE subject = $1",
                                 [event.subject, event.time, s("reportedTo")])
        case "DisclosureRequestReceived":
            try await db.execute(
                """
                INSERT INTO disclosure.requests (subject, region, department_code, requester_name, requester_kind, description, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("requesterName"), s("requesterKind"), s("description"), event.time])
        case "DisclosureRequestAnswered":
            try await db.execute("UPDATE disclosure.requests SET answered_at = $2::timestamptz, outcome = $3, note = $4 WHERE subject = $1",
                                 [event.subject, event.time, s("outcome"), s("note")])
        case "DeadlineBreached":
            try await db.execute(
                """
                INSERT INTO supervision.alerts (subject, id, region, case_subject, department_code, item_code, card, deadline, raised_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.id, event.region, s("caseSubject"), s("departmentCode"), s("itemCode"), s("card"), s("deadline"), event.time])
        default:
            break
        }
    }
}
