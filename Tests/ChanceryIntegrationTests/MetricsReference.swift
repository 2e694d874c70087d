/// The case metrics as `MetricsQueries` computed them before the monthly counts (migration 0024, commit 7a52624):
/// every case row aggregated on each request. Kept verbatim as the tests' reference — the monthly counts must give
/// exactly the same JSON text for every grouping, period, region and month range (`MonthlyCountsTests`).
enum MetricsReference {
    /// Group keys: their SQL columns and JSON names (as `/v1/metrics/cases?groupBy=` names them).
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

    /// The urge-missed alert of the row `alias` as `um`.
    static func urgeAlerts(_ alias: String) -> String {
        """
        LEFT JOIN (SELECT id, max(raised_at) AS raised_at FROM supervision.alerts
                   WHERE alert_type = 'IrregularityFlagged' AND id LIKE 'irregularity/urge-missed/%' GROUP BY id) um
               ON um.id = 'irregularity/urge-missed/' || \(alias).subject
        """
    }

    /// Whether the supervisor escalated the latest urge of the row `alias`.
    static func urgeEscalated(_ alias: String) -> String {
        "(um.id IS NOT NULL AND (\(alias).urged_at IS NULL OR um.raised_at >= \(alias).urged_at OR \(alias).urge_deadline < \(alias).urged_on))"
    }
}
