import ChanceryPostgres
import Foundation

/// The figures `make run` prints, read from the read models (SCENARIO.md; Burlington permits).
enum Summary {
    static func render(database: PostgresClient) async throws -> String {
        var out: [String] = []
        func int(_ sql: String, _ params: [(any PostgresEncodable)?] = []) async throws -> Int64 {
            try await database.query(PostgresQuery(unsafeSQL: sql, binds: params)).first?.decode(Int64?.self, at: 0) ?? 0
        }
        func n(_ v: Int64) -> String {
            let f = NumberFormatter()
            f.numberStyle = .decimal
            f.groupingSeparator = ","
            return f.string(from: NSNumber(value: v)) ?? "\(v)"
        }

        out.append("Zhuhui district (珠晖区, 430405)")
        let categories = try await database.query(
            "SELECT category, reported FROM disclosure.catalog_by_category WHERE region = '430405' ORDER BY category")
        let reported = try await int("SELECT count(reported_at) FROM disclosure.documents WHERE region = '430405'")
        let byCategory = try categories.map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(Int64.self, at: 1))" }
        out.append("  disclosures reported to the city portal: \(n(reported)) (\(byCategory.joined(separator: ", ")))")
        let items = try await database.query(
            """
            SELECT count(*), count(*) FILTER (WHERE item_kind = 'licensing'), count(*) FILTER (WHERE item_kind = 'non-licensing-approval'),
                   count(*) FILTER (WHERE case_type = 'reported-upward'), count(*) FILTER (WHERE case_type = 'joint'),
                   count(confirmed_at), count(DISTINCT department_code)
            FROM catalog.items WHERE region = '430405'
            """)
        if let r = items.first {
            out.append("  items: \(try r.decode(Int64.self, at: 0)) (licensing \(try r.decode(Int64.self, at: 1)), non-licensing approval \(try r.decode(Int64.self, at: 2)); reported-upward \(try r.decode(Int64.self, at: 3)), joint \(try r.decode(Int64.self, at: 4)); confirmed \(try r.decode(Int64.self, at: 5)))")
        }
        let requests = try await int("SELECT count(*) FROM disclosure.requests WHERE region = '430405'")
        let disclosed = try await int("SELECT count(*) FROM disclosure.requests WHERE region = '430405' AND outcome = 'disclosed'")
        out.append("  disclosure requests: \(requests) (answered by disclosure: \(disclosed))")

        out.append("Hengdong county (衡东县, 430424)")
        let hdItems = try await int("SELECT count(*) FROM catalog.items WHERE region = '430424'")
        let hdUnits = try await int("SELECT count(DISTINCT department_code) FROM catalog.items WHERE region = '430424'")
        out.append("  items: \(n(hdItems)), approval units: \(hdUnits)")
        let accepted = try await int("SELECT count(*) FROM approval.cases WHERE region = '430424' AND accepted_on BETWEEN '2025-01-01' AND '2025-10-31'")
        let concluded = try await int("SELECT count(*) FROM approval.cases WHERE region = '430424' AND concluded_on BETWEEN '2025-01-01' AND '2025-10-31'")
        out.append("  January–October 2025: accepted \(n(accepted)), concluded \(n(concluded))")
        let metrics = try await database.query(
            """
            SELECT sum(concluded)::bigint, sum(concluded_on_time)::bigint, sum(concluded_early)::bigint, sum(overdue_concluded)::bigint
            FROM supervision.department_monthly_metrics WHERE region = '430424'
            """)
        if let r = metrics.first, let c = try r.decode(Int64?.self, at: 0), c > 0 {
            let onTime = try r.decode(Int64.self, at: 1), early = try r.decode(Int64.self, at: 2), overdue = try r.decode(Int64.self, at: 3)
            out.append(String(format: "  supervision (whole year): on-time rate %.1f%%, early rate %.1f%%, overdue concluded %@",
                              Double(onTime) * 100 / Double(c), Double(early) * 100 / Double(c), n(overdue)))
        }
        let cards = try await database.query(
            """
            SELECT count(*) FILTER (WHERE alert_type = 'DeadlineWarningRaised' AND case_subject LIKE 'case/%'),
                   count(*) FILTER (WHERE alert_type = 'DeadlineBreached' AND step IS NULL AND case_subject LIKE 'case/%'),
                   count(*) FILTER (WHERE step IS NOT NULL),
                   count(*) FILTER (WHERE alert_type = 'DeadlineWarningRaised' AND case_subject NOT LIKE 'case/%'),
                   count(*) FILTER (WHERE alert_type = 'DeadlineBreached' AND case_subject NOT LIKE 'case/%'),
                   count(*) FILTER (WHERE alert_type = 'IrregularityFlagged'), count(resolved_at)
            FROM supervision.alerts WHERE region = '430424'
            """)
        if let r = cards.first {
            func c(_ i: Int) throws -> String { n(try r.decode(Int64.self, at: i)) }
            out.append("  cases: yellow cards (deadline near) \(try c(0)), red cards (deadline passed unconcluded) \(try c(1)), steps past their own limit \(try c(2))")
            out.append("  requests, letters, consultations, complaints: yellow cards \(try c(3)), red cards (deadline passed unanswered) \(try c(4))")
            out.append("  irregularities flagged: \(try c(5)), alerts resolved (case concluded or answered): \(try c(6))")
        }

        out.append("Burlington, Ontario (3524002) — building permits")
        let permits = try await int("SELECT count(*) FROM approval.cases WHERE region = '3524002'")
        out.append("  permits: \(n(permits))")
        let perType = try await database.query(
            """
            SELECT c.item_code, coalesce(i.item_name, c.item_code), count(*),
                   round(100.0 * count(*) FILTER (WHERE c.outcome IN ('early', 'on-time')) / nullif(count(*) FILTER (WHERE c.outcome IS NOT NULL), 0), 1)::text,
                   (percentile_cont(0.5) WITHIN GROUP (ORDER BY c.working_days_used))::text, max(c.promised_limit)
            FROM approval.cases c LEFT JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
            WHERE c.region = '3524002' GROUP BY c.item_code, i.item_name ORDER BY count(*) DESC
            """)
        out.append("  permit type                              permits  limit  on time  median business days")
        for r in perType {
            let name = "\(try r.decode(String.self, at: 0)) \(try r.decode(String.self, at: 1))"
            let padded = name.padding(toLength: 40, withPad: " ", startingAt: 0)
            let count = String(try r.decode(Int64.self, at: 2))
            let limit = String(try r.decode(Int64?.self, at: 5) ?? 0)
            let rate = (try r.decode(String?.self, at: 3)).map { "\($0)%" } ?? "-"
            let median = try r.decode(String?.self, at: 4) ?? "-"
            out.append("  \(padded) \(count.leftPadded(7))  \(limit.leftPadded(5))  \(rate.leftPadded(7))  \(median.leftPadded(20))")
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
