import ChanceryDomain
import ChanceryHTTP
import ChanceryProjections
import Hummingbird

extension DashboardController {
    /// Departments ranked by the efficiency index of a quarter (`quarter=YYYY-Qn`, default the last quarter of the
    /// period) with their grades: what `/v1/metrics/ranking` answers.
    @Sendable func departments(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let t = filter.language.labels
        let quarters = filter.quarters
        let quarter = request.uri.queryParameters["quarter"].map(String.init) ?? quarters.first ?? "2025-Q4"
        guard let start = MetricsQueries.quarterStart(quarter) else {
            throw DashboardInputError(filter.language == .en ? "quarter must be YYYY-Qn, e.g. 2025-Q3, not “\(quarter)”"
                                                             : "季度应为 YYYY-Qn 格式（如 2025-Q3），而不是“\(quarter)”")
        }
        let ranked = try await metrics.ranking(region: filter.region, quarterStart: start, formula: formula)
        let names = try await queries.departmentNames(region: filter.region)
        let api = "/v1/metrics/ranking?region=\(filter.region)&quarter=\(quarter)"
        let rows: [[String: Any]] = ranked.map { r in
            let p = r.performance
            return [
                "rank": r.rank.map(String.init) ?? "—", "code": p.departmentCode, "name": names[p.departmentCode] ?? p.departmentCode,
                "href": "/dashboard/departments/\(DashboardController.percentEncoded(p.departmentCode))?\(filter.query)",
                "index": Rows.number(r.index.map { ($0 * 100).rounded() / 100 }),
                "grade": r.grade.map { t["grade_\($0.rawValue)"] ?? $0.rawValue } ?? (t["noIndex"] ?? ""),
                "gradeClass": r.grade?.rawValue ?? "none",
                "accepted": p.accepted, "concluded": p.concluded,
                "onTimeRate": Rows.percent(p.concluded > 0 ? Double(p.concludedOnTime) / Double(p.concluded) : nil),
                "yellowCards": p.yellowCards, "redCards": p.redCards,
            ]
        }
        // Every ranked row, in the API's order (departments without an index are gaps).
        let chart = ChartSpec(
            id: "ranking", type: "bar", title: t["efficiencyIndex"] ?? "", api: api, rows: "departments", labelField: "performance.departmentCode",
            filter: [:], labels: ranked.map(\.performance.departmentCode),
            datasets: [.init(label: t["efficiencyIndex"] ?? "", field: "index", values: ranked.map(\.index), colour: "#1f5fa8")],
            stacked: false, percent: false)
        return Rendered(template: "departments", context: [
            "quarter": quarter, "quarters": quarters.map { ["value": $0, "selected": $0 == quarter] as [String: Any] },
            "rows": rows, "empty": rows.isEmpty, "charts": ranked.isEmpty ? [] : [chart.templateContext], "api": api,
        ], title: "departmentsTitle")
    }

    /// One department's items with their counts over the period (`/v1/metrics/cases?groupBy=item&period=all`, this
    /// department's rows) and its open and overdue cases.
    @Sendable func department(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let code = try context.parameters.require("department")
        let names = try await queries.departmentNames(region: filter.region)
        let catalogued = try await queries.items(region: filter.region, department: code)
        guard names[code] != nil || !catalogued.isEmpty else {
            throw DashboardNotFound(message: filter.language == .en ? "no department \(code) in region \(filter.region)" : "行政区划 \(filter.region) 无部门 \(code)")
        }
        let counts = Rows.decode(try await metrics.cases(groupBy: .item, period: .all, region: filter.region, from: filter.fromDay, to: filter.toDay))
            .filter { Rows.string($0, "departmentCode") == code }
        var byItem: [String: [String: Any]] = [:]
        for row in counts { if let item = Rows.string(row, "itemCode") { byItem[item] = row } }
        var itemCodes = catalogued.compactMap { Rows.string($0, "itemCode") }
        for item in byItem.keys.sorted() where !itemCodes.contains(item) { itemCodes.append(item) }
        let itemNames = Dictionary(catalogued.compactMap { r in Rows.string(r, "itemCode").map { ($0, Rows.string(r, "itemName") ?? $0) } },
                                   uniquingKeysWith: { a, _ in a })
        let items: [[String: Any]] = itemCodes.map { item in
            let row = byItem[item] ?? [:]
            return [
                "code": item, "name": itemNames[item] ?? item,
                "href": "/dashboard/departments/\(Self.percentEncoded(code))/items/\(Self.percentEncoded(item))?\(filter.query)",
                "accepted": Rows.int(row, "accepted"), "concluded": Rows.int(row, "concluded"),
                "onTimeRate": Rows.percent(Rows.double(row, "onTimeRate")), "overdueOpen": Rows.int(row, "overdueOpen"),
                "redCards": Rows.int(row, "redCards"),
            ]
        }
        let open = try await queries.openCases(region: filter.region, department: code, item: nil)
        return Rendered(template: "department", context: [
            "code": code, "name": names[code] ?? code, "items": items, "noItems": items.isEmpty,
            "cases": caseLines(open, filter: filter), "noCases": open.isEmpty,
        ], title: "itemsOfDepartment")
    }

    /// One item's open and overdue cases.
    @Sendable func item(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let code = try context.parameters.require("department")
        let item = try context.parameters.require("item")
        let catalogued = try await queries.items(region: filter.region, department: code)
        let entry = catalogued.first { Rows.string($0, "itemCode") == item }
        let open = try await queries.openCases(region: filter.region, department: code, item: item)
        guard entry != nil || !open.isEmpty else {
            throw DashboardNotFound(message: filter.language == .en ? "no item \(item) of department \(code)" : "部门 \(code) 无事项 \(item)")
        }
        return Rendered(template: "item", context: [
            "department": code, "departmentHref": "/dashboard/departments/\(Self.percentEncoded(code))?\(filter.query)",
            "code": item, "name": entry.flatMap { Rows.string($0, "itemName") } ?? item,
            "cases": caseLines(open, filter: filter), "noCases": open.isEmpty,
        ], title: "openCases")
    }

    func caseLines(_ rows: [[String: Any]], filter: DashboardFilter) -> [[String: Any]] {
        let t = filter.language.labels
        return rows.map { row in
            let subject = Rows.string(row, "subject") ?? ""
            let number = subject.split(separator: "/", maxSplits: 2).dropFirst(2).first.map(String.init) ?? ""
            let overdue = (Rows.value(row, "overdue") as? Bool) ?? false
            return [
                "subject": subject, "caseNumber": Rows.string(row, "caseNumber") ?? number, "itemCode": Rows.string(row, "itemCode") ?? "",
                "href": "/dashboard/cases/\(filter.region)/\(Self.percentEncoded(number))?\(filter.query)",
                "status": Rows.string(row, "status") ?? "", "acceptedOn": Rows.string(row, "acceptedOn") ?? "—",
                "deadline": Rows.string(row, "deadline") ?? "—", "workingDaysUsed": Rows.string(row, "workingDaysUsed") ?? "—",
                "overdue": overdue, "overdueLabel": overdue ? (t["yes"] ?? "") : (t["no"] ?? ""),
            ]
        }
    }
}
