import Foundation
import ChanceryHTTP
import Hummingbird

extension DashboardController {
    /// The live list of yellow and red cards and irregularities of the region, newest first, filterable by `card`
    /// (`yellow`, `red`, `irregularity`), `department` and `open=1`; reloads itself every
    /// ``DashboardConfiguration/alertsRefreshSeconds`` (meta refresh, no script needed).
    @Sendable func alerts(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let t = filter.language.labels
        let q = request.uri.queryParameters
        let card = q["card"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let card, !["yellow", "red", "irregularity"].contains(card) {
            throw DashboardInputError(filter.language == .en ? "card must be yellow, red or irregularity, not “\(card)”"
                                                             : "类别应为 yellow、red 或 irregularity，而不是“\(card)”")
        }
        let department = q["department"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let openOnly = q["open"] == "1"
        let rows = try await queries.alerts(region: filter.region, card: card, department: department, openOnly: openOnly)
        return Rendered(template: "alerts", context: [
            "cards": ["yellow", "red", "irregularity"].map { ["value": $0, "label": t["card_\($0)"] ?? $0, "selected": $0 == card] as [String: Any] },
            "department": department ?? "", "openOnly": openOnly,
            "refreshText": (t["refreshNote"] ?? "").replacingOccurrences(of: "%d", with: String(configuration.alertsRefreshSeconds)),
            "hasRefresh": configuration.alertsRefreshSeconds > 0,
            "rows": rows.map { row -> [String: Any] in
                let c = Rows.string(row, "card") ?? ""
                let subject = Rows.string(row, "caseSubject") ?? ""
                let parts = subject.split(separator: "/", maxSplits: 2).map(String.init)
                let link = parts.count == 3 && parts[0] == "case" ? "/dashboard/cases/\(parts[1])/\(Self.percentEncoded(parts[2]))?\(filter.query)" : ""
                return ["raisedAt": Rows.string(row, "raisedAt") ?? "", "card": c, "cardLabel": t["card_\(c)"] ?? c, "subject": subject,
                        "href": link, "hasLink": !link.isEmpty, "departmentCode": Rows.string(row, "departmentCode") ?? "",
                        "itemCode": Rows.string(row, "itemCode") ?? "—", "deadline": Rows.string(row, "deadline") ?? "—",
                        "irregularity": Rows.string(row, "irregularity") ?? "—", "resolvedAt": Rows.string(row, "resolvedAt") ?? "—"]
            },
            "empty": rows.isEmpty,
        ], title: "alertsTitle", refreshSeconds: configuration.alertsRefreshSeconds)
    }
}
