import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The dashboard's own read queries, for what the metrics API does not serve: the regions and the default period,
/// department and item drill-downs, one case's clock and timeline, disclosure coverage, unused items and late replies,
/// and the alerts list. Each answers PostgreSQL-built JSON text (`json_agg`); dates are the read models' civil dates in
/// the region's time zone. Personal data is never selected.
struct DashboardQueries: Sendable {
    let database: PostgresClient

    private func json(_ sql: String, _ parameters: [(any PostgresEncodable)?]) async throws -> String {
        let rows = try await database.query(sql, parameters)
        return try rows.first?.decode(String.self, at: 0) ?? "[]"
    }

    /// Regions with catalogued items or cases, the busiest first: `[{"region", "cases", "lastMonth"}]` where
    /// `lastMonth` is the month (`YYYY-MM`) of the region's latest acceptance.
    func regions() async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            SELECT coalesce(json_agg(t ORDER BY t.cases DESC, t.region), '[]')::text FROM (
              SELECT r.region, coalesce(c.cases, 0) AS cases, c.last_month AS "lastMonth"
              FROM (SELECT region FROM catalog.items UNION SELECT region FROM approval.cases) r
              LEFT JOIN (SELECT region, count(*) AS cases, to_char(max(accepted_on), 'YYYY-MM') AS last_month
                         FROM approval.cases GROUP BY region) c USING (region)) t
            """, []))
    }

    /// Department names by code in `region` (from the item catalogue).
    func departmentNames(region: String?) async throws -> [String: String] {
        let rows = Rows.decode(try await json("""
            SELECT coalesce(json_agg(json_build_object('code', department_code, 'name', name)), '[]')::text FROM (
              SELECT department_code, min(department_name) AS name FROM catalog.items
              WHERE ($1::text IS NULL OR region = $1) GROUP BY department_code) t
            """, [region]))
        var out: [String: String] = [:]
        for row in rows { if let c = Rows.string(row, "code") { out[c] = Rows.string(row, "name") ?? c } }
        return out
    }

    /// The items of a department with their names: `[{"itemCode", "itemName", "retired"}]`.
    func items(region: String, department: String) async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            SELECT coalesce(json_agg(json_build_object('itemCode', item_code, 'itemName', item_name, 'retired', retired_at IS NOT NULL)
                                     ORDER BY item_code), '[]')::text
            FROM catalog.items WHERE region = $1 AND department_code = $2
            """, [region, department]))
    }

    /// Open cases (not concluded, delivered, refused or withdrawn) of a department, optionally of one item, overdue
    /// ones (a red card, or the deadline before `today`) first: at most 500.
    func openCases(region: String, department: String, item: String?) async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            SELECT coalesce(json_agg(t ORDER BY t.overdue DESC, t.deadline NULLS LAST, t.subject), '[]')::text FROM (
              SELECT c.subject, c.case_number AS "caseNumber", c.item_code AS "itemCode", c.status, c.accepted_on AS "acceptedOn",
                     c.deadline, c.working_days_used AS "workingDaysUsed", (k.red_alert_id IS NOT NULL) AS overdue
              FROM approval.cases c LEFT JOIN supervision.case_clocks k USING (subject)
              WHERE c.region = $1 AND c.department_code = $2 AND ($3::text IS NULL OR c.item_code = $3)
                AND c.status NOT IN ('concluded', 'delivered', 'refused', 'withdrawn')
              ORDER BY (k.red_alert_id IS NOT NULL) DESC, c.deadline NULLS LAST, c.subject LIMIT 500) t
            """, [region, department, item]))
    }

    /// The time zone of the row's `region` column, as SQL (``RegionCalendars/timeZoneSQL(regionColumn:)``).
    static let regionZone = RegionCalendars.shared.timeZoneSQL(regionColumn: "region")

    /// One case: `{"case": {…clock columns…}, "clock": CaseClock JSON, "events": […], "alerts": […]}`, or nil.
    func caseDetail(subject: String) async throws -> [String: Any]? {
        let text = try await json("""
            SELECT json_build_object(
              'case', (SELECT row_to_json(c) FROM (
                  SELECT c.subject, c.region, c.case_number AS "caseNumber", c.item_code AS "itemCode", c.department_code AS "departmentCode",
                         c.status, c.case_type AS "caseType", c.accepted_on AS "acceptedOn", c.concluded_on AS "concludedOn",
                         c.promised_limit AS "promisedLimit", c.promised_limit_unit AS "promisedLimitUnit", c.statutory_limit AS "statutoryLimit",
                         c.deadline, c.statutory_deadline AS "statutoryDeadline", c.working_days_used AS "workingDaysUsed", c.outcome,
                         c.urges, c.urged_on AS "urgedOn", c.urge_deadline AS "urgeDeadline", c.urge_met AS "urgeMet"
                  FROM approval.cases c WHERE c.subject = $1) c),
              'clock', (SELECT clock FROM approval.cases WHERE subject = $1),
              'events', (SELECT coalesce(json_agg(json_build_object('sequence', sequence, 'type', type, 'time', time_text) ORDER BY sequence), '[]')
                         FROM audit.events WHERE subject = $1),
              'alerts', (SELECT coalesce(json_agg(json_build_object('id', id, 'type', alert_type, 'card', card, 'deadline', deadline,
                                  'raisedAt', to_char(raised_at AT TIME ZONE \(Self.regionZone), 'YYYY-MM-DD HH24:MI'), 'irregularity', irregularity_kind,
                                  'resolvedAt', to_char(resolved_at AT TIME ZONE \(Self.regionZone), 'YYYY-MM-DD HH24:MI')) ORDER BY raised_at), '[]')
                         FROM supervision.alerts WHERE case_subject = $1))::text
            """, [subject])
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              object["case"] is [String: Any] else { return nil }
        return object
    }

    /// Published and directly reported documents per region and category (the view behind `/v1/disclosures`'
    /// `byCategory`): `[{"region", "category", "published", "reported"}]`.
    func disclosureByCategory() async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            SELECT coalesce(json_agg(json_build_object('region', region, 'category', category, 'published', published, 'reported', reported)
                                     ORDER BY region, category), '[]')::text FROM disclosure.catalog_by_category
            """, []))
    }

    /// Items in the catalogue (not retired) of `region` without any case submitted from `from` to the end of the month
    /// `to` (first days of months), by department: `[{"departmentCode", "itemCode", "itemName", "departmentHasCases"}]`.
    func unusedItems(region: String, from: String, to: String) async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            WITH used AS (
              SELECT DISTINCT item_code, department_code FROM approval.cases
              WHERE region = $1 AND (submitted_at AT TIME ZONE $4)::date >= $2::date
                AND (submitted_at AT TIME ZONE $4)::date < ($3::date + interval '1 month')::date)
            SELECT coalesce(json_agg(t ORDER BY t."departmentCode", t."itemCode"), '[]')::text FROM (
              SELECT i.department_code AS "departmentCode", i.department_name AS "departmentName", i.item_code AS "itemCode",
                     i.item_name AS "itemName", EXISTS (SELECT 1 FROM used u WHERE u.department_code = i.department_code) AS "departmentHasCases"
              FROM catalog.items i
              WHERE i.region = $1 AND i.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM used u WHERE u.item_code = i.item_code)) t
            """, [region, from, to, RegionCalendars.shared.timeZoneIdentifier(for: region)]))
    }

    /// Per department and kind (letter, consultation, complaint, disclosure-request) received in the period: how many
    /// are unanswered past their deadline (deadline before `asOf`) and how many were answered late; departments with
    /// neither are left out.
    func lateReplies(region: String, from: String, to: String, asOf: String) async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            WITH facts AS (
              SELECT coalesce(department_code, '—') AS department_code, 'letter' AS kind, received_on, deadline, replied_at IS NOT NULL AS answered, replied_in_time AS in_time
              FROM interaction.letters WHERE region = $1
              UNION ALL SELECT department_code, 'consultation', received_on, deadline, answered_at IS NOT NULL, replied_in_time FROM interaction.consultations WHERE region = $1
              UNION ALL SELECT department_code, 'complaint', received_on, deadline, answered_at IS NOT NULL, replied_in_time FROM interaction.complaints WHERE region = $1
              UNION ALL SELECT department_code, 'disclosure-request', received_on, deadline, answered_at IS NOT NULL, answered_in_time FROM disclosure.requests WHERE region = $1
            )
            SELECT coalesce(json_agg(t ORDER BY t.unanswered DESC, t.late DESC, t."departmentCode", t.kind), '[]')::text FROM (
              SELECT department_code AS "departmentCode", kind, count(*) AS received,
                     count(*) FILTER (WHERE NOT answered AND deadline < $4::date) AS unanswered,
                     count(*) FILTER (WHERE answered AND in_time IS FALSE) AS late
              FROM facts WHERE received_on >= $2::date AND received_on < ($3::date + interval '1 month')::date
              GROUP BY department_code, kind) t
            WHERE t.unanswered > 0 OR t.late > 0
            """, [region, from, to, asOf]))
    }

    /// Today in `region`'s time zone (``RegionCalendars/timeZoneIdentifier(for:)``), `YYYY-MM-DD`: the day a reply
    /// deadline is judged against.
    func today(region: String) async throws -> String {
        let rows = try await database.query("SELECT to_char((now() AT TIME ZONE \(RegionCalendars.shared.timeZoneIdentifier(for: region)))::date, 'YYYY-MM-DD')")
        return try rows.first?.decode(String.self, at: 0) ?? "1970-01-01"
    }

    /// The newest alerts first (at most 200), times in each alert's region's time zone (`YYYY-MM-DD HH:MI`): `card` `yellow`, `red` or `irregularity` (nil: all), `openOnly` leaves out
    /// resolved ones.
    func alerts(region: String?, card: String?, department: String?, openOnly: Bool) async throws -> [[String: Any]] {
        Rows.decode(try await json("""
            SELECT coalesce(json_agg(t ORDER BY t."raisedAtUTC" DESC, t.id), '[]')::text FROM (
              SELECT id, region, case_subject AS "caseSubject", department_code AS "departmentCode", item_code AS "itemCode",
                     CASE alert_type WHEN 'DeadlineWarningRaised' THEN 'yellow' WHEN 'DeadlineBreached' THEN 'red' ELSE 'irregularity' END AS card,
                     deadline, raised_at AS "raisedAtUTC", to_char(raised_at AT TIME ZONE \(Self.regionZone), 'YYYY-MM-DD HH24:MI') AS "raisedAt",
                     irregularity_kind AS irregularity, to_char(resolved_at AT TIME ZONE \(Self.regionZone), 'YYYY-MM-DD HH24:MI') AS "resolvedAt"
              FROM supervision.alerts
              WHERE ($1::text IS NULL OR region = $1) AND ($3::text IS NULL OR department_code = $3) AND (NOT $4 OR resolved_at IS NULL)
                AND ($2::text IS NULL OR $2 = CASE alert_type WHEN 'DeadlineWarningRaised' THEN 'yellow' WHEN 'DeadlineBreached' THEN 'red' ELSE 'irregularity' END)
              ORDER BY raised_at DESC, id LIMIT 200) t
            """, [region, card, department, openOnly]))
    }
}
