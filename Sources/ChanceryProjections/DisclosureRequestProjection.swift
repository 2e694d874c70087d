import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Projects disclosure requests (依申请公开, `request/<region>/<number>`) into `disclosure.requests`: each step,
/// and the request's ``DisclosureRequestClock`` (order 711, or order 492 before 2019-05-15) with its deadline
/// and whether the reply came in time.
struct DisclosureRequestProjection {
    let calendars: RegionCalendars

    func apply(_ name: String, _ event: CloudEvent, on db: PostgresConnection) async throws {
        let d = event.data
        func s(_ key: String) -> String? { d[key]?.stringValue }
        func i(_ key: String) -> Int64? { d[key]?.integerValue }
        let (calendar, day) = try calendars.calendarAndDay(of: event)
        switch name {
        case "DisclosureRequestReceived":
            guard case .request(let clock)? = ReplyClock.opened(by: name, data: d, on: day, limits: .defaults) else { return }
            try await db.execute(
                """
                INSERT INTO disclosure.requests (subject, region, department_code, requester_name, requester_kind, description, received_at, clock, deadline,
                                                 received_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb, $9::date, $10::date) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("requesterName"), s("requesterKind"), s("description"), event.time,
                      try jsonText(clock), calendar.flatMap { clock.deadline(calendar: $0)?.description }, day.description])
        case "DisclosureSupplementRequested":
            try await db.execute("UPDATE disclosure.requests SET supplement_requested_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
            try await evolve(name, event, day, calendar, on: db)
        case "DisclosureSupplementReceived":
            try await db.execute("UPDATE disclosure.requests SET supplement_received_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
            try await evolve(name, event, day, calendar, on: db)
        case "DisclosureRequestExtended":
            try await db.execute("UPDATE disclosure.requests SET extended_at = $2::timestamptz, extension_limit = $3 WHERE subject = $1",
                                 [event.subject, event.time, i("extensionLimit")])
            try await evolve(name, event, day, calendar, on: db)
        case "ThirdPartyConsulted":
            try await db.execute("UPDATE disclosure.requests SET third_party_consultations = third_party_consultations + 1 WHERE subject = $1", [event.subject])
            try await evolve(name, event, day, calendar, on: db)
        case "DisclosureRequestAnswered":
            let clock = try await load(event.subject, on: db)
            try await db.execute("UPDATE disclosure.requests SET answered_at = $2::timestamptz, outcome = $3, note = $4, answered_in_time = $5 WHERE subject = $1",
                                 [event.subject, event.time, s("outcome"), s("note"),
                                  calendar.flatMap { c in clock.map { $0.answeredInTime(answeredOn: day, calendar: c) } }])
        case "ReconsiderationFiled":
            try await db.execute("UPDATE disclosure.requests SET reconsideration_filed_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
        case "ReconsiderationDecided":
            try await db.execute("UPDATE disclosure.requests SET reconsideration_outcome = $2 WHERE subject = $1", [event.subject, s("outcome")])
        case "LitigationFiled":
            try await db.execute("UPDATE disclosure.requests SET litigation_filed_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
        case "LitigationDecided":
            try await db.execute("UPDATE disclosure.requests SET litigation_outcome = $2 WHERE subject = $1", [event.subject, s("outcome")])
        default:
            break
        }
    }

    /// Folds `name` into the stored clock by the supervisor's rules (``ReplyClock/apply(_:data:on:)``).
    private func evolve(_ name: String, _ event: CloudEvent, _ day: CivilDate, _ calendar: WorkingDayCalendar?, on db: PostgresConnection) async throws {
        guard let loaded = try await load(event.subject, on: db) else { return }
        var reply = ReplyClock.request(loaded)
        reply.apply(name, data: event.data, on: day)
        guard case .request(let clock) = reply else { return }
        try await db.execute("UPDATE disclosure.requests SET clock = $2::jsonb, deadline = $3::date WHERE subject = $1",
                             [event.subject, try jsonText(clock), calendar.flatMap { clock.deadline(calendar: $0)?.description }])
    }

    private func load(_ subject: String, on db: PostgresConnection) async throws -> DisclosureRequestClock? {
        let rows = try await db.query("SELECT clock::text FROM disclosure.requests WHERE subject = $1", [subject])
        guard let text = try rows.first?.decode(String?.self, at: 0) else { return nil }
        return try JSONDecoder().decode(DisclosureRequestClock.self, from: Data(text.utf8))
    }
}
