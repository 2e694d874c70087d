import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Projects the interaction topic (`gov.interaction`) into `interaction.letters`, `interaction.consultations`
/// and `interaction.complaints`: what happened (received, accepted, transferred, escalated, urged, returned,
/// extended, replied) and each one's ``InteractionClock`` — the reply limit sent with the event (a letter's
/// acceptance or last transfer, a consultation's or complaint's `replyLimit`), else the configured
/// ``InteractionLimits`` — with its deadline and whether the reply came in time; and a letter's latest urge (督办,
/// ``UrgeProjection``).
struct InteractionProjection {
    let calendars: RegionCalendars
    let limits: InteractionLimits
    /// Working days an urge without its own deadline gives the department (``SupervisionPolicy/urgeLimit``).
    let urgeLimit: WorkingDays

    /// The letter actions that meet an urge (``Urge``): a transfer, an escalation, an extension, the reply.

    func apply(_ name: String, _ event: CloudEvent, on db: PostgresConnection) async throws {
        let d = event.data
        func s(_ key: String) -> String? { d[key]?.stringValue }
        func i(_ key: String) -> Int64? { d[key]?.integerValue }
        let (calendar, day) = try calendars.calendarAndDay(of: event)
        // The clock rules are the supervisor's (``ReplyClock``): the event's limit wins over the configured one.
        func opened() -> InteractionClock? {
            guard case .interaction(let clock)? = ReplyClock.opened(by: name, data: d, on: day, limits: limits) else { return nil }
            return clock
        }
        let urges = UrgeProjection(table: "interaction.letters", urgeLimit: urgeLimit)
        switch name {
        case "LetterReceived":
            guard let clock = opened() else { return }
            try await db.execute(
                """
                INSERT INTO interaction.letters (subject, region, mailbox, letter_kind, title, writer_name, status, received_at, clock, deadline, received_on)
                VALUES ($1, $2, $3, $4, $5, $6, 'received', $7::timestamptz, $8::jsonb, $9::date, $10::date) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("mailbox"), s("letterKind"), s("title"), s("writerName"), event.time,
                      try jsonText(clock), calendar.map { clock.deadline(calendar: $0).description }, day.description])
        case "LetterAccepted":
            try await db.execute("UPDATE interaction.letters SET status = 'accepted', accepted_at = $2::timestamptz, reply_limit = coalesce($3, reply_limit) WHERE subject = $1",
                                 [event.subject, event.time, i("replyLimit")])
            if i("replyLimit") != nil { try await evolve("letters", event, calendar) }
        case "LetterTransferred":
            try await db.execute(
                """
                UPDATE interaction.letters SET transfers = transfers + 1, department_code = $2, reply_limit = coalesce($3, reply_limit),
                       \(UrgeProjection.meets("$4")) WHERE subject = $1
                """, [event.subject, s("toDepartmentCode"), i("replyLimit"), day.description])
            if i("replyLimit") != nil { try await evolve("letters", event, calendar) }
        case "LetterEscalated":
            try await db.execute("UPDATE interaction.letters SET escalations = escalations + 1, \(UrgeProjection.meets("$2")) WHERE subject = $1",
                                 [event.subject, day.description])
        case "LetterUrged":
            try await db.execute("UPDATE interaction.letters SET urges = urges + 1 WHERE subject = $1", [event.subject])
            try await urges.urged(event, on: day, calendar: calendar, on: db)
        case "LetterReturned":
            try await db.execute("UPDATE interaction.letters SET returns = returns + 1, department_code = NULL WHERE subject = $1", [event.subject])
        case "LetterExtensionGranted":
            try await db.execute("UPDATE interaction.letters SET extension_limit = $2, \(UrgeProjection.meets("$3")) WHERE subject = $1",
                                 [event.subject, i("extensionLimit"), day.description])
            try await evolve("letters", event, calendar)
        case "LetterReplied":
            try await db.execute(
                "UPDATE interaction.letters SET status = 'replied', replied_at = $2::timestamptz, published = $3, \(UrgeProjection.meets("$4")) WHERE subject = $1",
                [event.subject, event.time, d["published"]?.boolValue, day.description])
            try await answered("letters", event, day, calendar)
        case "ConsultationReceived":
            guard let clock = opened() else { return }
            try await db.execute(
                """
                INSERT INTO interaction.consultations (subject, region, department_code, item_code, channel, reply_limit, received_at, clock, deadline, received_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::jsonb, $9::date, $10::date) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("itemCode"), s("channel"), i("replyLimit"), event.time,
                      try jsonText(clock), calendar.map { clock.deadline(calendar: $0).description }, day.description])
        case "ConsultationAnswered":
            try await db.execute("UPDATE interaction.consultations SET answered_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
            try await answered("consultations", event, day, calendar)
        case "ComplaintReceived":
            guard let clock = opened() else { return }
            try await db.execute(
                """
                INSERT INTO interaction.complaints (subject, region, department_code, item_code, case_subject, channel, reply_limit, received_at, clock, deadline, received_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz, $9::jsonb, $10::date, $11::date) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("itemCode"), s("caseSubject"), s("channel"), i("replyLimit"), event.time,
                      try jsonText(clock), calendar.map { clock.deadline(calendar: $0).description }, day.description])
        case "ComplaintAnswered":
            try await db.execute("UPDATE interaction.complaints SET answered_at = $2::timestamptz, substantiated = $3 WHERE subject = $1",
                                 [event.subject, event.time, d["substantiated"]?.boolValue])
            try await answered("complaints", event, day, calendar)
        default:
            break
        }

        func evolve(_ table: String, _ event: CloudEvent, _ calendar: WorkingDayCalendar?) async throws {
            guard let loaded = try await load(table, event.subject, on: db) else { return }
            var reply = ReplyClock.interaction(loaded)
            reply.apply(name, data: d, on: day)
            guard case .interaction(let clock) = reply else { return }
            try await db.execute("UPDATE interaction.\(table) SET clock = $2::jsonb, deadline = $3::date WHERE subject = $1",
                                 [event.subject, try jsonText(clock), calendar.map { clock.deadline(calendar: $0).description }])
        }
        func answered(_ table: String, _ event: CloudEvent, _ day: CivilDate, _ calendar: WorkingDayCalendar?) async throws {
            guard let clock = try await load(table, event.subject, on: db), let calendar else { return }
            try await db.execute("UPDATE interaction.\(table) SET replied_in_time = $2 WHERE subject = $1",
                                 [event.subject, clock.answeredInTime(answeredOn: day, calendar: calendar)])
        }
    }

    private func load(_ table: String, _ subject: String, on db: PostgresConnection) async throws -> InteractionClock? {
        precondition(["letters", "consultations", "complaints"].contains(table))
        let rows = try await db.query("SELECT clock::text FROM interaction.\(table) WHERE subject = $1", [subject])
        guard let text = try rows.first?.decode(String?.self, at: 0) else { return nil }
        return try JSONDecoder().decode(InteractionClock.self, from: Data(text.utf8))
    }
}
