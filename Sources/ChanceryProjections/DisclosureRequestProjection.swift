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
            let clock = DisclosureRequestClock(receivedOn: day)
            try await db.execute(
                """
                INSERT INTO disclosure.requests (subject, region, department_code, requester_name, requester_kind, description, received_at, clock, deadline,
                                                 received_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb, $9::date, $10::date) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("requesterName"), s("requesterKind"), s("description"), event.time,
                      try jsonText(clock), calendar.flatMap { clock.deadline(calendar: $0)?.description }, day.description])
        case "DisclosureSupplementRequested":
            try await db.execute("UPDATE disclosure.requests SET supplement_requested_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
            try await evolve(event, calendar, on: db) { $0.requestSupplement(on: day) }
        case "DisclosureSupplementReceived":
            try await db.execute("UPDATE disclosure.requests SET supplement_received_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
            try await evolve(event, calendar, on: db) { $0.receiveSupplement(on: day) }
        case "DisclosureRequestExtended":
            try await db.execute("UPDATE disclosure.requests SET extended_at = $2::timestamptz, extension_limit = $3 WHERE subject = $1",
                                 [event.subject, event.time, i("extensionLimit")])
            try await evolve(event, calendar, on: db) { $0.extend(by: WorkingDays(Int(i("extensionLimit") ?? 0))) }
        case "ThirdPartyConsulted":
            try await db.execute("UPDATE disclosure.requests SET third_party_consultations = third_party_consultations + 1 WHERE subject = $1", [event.subject])
            try await evolve(event, calendar, on: db) { $0.consultThirdParty(on: day) }
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

    private func evolve(_ event: CloudEvent, _ calendar: WorkingDayCalendar?, on db: PostgresConnection,
                        _ change: (inout DisclosureRequestClock) -> Void) async throws {
        guard var clock = try await load(event.subject, on: db) else { return }
        change(&clock)
        try await db.execute("UPDATE disclosure.requests SET clock = $2::jsonb, deadline = $3::date WHERE subject = $1",
                             [event.subject, try jsonText(clock), calendar.flatMap { clock.deadline(calendar: $0)?.description }])
    }

    private func load(_ subject: String, on db: PostgresConnection) async throws -> DisclosureRequestClock? {
        let rows = try await db.query("SELECT clock::text FROM disclosure.requests WHERE subject = $1", [subject])
        guard let text = try rows.first?.decode(String?.self, at: 0) else { return nil }
        return try JSONDecoder().decode(DisclosureRequestClock.self, from: Data(text.utf8))
    }
}
