import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections
import Foundation
import Logging

/// The supervision consumer (电子监察, DESIGN.md "supervisor"): keeps every case's clock in working days in
/// `supervision.case_clocks` (from which `supervision.department_monthly_metrics` is computed) and raises a
/// red card, `DeadlineBreached` on `gov.supervision`, when a case passes its promised deadline unconcluded.
///
/// Time advances by event time: a case's own later event (a late conclusion, a supplement request after
/// the deadline) or the supervisor's watermark — the minimum over its partitions of the latest business
/// time seen — passing the deadline raises the card. Alerts have deterministic ids and contents
/// (``DeadlineAlerts``), so a replay or a restart appends nothing twice.
public struct Supervisor: ReadModelHandler {
    /// The consumer group of the supervisor.
    public static let consumerGroup = "chancery-supervisor"

    private let calendars: RegionCalendars
    private let appender: any EventAppender
    private let logger: Logger

    public init(calendars: RegionCalendars, appender: any EventAppender, logger: Logger) {
        self.calendars = calendars
        self.appender = appender
        self.logger = logger
    }

    /// One case's supervision row while a batch is applied.
    struct Row {
        var subject: String
        var region: String
        var departmentCode: String
        var itemCode: String
        var status: String
        var clock: CaseClock?
        var concludedOn: CivilDate?
        var used: WorkingDays?
        var outcome: CaseOutcome?
        var redAlertID: String?
        var lastSequence: Int64
    }

    public func apply(_ events: [ConsumedEvent], on db: PostgresConnection) async throws {
        let caseEvents = events.filter { $0.event.type.hasPrefix("gov.approval.case.") }
        var rows = try await load(Set(caseEvents.map(\.event.subject)), on: db)
        var alerts: [CloudEvent] = []
        var latest: [String: (region: String, topic: String, partition: Int32, time: RFC3339Timestamp)] = [:]
        var touched: Set<String> = []

        for consumed in events {
            let event = UpcasterRegistry.standard.upcast(consumed.event)
            guard let instant = try? RFC3339Timestamp(parsing: event.time) else { continue }
            let key = "\(event.region)#\(consumed.topic)#\(consumed.partition)"
            if latest[key].map({ $0.time < instant }) ?? true { latest[key] = (event.region, consumed.topic, consumed.partition, instant) }
            guard event.type.hasPrefix("gov.approval.case."), let name = EventCatalog.eventType(event.type)?.name,
                  let calendar = calendars.calendar(for: event.region) else { continue }
            let day = calendar.civilDate(of: instant)
            if var row = rows[event.subject] {
                // The case's own event shows time has passed its deadline while it was still running.
                if let alert = breach(row, on: day, calendar: calendar) {
                    alerts.append(alert)
                    row.redAlertID = alert.id
                }
                apply(name, event, day: day, calendar: calendar, to: &row)
                rows[event.subject] = row
            } else if name == "CaseSubmitted" {
                rows[event.subject] = Row(
                    subject: event.subject, region: event.region,
                    departmentCode: event.data["departmentCode"]?.stringValue ?? "", itemCode: event.data["itemCode"]?.stringValue ?? "",
                    status: "submitted", lastSequence: event.sequence ?? 0)
            }
            touched.insert(event.subject)
        }
        for subject in touched { if let row = rows[subject] { try await save(row, on: db) } }

        for (_, w) in latest {
            try await db.execute(
                """
                INSERT INTO supervision.watermarks (consumer_group, region, topic, partition, event_time) VALUES ($1, $2, $3, $4, $5::timestamptz)
                ON CONFLICT (consumer_group, region, topic, partition)
                DO UPDATE SET event_time = greatest(supervision.watermarks.event_time, EXCLUDED.event_time)
                """, [Supervisor.consumerGroup, w.region, w.topic, w.partition, w.time.description])
        }
        alerts += try await watermarkBreaches(excluding: Set(alerts.map(\.id)), on: db)
        guard !alerts.isEmpty else { return }
        do {
            _ = try await appender.append(alerts.map { SubmittedEvent(event: $0) })
        } catch AppendFailure.rejected {
            // One refused alert must not hold back the others (nor stop the supervisor): append one by one.
            for alert in alerts {
                do { _ = try await appender.append([SubmittedEvent(event: alert)]) } catch AppendFailure.rejected(_, let why) {
                    logger.error("red card refused by the gateway", metadata: ["id": "\(alert.id)", "reason": "\(why)"])
                }
            }
        }
        for alert in alerts {
            try await db.execute("UPDATE supervision.case_clocks SET red_alert_id = $2 WHERE subject = $1",
                                 [alert.data["caseSubject"]?.stringValue, alert.id])
        }
        logger.info("red cards raised", metadata: ["count": "\(alerts.count)"])
    }

    /// The red card for `row` if, on `day`, it is running (accepted, not paused) and past its deadline.
    private func breach(_ row: Row, on day: CivilDate, calendar: WorkingDayCalendar) -> CloudEvent? {
        guard row.redAlertID == nil, row.status == "accepted" || row.status == "decided", let clock = row.clock,
              let deadline = clock.deadline(calendar: calendar), clock.isOverdue(on: day, calendar: calendar) else { return nil }
        return DeadlineAlerts.breach(caseSubject: row.subject, region: row.region, departmentCode: row.departmentCode,
                                     itemCode: row.itemCode, deadline: deadline, limit: clock.promisedLimit, calendar: calendar)
    }

