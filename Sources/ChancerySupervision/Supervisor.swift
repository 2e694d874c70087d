import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections
import Foundation
import Logging

/// The supervision consumer (电子监察, DESIGN.md "supervisor"): keeps every case's clock in
/// `supervision.case_clocks` (working days or calendar days, supplements and special procedures excluded,
/// promised and statutory limits) and appends to `gov.supervision`:
///
/// - a yellow card (`DeadlineWarningRaised`) when a running case reaches the threshold of the
///   ``SupervisionPolicy`` (by default 80 % of its promised limit used or two days left);
/// - a red card (`DeadlineBreached`) when it passes its promised deadline unconcluded;
/// - `IrregularityFlagged` for a refusal or disapproval without a reason, a decision without the review
///   step, a second supplement request, and an urge (督办) not acted on by its deadline (it escalates);
/// - `AlertResolved` for its yellow and red cards when the case concludes, is refused or withdrawn.
///
/// Time advances by event time: a case's own later event, or the supervisor's watermark — per region, the
/// minimum over its partitions of the latest business time seen — passing a card's day. In live mode
/// (``tick(now:on:)``, driven by a timer) the wall clock moves time too, so a case that simply sits goes
/// yellow then red. Alerts have deterministic ids and contents (``SupervisionAlerts``, ``DeadlineAlerts``), so
/// both modes, a replay and a restart give the same alerts and the gateway appends each once.
public struct Supervisor: ReadModelHandler {
    /// The consumer group of the supervisor.
    public static let consumerGroup = "chancery-supervisor"

    private let calendars: RegionCalendars
    private let appender: any EventAppender
    private let policy: SupervisionPolicy
    private let logger: Logger

