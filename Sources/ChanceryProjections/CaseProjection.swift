import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Projects case events into `approval.cases` and `approval.daily_counts`, evolving each case's
/// ``CaseClock`` (working days in the region's calendar) and its latest urge (督办, ``UrgeProjection``).
struct CaseProjection {
    let calendars: RegionCalendars
    /// The configured limit of a bad rating's rectification (差评整改).
    let limits: InteractionLimits
    /// Working days an urge without its own deadline gives the department (``SupervisionPolicy/urgeLimit``).
    let urgeLimit: WorkingDays

    /// The case actions that meet an urge (``Urge``): a completed step, the decision, the conclusion.

    func apply(_ name: String, _ event: CloudEvent, on db: PostgresConnection) async throws {
        let d = event.data
        let (calendar, day) = try calendars.calendarAndDay(of: event)
        let seq = event.sequence ?? 0
        let urges = UrgeProjection(table: "approval.cases", urgeLimit: urgeLimit)
        switch name {
        case "CaseSubmitted":
            try await db.execute(
                """
                INSERT INTO approval.cases (subject, region, case_number, item_code, department_code, status, applicant_name, submitted_at, last_sequence)
                VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7::timestamptz, $8) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, d["caseNumber"]?.stringValue, d["itemCode"]?.stringValue,
                      d["departmentCode"]?.stringValue, d["applicantName"]?.stringValue, event.time, seq])
            try await count("submitted", event, day, on: db)
        case "CaseAccepted":
            let limit = WorkingDays(Int(d["promisedLimit"]?.integerValue ?? 0))
            let clock = CaseClock(acceptedOn: day, promisedLimit: limit,
                                  promisedLimitUnit: d["promisedLimitUnit"]?.stringValue.flatMap(LimitUnit.init(rawValue:)) ?? .workingDays,
                                  statutoryLimit: d["statutoryLimit"]?.integerValue.map { WorkingDays(Int($0)) })
            try await db.execute(
                """
                UPDATE approval.cases SET status = 'accepted', accepted_at = $2::timestamptz, accepted_on = $3::date, case_type = $4,
                       promised_limit = $5, statutory_limit = $6, deadline = $7::date, working_days_used = 0, clock = $8::jsonb, last_sequence = $9,
                       promised_limit_unit = $10, statutory_deadline = $11::date
                WHERE subject = $1
                """, [event.subject, event.time, day.description, d["caseType"]?.stringValue, Int64(limit.count),
                      d["statutoryLimit"]?.integerValue, calendar.flatMap { clock.deadline(.promised, calendar: $0)?.description },
                      try jsonText(clock), seq, clock.promisedLimitUnit.rawValue, calendar.flatMap { clock.deadline(.statutory, calendar: $0)?.description }])
            try await count("accepted", event, day, on: db)
        case "CaseRefused":
            try await db.execute(
                "UPDATE approval.cases SET status = 'refused', refused_at = $2::timestamptz, refused_on = $5::date, refusal_reason = $4, last_sequence = $3 WHERE subject = $1",
                [event.subject, event.time, seq, d["reason"]?.stringValue, day.description])
            try await count("refused", event, day, on: db)
        case "SupplementRequested", "SupplementReceived":
            guard var clock = try await loadClock(event.subject, on: db) else { return }
            if name == "SupplementRequested" { clock.pause(on: day) } else { clock.resume(on: day) }
            let status = name == "SupplementRequested" ? "supplementing" : "accepted"
            try await updateClock(clock, status: status, event, day, calendar, on: db)
        case "StepCompleted":
            try await db.execute(
                """
                UPDATE approval.cases SET last_sequence = $2,
                       review_completed_at = CASE WHEN $3 = 'review' THEN coalesce(review_completed_at, $4::timestamptz) ELSE review_completed_at END,
                       \(UrgeProjection.meets("$5"))
                WHERE subject = $1
                """, [event.subject, seq, d["step"]?.stringValue, event.time, day.description])
        case "SpecialProcedureStarted":
            try await db.execute(
                "UPDATE approval.cases SET special_procedure_kind = $2, special_procedures = special_procedures + 1, last_sequence = $3 WHERE subject = $1",
                [event.subject, d["specialProcedureKind"]?.stringValue, seq])
            guard var clock = try await loadClock(event.subject, on: db) else { return }
            clock.startSpecialProcedure(d["specialProcedureKind"]?.stringValue.flatMap(SpecialProcedureKind.init(rawValue:)) ?? .other, on: day)
            try await updateClock(clock, status: nil, event, day, calendar, on: db)
        case "SpecialProcedureEnded":
            try await db.execute("UPDATE approval.cases SET special_procedure_kind = NULL, last_sequence = $2 WHERE subject = $1", [event.subject, seq])
            guard var clock = try await loadClock(event.subject, on: db) else { return }
            clock.endSpecialProcedure(on: day)
            try await updateClock(clock, status: nil, event, day, calendar, on: db)
        case "CaseReportedUpward":
            try await db.execute("UPDATE approval.cases SET status = 'reported-upward', reported_upward_at = $2::timestamptz, last_sequence = $3 WHERE subject = $1",
                                 [event.subject, event.time, seq])
        case "CaseReturnedFromUpward":
            try await db.execute("UPDATE approval.cases SET status = 'accepted', returned_from_upward_at = $2::timestamptz, last_sequence = $3 WHERE subject = $1",
                                 [event.subject, event.time, seq])
        case "CaseUrged":
            try await db.execute("UPDATE approval.cases SET urges = urges + 1, last_sequence = $2 WHERE subject = $1", [event.subject, seq])
            try await urges.urged(event, on: day, calendar: calendar, on: db)
        case "CaseWithdrawn":
            try await db.execute("UPDATE approval.cases SET status = 'withdrawn', withdrawn_at = $2::timestamptz, last_sequence = $3 WHERE subject = $1",
                                 [event.subject, event.time, seq])
        case "CaseDelivered":
            try await db.execute("UPDATE approval.cases SET status = 'delivered', delivered_at = $2::timestamptz, last_sequence = $3 WHERE subject = $1",
                                 [event.subject, event.time, seq])
        case "CaseRated":
            let code = d["satisfactionCode"]?.integerValue
            // A bad rating (4–5) must be rectified within the configured limit, counted from the rating's day.
            let rectificationDeadline = (code ?? 0) >= 4
                ? calendar.map { InteractionClock(kind: .rectification, startedOn: day, limits: limits).deadline(calendar: $0).description } : nil
            try await db.execute(
                "UPDATE approval.cases SET satisfaction_code = $2, rated_at = $3::timestamptz, rectification_deadline = $5::date, last_sequence = $4 WHERE subject = $1",
                [event.subject, code, event.time, seq, rectificationDeadline])
        case "BadRatingRectified":
            try await db.execute(
                """
                UPDATE approval.cases SET rectified_at = $2::timestamptz, follow_up_satisfaction_code = $3, last_sequence = $4,
                       rectified_in_time = $5::date <= rectification_deadline
                WHERE subject = $1
                """, [event.subject, event.time, d["followUpSatisfactionCode"]?.integerValue, seq, day.description])
        case "CaseDecided":
            try await db.execute(
                "UPDATE approval.cases SET status = 'decided', decided_at = $2::timestamptz, decision = $3, last_sequence = $4, \(UrgeProjection.meets("$5")) WHERE subject = $1",
                [event.subject, event.time, d["decision"]?.stringValue, seq, day.description])
        case "CaseConcluded":
            let clock = try await loadClock(event.subject, on: db)
            var used: Int64?
            var outcome: String?
            if let clock, let calendar {
                let u = clock.daysUsed(.promised, through: day, calendar: calendar)
                used = Int64(u)
                outcome = CaseOutcome.classify(used: WorkingDays(u), limit: clock.promisedLimit, acceptedOn: clock.acceptedOn, concludedOn: day).rawValue
            }
            try await db.execute(
                """
                UPDATE approval.cases SET status = 'concluded', concluded_at = $2::timestamptz, concluded_on = $3::date,
                       working_days_used = $4, outcome = $5, last_sequence = $6, \(UrgeProjection.meets("$3")) WHERE subject = $1
                """, [event.subject, event.time, day.description, used, outcome, seq])
            try await count("concluded", event, day, on: db)
        default:
            break
        }
    }

    /// Stores `clock` with its promised and statutory deadlines and the days used through `day`.
    private func updateClock(_ clock: CaseClock, status: String?, _ event: CloudEvent, _ day: CivilDate, _ calendar: WorkingDayCalendar?,
                             on db: PostgresConnection) async throws {
        try await db.execute(
            """
            UPDATE approval.cases SET status = coalesce($2, status), clock = $3::jsonb, deadline = $4::date, working_days_used = $5,
                   statutory_deadline = $6::date, last_sequence = $7
            WHERE subject = $1
            """, [event.subject, status, try jsonText(clock), calendar.flatMap { clock.deadline(.promised, calendar: $0)?.description },
                  calendar.map { Int64(clock.daysUsed(.promised, through: day, calendar: $0)) },
                  calendar.flatMap { clock.deadline(.statutory, calendar: $0)?.description }, event.sequence ?? 0])
    }

    private func loadClock(_ subject: String, on db: PostgresConnection) async throws -> CaseClock? {
        let rows = try await db.query("SELECT clock::text FROM approval.cases WHERE subject = $1", [subject])
        guard let text = try rows.first?.decode(String?.self, at: 0) else { return nil }
        return try JSONDecoder().decode(CaseClock.self, from: Data(text.utf8))
    }


    /// Adds one to `column` of the case's department × item × day row.
    private func count(_ column: String, _ event: CloudEvent, _ day: CivilDate, on db: PostgresConnection) async throws {
        precondition(["submitted", "accepted", "refused", "concluded"].contains(column))
        try await db.execute(
            """
            INSERT INTO approval.daily_counts (region, department_code, item_code, day, \(column))
            SELECT region, department_code, item_code, $2::date, 1 FROM approval.cases WHERE subject = $1
            ON CONFLICT (region, department_code, item_code, day) DO UPDATE SET \(column) = approval.daily_counts.\(column) + 1
            """, [event.subject, day.description])
    }
}
