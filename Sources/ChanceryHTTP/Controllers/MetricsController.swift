import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Efficiency metrics (效能指标) for supervisors, from the read models (analyst, auditor or admin token).
///
/// - `GET /v1/metrics/cases?groupBy=region|department|item|caseType&period=month|quarter|year&from=YYYY-MM&to=YYYY-MM&region=`
///   — one row per group and period: `accepted` (by acceptance date), `refused` (refused at intake, by refusal
///   date), `concluded`, `concludedOnTime`, `concludedEarly`, `overdueConcluded`, `onTimeRate`, `earlyRate`,
///   `meanWorkingDays`, `medianWorkingDays`, `p90WorkingDays` (by conclusion date), `overdueOpen` (cases accepted
///   in the period, still open, with a red card), `limitCompression` (mean of (statutory − promised) ÷ statutory
///   over the cases accepted in the period whose limits are both in working days), `urged` (cases accepted in the
///   period that were urged) and the outcome of each one's latest urge (督办): `urgesMet`, `urgesMissed`,
///   `urgesPending` (see "Urge outcomes" below), the ratings of the cases concluded in the period (`rated`,
///   `satisfactionRate` = levels 1–3 ÷ rated, `badRatings`, `badRatingsRectified`, `badRatingsRectifiedInTime` within
///   the configured rectification limit), and `yellowCards` / `redCards` by the period of
///   the deadline they concern. Dates are in the region's time zone; rates are fractions rounded to 4 decimals;
///   working days (工作日) exclude supplement pauses.
/// - `GET /v1/metrics/interactions?region=&period=&from=&to=` — per region, period (of receipt) and kind (`letter`,
///   `consultation`, `complaint`, `disclosure-request`): received, answered, answered in time and its rate,
///   letters transferred, escalated, extended, returned and urged (each at least once) with the outcome of each urged
///   letter's latest urge (`urgesMet`, `urgesMissed`, `urgesPending`; 0 for the other kinds), how many got a yellow
///   card (`yellowCards`) and a red card (`redCards`, the reply deadline passed unanswered), disclosure replies by
///   outcome.
/// - `GET /v1/metrics/ranking?region=&quarter=YYYY-Qn` — departments ranked by the efficiency index of the
///   quarter with their grade (``EfficiencyFormula``; the server's configured formula is in the answer).
///
/// Urge outcomes (督办结果), per urged case or letter, of its latest urge (rule: ``Urge``, UrgeRule.swift):
/// - met (`urgesMet`): the read model's `urge_met` — the department acted on a day from the urge day through the
///   urge's deadline, both included (a case: StepCompleted, CaseDecided or CaseConcluded; a letter: LetterTransferred,
///   LetterEscalated, LetterExtensionGranted or LetterReplied). The deadline is the event's `deadline`, else
///   ``SupervisionPolicy/urgeLimit`` working days (5 by default) after the urge day on the region's calendar.
/// - missed (`urgesMissed`): not met, and the supervisor escalated it — an IrregularityFlagged alert
///   `irregularity/urge-missed/<subject>` in `supervision.alerts` (raised the day after the deadline), raised at or
///   after the latest urge.
/// - pending (`urgesPending`) = urged − met − missed: the deadline has not passed yet, or the supervisor has not
///   escalated the urge (it escalates only urges of cases still running; an earlier urge of the same subject already
///   took the alert's id).
public struct MetricsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    let formula: EfficiencyFormula

    public init(database: PostgresClient, formula: EfficiencyFormula = EfficiencyFormula()) {
        self.database = database
        self.formula = formula
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("metrics/cases", use: cases)
        group.get("metrics/ranking", use: ranking)
        group.get("metrics/interactions", use: interactions)
    }

    @Sendable func interactions(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let periodName = q["period"].map(String.init) ?? "month"
        guard let period = Self.periods[periodName] else { throw Self.invalid("period must be one of month, quarter, year, all") }
        let from = try Self.month(q["from"].map(String.init), "from"), to = try Self.month(q["to"].map(String.init), "to")
        let outcomes = EventCatalog.disclosureOutcomes.map { "'\($0)', count(*) FILTER (WHERE outcome = '\($0)')" }.joined(separator: ", ")
        let sql = """
            WITH cards AS (
              SELECT case_subject, bool_or(alert_type = 'DeadlineWarningRaised')::int AS yellow, bool_or(alert_type = 'DeadlineBreached')::int AS red
              FROM supervision.alerts WHERE case_subject NOT LIKE 'case/%' GROUP BY case_subject
            ), facts AS (
              SELECT region, received_on, 'letter' AS kind, (replied_at IS NOT NULL)::int AS answered, coalesce(replied_in_time, false)::int AS in_time,
                     (transfers > 0)::int AS transferred, (escalations > 0)::int AS escalated, (extension_limit IS NOT NULL)::int AS extended,
                     (returns > 0)::int AS returned, (urges > 0)::int AS urged, (urges > 0 AND urge_met IS TRUE)::int AS urges_met,
                     (urges > 0 AND urge_met IS NOT TRUE AND \(Self.urgeEscalated("l")))::int AS urges_missed, NULL::text AS outcome,
                     coalesce(k.yellow, 0) AS yellow, coalesce(k.red, 0) AS red
              FROM interaction.letters l \(Self.urgeAlerts("l")) LEFT JOIN cards k ON k.case_subject = l.subject
              UNION ALL
              SELECT region, received_on, 'consultation', (answered_at IS NOT NULL)::int, coalesce(replied_in_time, false)::int, 0, 0, 0, 0, 0, 0, 0, NULL,
                     coalesce(k.yellow, 0), coalesce(k.red, 0)
              FROM interaction.consultations c LEFT JOIN cards k ON k.case_subject = c.subject
              UNION ALL
              SELECT region, received_on, 'complaint', (answered_at IS NOT NULL)::int, coalesce(replied_in_time, false)::int, 0, 0, 0, 0, 0, 0, 0, NULL,
                     coalesce(k.yellow, 0), coalesce(k.red, 0)
              FROM interaction.complaints c LEFT JOIN cards k ON k.case_subject = c.subject
              UNION ALL
              SELECT region, received_on, 'disclosure-request', (answered_at IS NOT NULL)::int, coalesce(answered_in_time, false)::int, 0, 0,
                     (extended_at IS NOT NULL)::int, 0, 0, 0, 0, outcome, coalesce(k.yellow, 0), coalesce(k.red, 0)
              FROM disclosure.requests r LEFT JOIN cards k ON k.case_subject = r.subject
            )
            SELECT coalesce(json_agg(t ORDER BY t.region, t.period, t.kind), '[]')::text FROM (
              SELECT region, to_char(\(Self.trunc("received_on")), '\(period.format)') AS period, kind, count(*) AS received,
                     sum(answered)::int AS answered, sum(in_time)::int AS "answeredInTime",
                     round(sum(in_time)::numeric / nullif(sum(answered), 0), 4) AS "inTimeRate",
                     sum(transferred)::int AS transferred, sum(escalated)::int AS escalated, sum(extended)::int AS extended,
                     sum(returned)::int AS returned, sum(urged)::int AS urged, sum(urges_met)::int AS "urgesMet",
                     sum(urges_missed)::int AS "urgesMissed", (sum(urged) - sum(urges_met) - sum(urges_missed))::int AS "urgesPending",
                     sum(yellow)::int AS "yellowCards", sum(red)::int AS "redCards",
                     CASE WHEN kind = 'disclosure-request' THEN json_build_object(\(outcomes)) END AS "byOutcome"
              FROM facts
              WHERE received_on IS NOT NULL AND ($1::text IS NULL OR region = $1)
                AND \(Self.trunc("received_on")) >= \(Self.trunc("coalesce($2::date, '-infinity'::date)"))
                AND \(Self.trunc("received_on")) <= \(Self.trunc("coalesce($3::date, 'infinity'::date)"))
              GROUP BY region, \(Self.trunc("received_on")), kind
            ) t
            """
        let rows = try await database.query(sql, [try ReadController.region(q["region"]), from, to, period.field])
        let text = try rows.first?.decode(String.self, at: 0) ?? "[]"
        return ReadController.raw(#"{"period":"\#(periodName)","rows":\#(text)}"#)
    }

    /// Group keys: their SQL columns and JSON names.
    static let groupings: [String: [(column: String, name: String)]] = [
        "region": [("region", "region")],
        "department": [("region", "region"), ("department_code", "departmentCode")],
        "item": [("region", "region"), ("department_code", "departmentCode"), ("item_code", "itemCode")],
        "caseType": [("region", "region"), ("effective_case_type", "caseType")],
    ]
    /// `date_trunc` field and `to_char` pattern of each period.
    static let periods: [String: (field: String, format: String)] = [
        "month": ("month", "YYYY-MM"), "quarter": ("quarter", #"YYYY-"Q"Q"#), "year": ("year", "YYYY"), "all": ("all", #""all""#),
    ]

    /// SQL for the first day of the period (`$4`) holding `column`; one period, 0001-01-01, for `all`.
    static func trunc(_ column: String) -> String {
        "(CASE WHEN $4 = 'all' THEN DATE '0001-01-01' ELSE date_trunc($4, \(column))::date END)"
    }

    @Sendable func cases(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let groupBy = q["groupBy"].map(String.init) ?? "department"
        guard let keys = Self.groupings[groupBy] else {
            throw Self.invalid("groupBy must be one of region, department, item, caseType")
        }
        let periodName = q["period"].map(String.init) ?? "month"
        guard let period = Self.periods[periodName] else { throw Self.invalid("period must be one of month, quarter, year, all") }
        let from = try Self.month(q["from"].map(String.init), "from"), to = try Self.month(q["to"].map(String.init), "to")
        let rows = try await database.query(Self.casesSQL(keys: keys, period: period),
                                            [try ReadController.region(q["region"]), from, to, period.field])
        let text = try rows.first?.decode(String.self, at: 0) ?? "[]"
        return ReadController.raw(#"{"groupBy":"\#(groupBy)","period":"\#(periodName)","rows":\#(text)}"#)
    }

    @Sendable func ranking(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        guard let quarter = q["quarter"].map(String.init), let start = Self.quarterStart(quarter) else {
            throw Self.invalid("quarter must be YYYY-Qn, e.g. 2025-Q3")
        }
        let sql = Self.casesSQL(keys: Self.groupings["department"]!, period: Self.periods["quarter"]!)
        let rows = try await database.query(sql, [try ReadController.region(q["region"]), start, start, "quarter"])
        let text = try rows.first?.decode(String.self, at: 0) ?? "[]"
        let facts = try JSONDecoder().decode([Row].self, from: Data(text.utf8))
        let ranked = formula.rank(facts.map(\.performance))
        struct Answer: Encodable {
            var quarter: String
            var formula: EfficiencyFormula
            var departments: [RankedDepartment]
        }
        return try JSONResponse.make(Answer(quarter: quarter, formula: formula, departments: ranked))
    }

    /// The counts of one department and quarter, as `casesSQL` returns them.
    struct Row: Decodable {
        var region: String
        var departmentCode: String
        var accepted, concluded, concludedOnTime, concludedEarly, rated, satisfied, badRatings, badRatingsRectifiedInTime, yellowCards, redCards: Int
        var performance: DepartmentPerformance {
            DepartmentPerformance(region: region, departmentCode: departmentCode, accepted: accepted, concluded: concluded,
                                  concludedOnTime: concludedOnTime, concludedEarly: concludedEarly, rated: rated, satisfied: satisfied,
                                  badRatings: badRatings, badRatingsRectifiedInTime: badRatingsRectifiedInTime, yellowCards: yellowCards, redCards: redCards)
        }
    }

    /// One JSON array of rows; parameters `$1` region (or null), `$2`/`$3` first days of the first and last
    /// month (or null), `$4` the `date_trunc` field.
    static func casesSQL(keys: [(column: String, name: String)], period: (field: String, format: String)) -> String {
        let cols = keys.map(\.column).joined(separator: ", ")
        let named = keys.map { "\($0.column) AS \"\($0.name)\"" }.joined(separator: ", ")
        let order = keys.map { "t.\"\($0.name)\"" }.joined(separator: ", ")
        return """
            WITH c AS (
              -- A case refused before acceptance has no case type of its own: it counts under its item's.
              SELECT c.*, k.red_alert_id, coalesce(c.case_type, i.case_type) AS effective_case_type,
                     \(urgeEscalated("c")) AS urge_escalated
              FROM approval.cases c LEFT JOIN supervision.case_clocks k USING (subject) \(urgeAlerts("c"))
                   LEFT JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
              WHERE ($1::text IS NULL OR c.region = $1)
            ), facts AS (
              SELECT \(cols), \(trunc("accepted_on")) AS period, 1 AS accepted, 0 AS refused, 0 AS concluded, 0 AS on_time, 0 AS early,
                     0 AS overdue_concluded, (concluded_on IS NULL AND status NOT IN ('withdrawn', 'refused') AND red_alert_id IS NOT NULL)::int AS overdue_open,
                     NULL::int AS used,
                     CASE WHEN statutory_limit > 0 AND promised_limit_unit IS DISTINCT FROM 'calendar-days'
                          THEN (statutory_limit - promised_limit)::numeric / statutory_limit END AS compression,
                     (urges > 0)::int AS urged, (urges > 0 AND urge_met IS TRUE)::int AS urges_met,
                     (urges > 0 AND urge_met IS NOT TRUE AND urge_escalated)::int AS urges_missed,
                     0 AS rated, 0 AS satisfied, 0 AS bad, 0 AS rectified, 0 AS rectified_in_time, 0 AS yellow, 0 AS red
              FROM c WHERE accepted_on IS NOT NULL
              UNION ALL
              SELECT \(cols), \(trunc("refused_on")), 0, 1, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
              FROM c WHERE refused_on IS NOT NULL
              UNION ALL
              SELECT \(cols), \(trunc("concluded_on")), 0, 0, 1, (outcome IN ('early', 'on-time'))::int, (outcome = 'early')::int,
                     (outcome = 'overdue')::int, 0, working_days_used, NULL, 0, 0, 0, (satisfaction_code IS NOT NULL)::int,
                     coalesce(satisfaction_code <= 3, false)::int, coalesce(satisfaction_code >= 4, false)::int,
                     coalesce(satisfaction_code >= 4 AND rectified_at IS NOT NULL, false)::int,
                     coalesce(satisfaction_code >= 4 AND rectified_in_time, false)::int, 0, 0
              FROM c WHERE concluded_on IS NOT NULL
              UNION ALL
              SELECT \(keys.map { "c.\($0.column)" }.joined(separator: ", ")), \(trunc("a.deadline")), 0, 0, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0,
                     (a.card = 'yellow')::int, (a.card = 'red')::int
              FROM supervision.alerts a JOIN c ON c.subject = a.case_subject WHERE a.deadline IS NOT NULL
            )
            SELECT coalesce(json_agg(t ORDER BY \(order), t.period), '[]')::text FROM (
              SELECT \(named), to_char(period, '\(period.format)') AS period,
                     sum(accepted)::int AS accepted, sum(refused)::int AS refused, sum(concluded)::int AS concluded,
                     sum(on_time)::int AS "concludedOnTime", sum(early)::int AS "concludedEarly", sum(overdue_concluded)::int AS "overdueConcluded",
                     round(sum(on_time)::numeric / nullif(sum(concluded), 0), 4) AS "onTimeRate",
                     round(sum(early)::numeric / nullif(sum(concluded), 0), 4) AS "earlyRate",
                     round(avg(used), 2) AS "meanWorkingDays",
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY used) AS "medianWorkingDays",
                     percentile_cont(0.9) WITHIN GROUP (ORDER BY used) AS "p90WorkingDays",
                     sum(overdue_open)::int AS "overdueOpen", round(avg(compression), 4) AS "limitCompression", sum(urged)::int AS urged,
                     sum(urges_met)::int AS "urgesMet", sum(urges_missed)::int AS "urgesMissed",
                     (sum(urged) - sum(urges_met) - sum(urges_missed))::int AS "urgesPending",
                     sum(rated)::int AS rated, sum(satisfied)::int AS satisfied,
                     round(sum(satisfied)::numeric / nullif(sum(rated), 0), 4) AS "satisfactionRate",
                     sum(bad)::int AS "badRatings", sum(rectified)::int AS "badRatingsRectified",
                     sum(rectified_in_time)::int AS "badRatingsRectifiedInTime",
                     sum(yellow)::int AS "yellowCards", sum(red)::int AS "redCards"
              FROM facts
              WHERE period >= \(trunc("coalesce($2::date, '-infinity'::date)")) AND period <= \(trunc("coalesce($3::date, 'infinity'::date)"))
              GROUP BY \(cols), period
            ) t
            """
    }

    /// SQL joining to the row `alias` of `approval.cases` or `interaction.letters` its urge-missed alert as `um` (id,
    /// raised_at): the IrregularityFlagged alert `irregularity/urge-missed/<subject>` the supervisor raises the day after an
    /// urge's deadline when nothing met it (UrgeRule.swift); one id per subject, so at most one row.
    static func urgeAlerts(_ alias: String) -> String {
        """
        LEFT JOIN (SELECT id, max(raised_at) AS raised_at FROM supervision.alerts
                   WHERE alert_type = 'IrregularityFlagged' AND id LIKE 'irregularity/urge-missed/%' GROUP BY id) um
               ON um.id = 'irregularity/urge-missed/' || \(alias).subject
        """
    }

    /// SQL: whether the supervisor escalated the latest urge of the row `alias` (joined by ``urgeAlerts(_:)``): its
    /// urge-missed alert was raised at or after that urge. An alert raised before it concerns an earlier urge of the same
    /// subject — except when the urge's own deadline is before its day (escalated at once, dated the day after that
    /// deadline) or the row predates the urge columns (`urged_at` null, any alert counts).
    static func urgeEscalated(_ alias: String) -> String {
        "(um.id IS NOT NULL AND (\(alias).urged_at IS NULL OR um.raised_at >= \(alias).urged_at OR \(alias).urge_deadline < \(alias).urged_on))"
    }

    static func invalid(_ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: detail)
    }

    /// The first day of month `value` (`YYYY-MM`) as `YYYY-MM-01`; nil for nil.
    /// - Throws: a 400 problem naming the parameter when `value` is not `YYYY-MM`.
    static func month(_ value: String?, _ name: String) throws -> String? {
        guard let v = value else { return nil }
        guard let first = ISO8601Month(v) else { throw invalid("\(name) must be YYYY-MM") }
        return first
    }

    /// The first day of quarter `YYYY-Qn` as `YYYY-MM-01`, or nil.
    static func quarterStart(_ text: String) -> String? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), let year = Int(parts[0]), year >= 1,  // PostgreSQL has no year 0
              parts[1].count == 2, parts[1].first == "Q", let n = Int(parts[1].dropFirst()), (1...4).contains(n) else { return nil }
        let month = (n - 1) * 3 + 1
        return "\(parts[0])-\(month < 10 ? "0" : "")\(month)-01"
    }
}
