import ChanceryHTTP
import Hummingbird

extension DashboardController {
    /// 建而不用 and 不及时回复: catalogued items (and whole departments) of the region without any case submitted in the
    /// period, and departments whose letters, consultations, complaints or disclosure requests received in the period
    /// went unanswered past their deadline (as of today in the region's time zone) or were answered late.
    @Sendable func unused(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let t = filter.language.labels
        let items = try await queries.unusedItems(region: filter.region, from: filter.fromDay, to: filter.toDay)
        let asOf = try await queries.today(region: filter.region)
        let late = try await queries.lateReplies(region: filter.region, from: filter.fromDay, to: filter.toDay, asOf: asOf)
        var departments: [(code: String, name: String, count: Int)] = []
        for row in items where (Rows.value(row, "departmentHasCases") as? Bool) == false {
            let code = Rows.string(row, "departmentCode") ?? ""
            if let i = departments.firstIndex(where: { $0.code == code }) { departments[i].count += 1 }
            else { departments.append((code, Rows.string(row, "departmentName") ?? code, 1)) }
        }
        return Rendered(template: "unused", context: [
            "items": items.map { ["department": Rows.string($0, "departmentName") ?? "", "departmentCode": Rows.string($0, "departmentCode") ?? "",
                                  "code": Rows.string($0, "itemCode") ?? "", "name": Rows.string($0, "itemName") ?? ""] },
            "noItems": items.isEmpty,
            "departments": departments.map { ["code": $0.code, "name": $0.name, "count": $0.count] }, "noDepartments": departments.isEmpty,
            "late": late.map { row -> [String: Any] in
                let kind = Rows.string(row, "kind") ?? ""
                return ["departmentCode": Rows.string(row, "departmentCode") ?? "", "kind": t["kind_\(kind)"] ?? kind,
                        "received": Rows.int(row, "received"), "unanswered": Rows.int(row, "unanswered"), "late": Rows.int(row, "late")]
            },
            "noLate": late.isEmpty, "asOf": asOf,
        ], title: "unusedTitle")
    }
}
