import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The read queries behind the efficiency metrics (`/v1/metrics/cases`, `/v1/metrics/interactions`,
/// `/v1/metrics/ranking`; ChanceryHTTP's `MetricsController` documents every figure), beside the read models they read
/// and shared by the JSON API, the dashboard and the monthly circular (ChanceryReports) so all show the same numbers. Each query answers PostgreSQL-built JSON text (`json_agg`) of the rows the API serves.
///
/// Months are given as the first day of the month, `YYYY-MM-01` (``monthStart(_:)``); a nil month leaves that end of
/// the range open. Errors are the database's (``PostgresError``).
public struct MetricsQueries: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    /// How `/v1/metrics/cases` groups its rows (the `groupBy` parameter).
    public enum Grouping: String, Sendable, CaseIterable {
        case region, department, item, caseType
    }

    /// The period of a row (the `period` parameter): calendar month, quarter, year or the whole range in one row.
    public enum Period: String, Sendable, CaseIterable {
        case month, quarter, year, all
    }

    /// The rows of `/v1/metrics/cases` as a JSON array (text), ordered by group keys then period.
    /// - Parameters:
    ///   - region: a division code, or nil for every region.
    ///   - from, to: first days (`YYYY-MM-01`) of the first and last month, both included; nil for open.
    public func cases(groupBy: Grouping, period: Period, region: String?, from: String?, to: String?) async throws -> String {
        let p = Self.periods[period.rawValue]!
        let rows = try await database.query(PostgresQuery(unsafeSQL: Self.casesSQL(keys: Self.groupings[groupBy.rawValue]!, period: p),
                                                                binds: [region, from, to, p.field]))
        return try rows.first?.decode(String.self, at: 0) ?? "[]"
    }

    /// The plan PostgreSQL runs for ``cases(groupBy:period:region:from:to:)`` with the same arguments, executed and
    /// measured (`EXPLAIN (ANALYZE, BUFFERS)`), as text, one plan line per line: for `make bench` (P5) and for an
    /// operator looking into a slow dashboard.
    public func explainCases(groupBy: Grouping, period: Period, region: String?, from: String?, to: String?) async throws -> String {
        let p = Self.periods[period.rawValue]!
        let rows = try await database.query(PostgresQuery(
            unsafeSQL: "EXPLAIN (ANALYZE, BUFFERS) " + Self.casesSQL(keys: Self.groupings[groupBy.rawValue]!, period: p),
            binds: [region, from, to, p.field]))
        return try rows.map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
    }

    /// The rows of `/v1/metrics/interactions` as a JSON array (text), ordered by region, period and kind.
    /// - Parameters: as ``cases(groupBy:period:region:from:to:)``, by the period of receipt.
    public func interactions(period: Period, region: String?, from: String?, to: String?) async throws -> String {
        let p = Self.periods[period.rawValue]!
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
              SELECT region, to_char(\(Self.trunc("received_on")), '\(p.format)') AS period, kind, count(*) AS received,
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
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: [region, from, to, p.field]))
        return try rows.first?.decode(String.self, at: 0) ?? "[]"
    }

    /// The departments of `region` (nil: all) ranked by `formula` on the counts of the quarter starting on
    /// `quarterStart` (`YYYY-MM-01`, see ``quarterStart(_:)``): what `/v1/metrics/ranking` answers.
    public func ranking(region: String?, quarterStart: String, formula: EfficiencyFormula) async throws -> [RankedDepartment] {
        let sql = Self.casesSQL(keys: Self.groupings["department"]!, period: Self.periods["quarter"]!)
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: [region, quarterStart, quarterStart, "quarter"]))
        let text = try rows.first?.decode(String.self, at: 0) ?? "[]"
        let facts = try JSONDecoder().decode([Row].self, from: Data(text.utf8))
        return formula.rank(facts.map(\.performance))
    }

    /// The first day of month `text` (`YYYY-MM`) as `YYYY-MM-01`, or nil when it is not `YYYY-MM`.
    public static func monthStart(_ text: String) -> String? { CalendarMonth(text)?.firstDay.description }

    /// The first day of quarter `YYYY-Qn` as `YYYY-MM-01`, or nil.
    public static func quarterStart(_ text: String) -> String? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), let year = Int(parts[0]), year >= 1,  // PostgreSQL has no year 0
              parts[1].count == 2, parts[1].first == "Q", let n = Int(parts[1].dropFirst()), (1...4).contains(n) else { return nil }
        let month = (n - 1) * 3 + 1
        return "\(parts[0])-\(month < 10 ? "0" : "")\(month)-01"
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
}