    private func apply(_ name: String, _ event: CloudEvent, day: CivilDate, calendar: WorkingDayCalendar, to row: inout Row) {
        row.lastSequence = event.sequence ?? row.lastSequence
        switch name {
        case "CaseAccepted":
            row.status = "accepted"
            row.clock = CaseClock(acceptedOn: day, promisedLimit: WorkingDays(Int(event.data["promisedLimit"]?.integerValue ?? 0)))
        case "CaseRefused":
            row.status = "refused"
        case "SupplementRequested":
            row.status = "supplementing"
            row.clock?.pause(on: day)
        case "SupplementReceived":
            row.status = "accepted"
            row.clock?.resume(on: day)
        case "CaseDecided":
            row.status = "decided"
        case "CaseConcluded":
            row.status = "concluded"
            row.concludedOn = day
            if let clock = row.clock {
                let used = clock.workingDaysUsed(through: day, calendar: calendar)
                row.used = used
                row.outcome = CaseOutcome.classify(used: used, limit: clock.promisedLimit, acceptedOn: clock.acceptedOn, concludedOn: day)
            }
        default:
            break
        }
    }

    /// Red cards for running cases whose deadline their region's watermark has passed. A region's
    /// watermark is the minimum, over the partitions carrying its events, of the latest business time seen,
    /// so a partition read ahead of the others cannot make a case on a slower one look late.
    private func watermarkBreaches(excluding raised: Set<String>, on db: PostgresConnection) async throws -> [CloudEvent] {
        let marks = try await db.query(
            """
            SELECT region, to_char(min(event_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM supervision.watermarks WHERE consumer_group = $1 GROUP BY region ORDER BY region
            """, [Supervisor.consumerGroup])
        var alerts: [CloudEvent] = []
        for mark in marks {
            let region = try mark.decode(String.self, at: 0)
            guard let calendar = calendars.calendar(for: region),
                  let watermark = try? RFC3339Timestamp(parsing: try mark.decode(String.self, at: 1)) else { continue }
            let today = calendar.civilDate(of: watermark)
            let rows = try await db.query(
                """
                SELECT subject FROM supervision.case_clocks
                WHERE region = $1 AND concluded_on IS NULL AND red_alert_id IS NULL AND status IN ('accepted', 'decided') AND deadline < $2::date
                ORDER BY subject
                """, [region, today.description])
            let subjects = try rows.map { try $0.decode(String.self, at: 0) }
            let loaded = try await load(Set(subjects), on: db)
            for subject in subjects {
                guard let row = loaded[subject], let alert = breach(row, on: today, calendar: calendar), !raised.contains(alert.id) else { continue }
                alerts.append(alert)
            }
        }
        return alerts
    }

    private func load(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: Row] {
        guard !subjects.isEmpty else { return [:] }
        let result = try await db.query(
            """
            SELECT subject, region, department_code, item_code, status, clock::text, concluded_on::text, working_days_used, outcome,
                   red_alert_id, last_sequence
            FROM supervision.case_clocks WHERE subject = ANY($1)
            """, [Array(subjects)])
        var rows: [String: Row] = [:]
        for r in result {
            let clock = try r.decode(String?.self, at: 5).map { try JSONDecoder().decode(CaseClock.self, from: Data($0.utf8)) }
            let row = Row(
                subject: try r.decode(String.self, at: 0), region: try r.decode(String.self, at: 1),
                departmentCode: try r.decode(String.self, at: 2), itemCode: try r.decode(String.self, at: 3),
                status: try r.decode(String.self, at: 4), clock: clock,
                concludedOn: try r.decode(String?.self, at: 6).flatMap { CivilDate($0) },
                used: try r.decode(Int?.self, at: 7).map { WorkingDays($0) },
                outcome: try r.decode(String?.self, at: 8).flatMap { CaseOutcome(rawValue: $0) },
                redAlertID: try r.decode(String?.self, at: 9), lastSequence: try r.decode(Int64.self, at: 10))
            rows[row.subject] = row
        }
        return rows
    }

    private func save(_ row: Row, on db: PostgresConnection) async throws {
        let calendar = calendars.calendar(for: row.region)
        let clockJSON = try row.clock.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let deadline = calendar.flatMap { c in row.clock.flatMap { $0.deadline(calendar: c)?.description } }
        try await db.execute(
            """
            INSERT INTO supervision.case_clocks (subject, region, department_code, item_code, status, accepted_on, promised_limit, clock,
                                                 deadline, concluded_on, working_days_used, outcome, red_alert_id, last_sequence)
            VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8::jsonb, $9::date, $10::date, $11, $12, $13, $14)
            ON CONFLICT (subject) DO UPDATE SET status = EXCLUDED.status, accepted_on = EXCLUDED.accepted_on,
                promised_limit = EXCLUDED.promised_limit, clock = EXCLUDED.clock, deadline = EXCLUDED.deadline,
                concluded_on = EXCLUDED.concluded_on, working_days_used = EXCLUDED.working_days_used, outcome = EXCLUDED.outcome,
                red_alert_id = EXCLUDED.red_alert_id, last_sequence = EXCLUDED.last_sequence
            """,
            [row.subject, row.region, row.departmentCode, row.itemCode, row.status, row.clock?.acceptedOn.description,
             row.clock.map { Int64($0.promisedLimit.count) }, clockJSON, deadline, row.concludedOn?.description,
             row.used.map { Int64($0.count) }, row.outcome?.rawValue, row.redAlertID, row.lastSequence])
    }
}
