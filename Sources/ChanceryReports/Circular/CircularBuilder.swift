import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import Foundation

/// Computes the monthly circular (``Circular``) of a region from the read models.
///
/// The case figures are those of `GET /v1/metrics/cases?groupBy=department&period=month`, from the same query
/// (``MetricsQueries``); the letters those of `GET /v1/metrics/interactions` split by the department holding each
/// letter; the integration tests check both against the API.
public struct CircularBuilder: Sendable {
    let database: PostgresClient
    let formula: EfficiencyFormula

    /// A builder over `database`; `formula` grades the departments (the server's `--efficiency-formula`).
    public init(database: PostgresClient, formula: EfficiencyFormula = EfficiencyFormula()) {
        self.database = database
        self.formula = formula
    }

    /// - Throws: ``ReportError/noData(_:)`` when the region has no item, case or letter at all; database errors.
    public func build(region: String, month: CalendarMonth) async throws -> Circular {
        let zone = RegionCalendars.shared.timeZoneIdentifier(for: region)
        let exists = try await database.query(
            """
            SELECT EXISTS (SELECT 1 FROM catalog.items WHERE region = \(region)) OR EXISTS (SELECT 1 FROM approval.cases WHERE region = \(region))
                OR EXISTS (SELECT 1 FROM interaction.letters WHERE region = \(region))
            """)
        guard try exists.first?.decode(Bool.self, at: 0) == true else {
            throw ReportError.noData("region \(region) has no item, case or letter in the read models")
        }
        var lines: [String: DepartmentLine] = [:]
        let first = month.firstDay.description
        let figures = try await MetricsQueries(database: database).cases(groupBy: .department, period: .month, region: region, from: first, to: first)
        for row in try JSONDecoder().decode([CaseFigures].self, from: Data(figures.utf8)) {
            var line = DepartmentLine.blank(row.departmentCode)
            row.copy(into: &line)
            lines[row.departmentCode] = line
        }
        var totals = DepartmentLine.blank("")
        CaseFigures.sum(lines.values).copy(into: &totals)
        for row in try await database.query(Self.lettersSQL, [region, month.firstDay.description]) {
            let code = try row.decode(String?.self, at: 0)
            let answered = try int(row, 1), late = try int(row, 2)
            if try row.decode(Bool.self, at: 3) {
                totals.lettersAnswered = answered
                totals.lettersAnsweredLate = late
            } else {
                let key = code ?? ""
                var line = lines[key] ?? .blank(key)
                line.lettersAnswered = answered
                line.lettersAnsweredLate = late
                lines[key] = line
            }
        }
        let names = try await database.query(
            "SELECT department_code, min(department_name) FROM catalog.items WHERE region = \(region) GROUP BY department_code")
        for row in names {
            let code = try row.decode(String.self, at: 0)
            lines[code]?.departmentName = try row.decode(String?.self, at: 1)
        }
        let ranked = formula.rank(lines.values.map(\.performance))
        let departments = ranked.map { r -> DepartmentLine in
            var line = lines[r.performance.departmentCode]!
            line.index = r.index
            line.rank = r.rank
            line.grade = r.grade
            return line
        }
        totals.departmentCode = "total"
        var notes = [
            ReportNote(code: "circular-sources",
                       zh: "办件、评价、红黄牌和督办数据与效能监察接口（/v1/metrics/cases，按部门、按月）一致：受理数按受理日期，办结、按时办结和评价按办结日期，红黄牌按所涉期限日期，督办按受理日期统计；信件按收信日期和现办理部门统计。效能指数和等次按排名接口（/v1/metrics/ranking）的公式以本月数据计算。",
                       en: "Cases, ratings, cards and urges equal the metrics API (/v1/metrics/cases by department and month): accepted by acceptance date, concluded, on time and ratings by conclusion date, cards by the date of the deadline they concern, urges by acceptance date; letters by date of receipt and the department holding them. The index and grade apply the formula of /v1/metrics/ranking to the month's figures."),
        ]
        if lines[""] != nil {
            notes.append(ReportNote(code: "letters-unassigned", zh: "部门编码为空的一行为尚未转办到部门的信件。",
                                    en: "The line with an empty department code holds letters not transferred to any department."))
        }
        return Circular(region: region, month: month, formula: formula, departments: departments, totals: totals,
                        overdueCases: try await overdueCases(region: region, month: month, zone: zone), notes: notes)
    }

    private func int(_ row: PostgresRow, _ i: Int) throws -> Int { Int(try row.decode(Int64?.self, at: i) ?? 0) }

    /// Cases concluded late in the month, then cases open at its end whose red card was raised by then.
    func overdueCases(region: String, month: CalendarMonth, zone: String) async throws -> [OverdueCase] {
        let rows = try await database.query(
            """
            SELECT c.subject, c.case_number, c.department_code, c.item_code, i.item_name, c.accepted_on::text, c.deadline::text, c.concluded_on::text,
                   c.working_days_used, c.promised_limit, 'concluded-late'
            FROM approval.cases c LEFT JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
            WHERE c.region = \(region) AND c.outcome = 'overdue' AND c.concluded_on BETWEEN \(month.firstDay.description)::date AND \(month.lastDay.description)::date
            UNION ALL
            SELECT c.subject, c.case_number, c.department_code, c.item_code, i.item_name, c.accepted_on::text, k.deadline::text, NULL, NULL,
                   c.promised_limit, 'open-overdue'
            FROM supervision.case_clocks k JOIN approval.cases c USING (subject) JOIN supervision.alerts a ON a.id = k.red_alert_id
                 LEFT JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
            WHERE k.region = \(region) AND (a.raised_at AT TIME ZONE \(zone))::date <= \(month.lastDay.description)::date
              AND (k.concluded_on IS NULL OR k.concluded_on > \(month.lastDay.description)::date) AND (k.resolved_on IS NULL OR k.resolved_on > \(month.lastDay.description)::date)
            ORDER BY 11, 3, 2
            """)
        return try rows.map { r in
            OverdueCase(subject: try r.decode(String.self, at: 0), caseNumber: try r.decode(String.self, at: 1), departmentCode: try r.decode(String.self, at: 2),
                        itemCode: try r.decode(String.self, at: 3), itemName: try r.decode(String?.self, at: 4),
                        acceptedOn: try r.decode(String?.self, at: 5).flatMap { CivilDate($0) }, deadline: try r.decode(String?.self, at: 6).flatMap { CivilDate($0) },
                        concludedOn: try r.decode(String?.self, at: 7).flatMap { CivilDate($0) },
                        workingDaysUsed: try r.decode(Int64?.self, at: 8).map(Int.init), promisedLimit: try r.decode(Int64?.self, at: 9).map(Int.init),
                        state: try r.decode(String.self, at: 10))
        }
    }

    /// Letters of `$1` received in the month starting `$2`, answered and answered late (answered, not in time: the
    /// `answered − answeredInTime` of /v1/metrics/interactions), per department holding them and in total (last column true).
    static let lettersSQL = """
        SELECT department_code, count(*) FILTER (WHERE replied_at IS NOT NULL),
               count(*) FILTER (WHERE replied_at IS NOT NULL AND NOT coalesce(replied_in_time, false)), GROUPING(department_code) = 1
        FROM interaction.letters WHERE region = $1 AND date_trunc('month', received_on)::date = $2::date
        GROUP BY GROUPING SETS ((department_code), ())
        """
}