    /// - Parameter policy: card thresholds per item and case type.
    public init(calendars: RegionCalendars, appender: any EventAppender, policy: SupervisionPolicy = .standard, logger: Logger) {
        self.calendars = calendars
        self.appender = appender
        self.policy = policy
        self.logger = logger
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
                alerts += row.observe(event, name: name, day: day, calendar: calendar, policy: policy)
                rows[event.subject] = row
            } else if name == "CaseSubmitted" {
                rows[event.subject] = CaseWatch(
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
        alerts += try await dueCards(now: nil, excluding: Set(alerts.map(\.id)), on: db)
        try await raise(alerts, on: db)
    }

    /// Live mode: raises the cards due by the wall clock `now` (or by the region's watermark, if later) in every
    /// region with running cases. Safe beside the consumer: the same alert gets the same id from both.
    public func tick(now: Date, on db: PostgresConnection) async throws {
        let alerts = try await dueCards(now: now, excluding: [], on: db)
        try await raise(alerts, on: db)
    }

    /// Appends `alerts` (one refused alert must not hold back the others) and records them on their cases.
    private func raise(_ alerts: [CloudEvent], on db: PostgresConnection) async throws {
        guard !alerts.isEmpty else { return }
        do {
            _ = try await appender.append(alerts.map { SubmittedEvent(event: $0) })
        } catch AppendFailure.rejected {
            for alert in alerts {
                do { _ = try await appender.append([SubmittedEvent(event: alert)]) } catch AppendFailure.rejected(_, let why) {
                    logger.error("alert refused by the gateway", metadata: ["id": "\(alert.id)", "reason": "\(why)"])
                }
            }
        }
        for alert in alerts {
            guard let caseSubject = alert.data["caseSubject"]?.stringValue else { continue }
            let column = switch alert.type {
            case "gov.supervision.alert.deadline.warning.raised": "yellow_alert_id = $2"
            case "gov.supervision.alert.deadline.breached": "red_alert_id = $2"
            default: "irregularity_alert_ids = CASE WHEN $2 = ANY(irregularity_alert_ids) THEN irregularity_alert_ids ELSE irregularity_alert_ids || $2 END"
            }
            try await db.execute("UPDATE supervision.case_clocks SET \(column) WHERE subject = $1", [caseSubject, alert.id])
        }
        let counts = Dictionary(grouping: alerts, by: { EventCatalog.eventType($0.type)?.name ?? $0.type }).mapValues(\.count)
        logger.info("alerts appended", metadata: counts.mapValues { "\($0)" })
    }

    /// Cards due for running cases whose yellow day or deadline their region's time has passed. A region's
    /// time is its watermark — the minimum, over the partitions carrying its events, of the latest business
    /// time seen, so a partition read ahead of the others cannot make a case on a slower one look late — or,
    /// in live mode, `now` when later.
    private func dueCards(now: Date?, excluding raised: Set<String>, on db: PostgresConnection) async throws -> [CloudEvent] {
        let marks = try await db.query(
            """
            SELECT r.region, (SELECT to_char(min(event_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                              FROM supervision.watermarks w WHERE w.consumer_group = $1 AND w.region = r.region)
            FROM (SELECT DISTINCT region FROM supervision.case_clocks WHERE concluded_on IS NULL) r ORDER BY r.region
            """, [Supervisor.consumerGroup])
        var alerts: [CloudEvent] = []
        for mark in marks {
            let region = try mark.decode(String.self, at: 0)
            guard let calendar = calendars.calendar(for: region) else { continue }
            var today = try mark.decode(String?.self, at: 1).flatMap { try? RFC3339Timestamp(parsing: $0) }.map { calendar.civilDate(of: $0) }
            if let now {
                let wall = calendar.civilDate(of: RFC3339Timestamp(epochSeconds: Int64(now.timeIntervalSince1970.rounded(.down))))
                if today.map({ wall > $0 }) ?? true { today = wall }
            }
            guard let today else { continue }
            let rows = try await db.query(
                """
                SELECT subject FROM supervision.case_clocks
                WHERE region = $1 AND concluded_on IS NULL AND status = ANY($3)
                  AND ((red_alert_id IS NULL AND (deadline < $2::date OR (yellow_alert_id IS NULL AND yellow_on <= $2::date)))
                       OR (urge IS NOT NULL AND NOT urge_met AND (urge ->> 'deadline')::date < $2::date
                           AND NOT ('irregularity/urge-missed/' || subject) = ANY(irregularity_alert_ids)))
                ORDER BY subject
                """, [region, today.description, Array(CaseWatch.running).sorted()])
            let subjects = try rows.map { try $0.decode(String.self, at: 0) }
            let loaded = try await load(Set(subjects), on: db)
            for subject in subjects {
                guard let row = loaded[subject] else { continue }
                alerts += row.dueCards(on: today, calendar: calendar, policy: policy).filter { !raised.contains($0.id) }
            }
        }
        return alerts
    }

    private func load(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: CaseWatch] {
        guard !subjects.isEmpty else { return [:] }
        let result = try await db.query(
            """
            SELECT subject, region, department_code, item_code, status, clock::text, concluded_on::text, working_days_used, outcome,
                   red_alert_id, last_sequence, case_type, yellow_alert_id, irregularity_alert_ids, review_completed, supplements, resolved_on::text,
                   urge::text, urge_met, steps_reported
            FROM supervision.case_clocks WHERE subject = ANY($1)
            """, [Array(subjects)])
        var rows: [String: CaseWatch] = [:]
        for r in result {
            let clock = try r.decode(String?.self, at: 5).map { try JSONDecoder().decode(CaseClock.self, from: Data($0.utf8)) }
            let row = CaseWatch(
                subject: try r.decode(String.self, at: 0), region: try r.decode(String.self, at: 1),
                departmentCode: try r.decode(String.self, at: 2), itemCode: try r.decode(String.self, at: 3),
                caseType: try r.decode(String?.self, at: 11).flatMap(CaseType.init(rawValue:)),
                status: try r.decode(String.self, at: 4), clock: clock,
                concludedOn: try r.decode(String?.self, at: 6).flatMap { CivilDate($0) },
                used: try r.decode(Int?.self, at: 7),
                outcome: try r.decode(String?.self, at: 8).flatMap { CaseOutcome(rawValue: $0) },
                yellowAlertID: try r.decode(String?.self, at: 12), redAlertID: try r.decode(String?.self, at: 9),
                irregularityAlertIDs: try r.decode([String].self, at: 13), reviewCompleted: try r.decode(Bool.self, at: 14),
                stepsReported: try r.decode(Bool.self, at: 19), supplements: try r.decode(Int.self, at: 15),
                urge: try r.decode(String?.self, at: 17).map { try JSONDecoder().decode(Urge.self, from: Data($0.utf8)) },
                urgeMet: try r.decode(Bool.self, at: 18),
                resolvedOn: try r.decode(String?.self, at: 16).flatMap { CivilDate($0) },
                lastSequence: try r.decode(Int64.self, at: 10))
            rows[row.subject] = row
        }
        return rows
    }

    private func save(_ row: CaseWatch, on db: PostgresConnection) async throws {
        let calendar = calendars.calendar(for: row.region)
        let clockJSON = try row.clock.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let deadline = calendar.flatMap { c in row.clock.flatMap { $0.deadline(.promised, calendar: c)?.description } }
        let statutory = calendar.flatMap { c in row.clock.flatMap { $0.deadline(.statutory, calendar: c)?.description } }
        let yellowOn = calendar.flatMap { c in
            row.clock.flatMap { DeadlineCards.yellowDate(for: $0, threshold: policy.yellowThreshold(itemCode: row.itemCode, caseType: row.caseType), calendar: c)?.description }
        }
        try await db.execute(
            """
            INSERT INTO supervision.case_clocks (subject, region, department_code, item_code, status, accepted_on, promised_limit, clock,
                                                 deadline, concluded_on, working_days_used, outcome, red_alert_id, last_sequence, case_type,
                                                 statutory_deadline, yellow_on, yellow_alert_id, irregularity_alert_ids, review_completed,
                                                 supplements, resolved_on, urge, urge_met, steps_reported)
            VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8::jsonb, $9::date, $10::date, $11, $12, $13, $14, $15, $16::date, $17::date, $18, $19,
                    $20, $21, $22::date, $23::jsonb, $24, $25)
            ON CONFLICT (subject) DO UPDATE SET status = EXCLUDED.status, accepted_on = EXCLUDED.accepted_on,
                promised_limit = EXCLUDED.promised_limit, clock = EXCLUDED.clock, deadline = EXCLUDED.deadline,
                concluded_on = EXCLUDED.concluded_on, working_days_used = EXCLUDED.working_days_used, outcome = EXCLUDED.outcome,
                red_alert_id = coalesce(supervision.case_clocks.red_alert_id, EXCLUDED.red_alert_id), last_sequence = EXCLUDED.last_sequence,
                case_type = EXCLUDED.case_type, statutory_deadline = EXCLUDED.statutory_deadline, yellow_on = EXCLUDED.yellow_on,
                yellow_alert_id = coalesce(supervision.case_clocks.yellow_alert_id, EXCLUDED.yellow_alert_id),
                irregularity_alert_ids = EXCLUDED.irregularity_alert_ids, review_completed = EXCLUDED.review_completed,
                supplements = EXCLUDED.supplements, resolved_on = EXCLUDED.resolved_on, urge = EXCLUDED.urge, urge_met = EXCLUDED.urge_met,
                steps_reported = EXCLUDED.steps_reported
            """,
            [row.subject, row.region, row.departmentCode, row.itemCode, row.status, row.clock?.acceptedOn.description,
             row.clock.map { Int64($0.promisedLimit.count) }, clockJSON, deadline, row.concludedOn?.description,
             row.used.map { Int64($0) }, row.outcome?.rawValue, row.redAlertID, row.lastSequence, row.caseType?.rawValue,
             statutory, yellowOn, row.yellowAlertID, row.irregularityAlertIDs, row.reviewCompleted, Int64(row.supplements),
             row.resolvedOn?.description, try row.urge.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }, row.urgeMet, row.stepsReported])
    }
}
