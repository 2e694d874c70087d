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

    /// SQL for the first day of the period `field` (`month`, `quarter`, `year` or `all`) holding the date column
    /// `column`, as ``trunc(_:)`` gives it with `$4` = `field`: the period is written into the statement (the statement
    /// is built per period anyway), so no row parses it; `date_trunc` takes the date as a `timestamp` (``trunc(_:)``
    /// takes it as a `timestamptz`, midnight in the session's time zone, which truncates to the same day); a column of
    /// first days of months (`monthStarts`) is its own month.
    static func bucket(_ column: String, field: String, monthStarts: Bool) -> String {
        switch field {
        case "all": "DATE '0001-01-01'"
        case "month" where monthStarts: column
        case "month", "quarter", "year": "date_trunc('\(field)', (\(column))::timestamp)::date"
        default: trunc(column)
        }
    }

    /// SQL for the first day after the period (`$4`) holding `$3`: a date is in that period or an earlier one when it is
    /// before this day; `infinity` when `$3` is null or the period is `all`.
    static let periodEnd = """
        (CASE WHEN $4 = 'all' OR $3::date IS NULL THEN 'infinity'::date
              ELSE (date_trunc($4, $3::date::timestamp)
                    + CASE $4 WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END)::date END)
        """

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
    ///
    /// The figures come from the monthly counts the projector keeps (migration 0024, ``CaseMonthCounts``): every
    /// figure counts in a month (of acceptance, refusal, conclusion or card deadline), so a quarter, a year or the whole
    /// range is a sum of months, and the `from`/`to` filter selects whole months. Sums and counts add up; the mean
    /// working days is a sum over a count; the median and the 90th percentile are read from the distribution of working
    /// days used (`approval.monthly_working_days`) the way `percentile_cont` interpolates; the limit compression is the
    /// mean over the distribution of limits (`approval.monthly_limits`) with the same numeric arithmetic as `avg`. Only
    /// `overdueOpen` — open cases with a red card, which change with the supervisor's clocks, not with the case rows — is
    /// counted here from the open cases (partial indexes `cases_open` and `case_clocks_red`). A case refused before
    /// acceptance has no case type of its own: it counts under its item's (`caseType` grouping, joined here so that a
    /// revised item moves it at once).
    static func casesSQL(keys: [(column: String, name: String)], period: (field: String, format: String)) -> String {
        let cols = keys.map(\.column).joined(separator: ", ")
        let named = keys.map { "\($0.column) AS \"\($0.name)\"" }.joined(separator: ", ")
        let order = keys.map { "t.\"\($0.name)\"" }.joined(separator: ", ")
        let byType = keys.contains { $0.column == "effective_case_type" }
        /// The group keys of the rows of `alias` (a table with region, department_code, item_code and case_type).
        func keyed(_ alias: String) -> String {
            keys.map { key in
                key.column == "effective_case_type" ? "coalesce(nullif(\(alias).case_type, ''), i.case_type) AS effective_case_type"
                    : "\(alias).\(key.column)"
            }.joined(separator: ", ")
        }
        /// `FROM table alias`, with the item when the case type is a key.
        func from(_ table: String, _ alias: String) -> String {
            "FROM \(table) \(alias)" + (byType ? " LEFT JOIN catalog.items i ON i.region = \(alias).region AND i.item_code = \(alias).item_code" : "")
        }
        /// The region and period filter on the date column `column` of `alias`: its period from the period of `$2`
        /// through that of `$3`, written as a range of the column itself (a date is in a period from P on when it is on
        /// or after P's first day, and in a period up to Q when it is before the first day after Q), so that no row's
        /// period is computed before it is selected.
        func filtered(_ alias: String, _ column: String) -> String {
            """
            ($1::text IS NULL OR \(alias).region = $1) AND \(alias).\(column) >= \(trunc("coalesce($2::date, '-infinity'::date)"))
                AND \(alias).\(column) < \(Self.periodEnd)
            """
        }
        let zeros = Array(repeating: "0", count: 18).joined(separator: ", ")  // accepted … red_cards
        /// `GROUP BY` the keys and the period (and `extra` more), by position: a key's name alone may be ambiguous.
        let grouped = { (extra: Int) in "GROUP BY " + (1...(keys.count + 1 + extra)).map(String.init).joined(separator: ", ") }
        return """
            WITH counts AS (
              SELECT \(keyed("m")), \(Self.bucket("m.month", field: period.field, monthStarts: true)) AS period, m.accepted, m.refused, m.concluded, m.concluded_on_time, m.concluded_early,
                     m.overdue_concluded, m.working_days_cases, m.working_days_sum::bigint AS working_days_sum, m.urged, m.urges_met,
                     m.urges_missed, m.rated, m.satisfied, m.bad_ratings, m.bad_ratings_rectified, m.bad_ratings_rectified_in_time,
                     m.yellow_cards, m.red_cards
              \(from("approval.monthly_counts", "m"))
              WHERE \(filtered("m", "month"))
            ), overdue_open AS (
              -- Open accepted cases with a red card on the supervisor's clock, by month of acceptance.
              SELECT \(keyed("c")), \(Self.bucket("c.accepted_on", field: period.field, monthStarts: false)) AS period, count(*) AS cases
              \(from("approval.cases", "c")) JOIN supervision.case_clocks k ON k.subject = c.subject AND k.red_alert_id IS NOT NULL
              WHERE c.concluded_on IS NULL AND c.accepted_on IS NOT NULL AND c.status NOT IN ('withdrawn', 'refused')
                AND \(filtered("c", "accepted_on"))
              \(grouped(0))
            ), days AS (
              SELECT \(keyed("d")), \(Self.bucket("d.month", field: period.field, monthStarts: true)) AS period, d.working_days_used AS used, sum(d.cases)::bigint AS cases
              \(from("approval.monthly_working_days", "d"))
              WHERE \(filtered("d", "month"))
              \(grouped(1))
            ), ranked AS (
              SELECT \(cols), period, used, sum(cases) OVER (PARTITION BY \(cols), period ORDER BY used)::bigint AS up_to,
                     sum(cases) OVER (PARTITION BY \(cols), period)::bigint AS total
              FROM days
            ), positions AS (
              -- percentile_cont(f): rows numbered 0 … n − 1 by working days, position f × (n − 1); the value of row k is the
              -- smallest working days whose running count exceeds k.
              SELECT \(cols), period, 0.5::float8 * (max(total) - 1)::float8 AS p50, 0.9::float8 * (max(total) - 1)::float8 AS p90,
                     min(used) FILTER (WHERE up_to > floor(0.5::float8 * (total - 1)::float8))::float8 AS lo50,
                     min(used) FILTER (WHERE up_to > ceil(0.5::float8 * (total - 1)::float8))::float8 AS hi50,
                     min(used) FILTER (WHERE up_to > floor(0.9::float8 * (total - 1)::float8))::float8 AS lo90,
                     min(used) FILTER (WHERE up_to > ceil(0.9::float8 * (total - 1)::float8))::float8 AS hi90
              FROM ranked GROUP BY \(cols), period
            ), compression AS (
              SELECT \(keyed("l")), \(Self.bucket("l.month", field: period.field, monthStarts: true)) AS period,
                     round(sum(l.cases * ((l.statutory_limit - l.promised_limit)::numeric / l.statutory_limit)) / sum(l.cases), 4) AS mean
              \(from("approval.monthly_limits", "l"))
              WHERE \(filtered("l", "month"))
              \(grouped(0))
            ), facts AS (
              SELECT \(cols), period, accepted, refused, concluded, concluded_on_time, concluded_early, overdue_concluded,
                     working_days_cases, working_days_sum, urged, urges_met, urges_missed, rated, satisfied, bad_ratings,
                     bad_ratings_rectified, bad_ratings_rectified_in_time, yellow_cards, red_cards, 0 AS overdue_open,
                     NULL::float8 AS median, NULL::float8 AS p90, NULL::numeric AS compression
              FROM counts
              UNION ALL
              SELECT \(cols), period, \(zeros), cases, NULL, NULL, NULL FROM overdue_open
              UNION ALL
              SELECT \(cols), period, \(zeros), 0,
                     CASE WHEN floor(p50) = ceil(p50) THEN lo50 ELSE lo50 + ((p50 - floor(p50)) * (hi50 - lo50)) END,
                     CASE WHEN floor(p90) = ceil(p90) THEN lo90 ELSE lo90 + ((p90 - floor(p90)) * (hi90 - lo90)) END, NULL
              FROM positions
              UNION ALL
              SELECT \(cols), period, \(zeros), 0, NULL, NULL, mean FROM compression
            )
            SELECT coalesce(json_agg(t ORDER BY \(order), t.period), '[]')::text FROM (
              SELECT \(named), to_char(period, '\(period.format)') AS period,
                     sum(accepted)::int AS accepted, sum(refused)::int AS refused, sum(concluded)::int AS concluded,
                     sum(concluded_on_time)::int AS "concludedOnTime", sum(concluded_early)::int AS "concludedEarly",
                     sum(overdue_concluded)::int AS "overdueConcluded",
                     round(sum(concluded_on_time)::numeric / nullif(sum(concluded), 0), 4) AS "onTimeRate",
                     round(sum(concluded_early)::numeric / nullif(sum(concluded), 0), 4) AS "earlyRate",
                     round(sum(working_days_sum)::numeric / nullif(sum(working_days_cases), 0), 2) AS "meanWorkingDays",
                     max(median) AS "medianWorkingDays", max(p90) AS "p90WorkingDays",
                     sum(overdue_open)::int AS "overdueOpen", max(compression) AS "limitCompression", sum(urged)::int AS urged,
                     sum(urges_met)::int AS "urgesMet", sum(urges_missed)::int AS "urgesMissed",
                     (sum(urged) - sum(urges_met) - sum(urges_missed))::int AS "urgesPending",
                     sum(rated)::int AS rated, sum(satisfied)::int AS satisfied,
                     round(sum(satisfied)::numeric / nullif(sum(rated), 0), 4) AS "satisfactionRate",
                     sum(bad_ratings)::int AS "badRatings", sum(bad_ratings_rectified)::int AS "badRatingsRectified",
                     sum(bad_ratings_rectified_in_time)::int AS "badRatingsRectifiedInTime",
                     sum(yellow_cards)::int AS "yellowCards", sum(red_cards)::int AS "redCards"
              FROM facts
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
