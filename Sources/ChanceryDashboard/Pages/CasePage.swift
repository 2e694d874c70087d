import ChanceryDomain
import ChanceryHTTP
import Hummingbird

extension DashboardController {
    /// One case's timeline: every event of its stream (from `audit.events`), its clock (promised and statutory limits,
    /// deadline, working days used, supplement pauses, special procedures) and its cards and irregularities.
    @Sendable func caseTimeline(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let region = try context.parameters.require("region")
        let number = try context.parameters.require("number")
        let subject = "case/\(region)/\(number)"
        guard let detail = try await queries.caseDetail(subject: subject), let c = detail["case"] as? [String: Any] else {
            throw DashboardNotFound(message: filter.language == .en ? "no case \(subject)" : "无办件 \(subject)")
        }
        let t = filter.language.labels
        let clock = detail["clock"] as? [String: Any] ?? [:]
        let pauses: [[String: Any]] = (clock["pauses"] as? [Any] ?? []).compactMap { p in
            if let pair = p as? [Any], pair.count == 2 { return ["from": "\(pair[0])", "to": "\(pair[1])"] }
            if let o = p as? [String: Any] { return ["from": "\(o["lowerBound"] ?? "")", "to": "\(o["upperBound"] ?? "")"] }
            return nil
        }
        var allPauses = pauses
        if let since = clock["pausedSince"] as? String { allPauses.append(["from": since, "to": "…"]) }
        let procedures: [[String: Any]] = (clock["specialProcedures"] as? [[String: Any]] ?? []).map {
            ["kind": "\($0["kind"] ?? "")", "from": "\($0["startedOn"] ?? "")", "to": ($0["endedOn"] as? String) ?? "…"]
        }
        let events: [[String: Any]] = (detail["events"] as? [[String: Any]] ?? []).map {
            ["sequence": Rows.string($0, "sequence") ?? "", "type": Rows.string($0, "type") ?? "", "time": Rows.string($0, "time") ?? ""]
        }
        let alerts: [[String: Any]] = (detail["alerts"] as? [[String: Any]] ?? []).map {
            let type = Rows.string($0, "type") ?? ""
            let card: String
            switch AlertEvent(name: type, data: .object([:])) {
            case .raised(let raised) where raised.kind == .warning: card = "yellow"
            case .raised(let raised) where raised.kind == .breach: card = "red"
            default: card = "irregularity"
            }
            return ["id": Rows.string($0, "id") ?? "", "card": card, "cardLabel": t["card_\(card)"] ?? card,
                    "deadline": Rows.string($0, "deadline") ?? "—", "raisedAt": Rows.string($0, "raisedAt") ?? "",
                    "irregularity": Rows.string($0, "irregularity") ?? "—", "resolvedAt": Rows.string($0, "resolvedAt") ?? "—"]
        }
        func s(_ key: String) -> String { Rows.string(c, key) ?? "—" }
        return Rendered(template: "case", context: [
            "subject": subject, "caseNumber": s("caseNumber"), "itemCode": s("itemCode"), "departmentCode": s("departmentCode"),
            "departmentHref": "/dashboard/departments/\(Self.percentEncoded(s("departmentCode")))?\(filter.query)",
            "status": s("status"), "caseType": s("caseType"), "acceptedOn": s("acceptedOn"), "concludedOn": s("concludedOn"),
            "promisedLimit": s("promisedLimit"), "statutoryLimit": s("statutoryLimit"), "deadline": s("deadline"),
            "statutoryDeadline": s("statutoryDeadline"), "workingDaysUsed": s("workingDaysUsed"), "outcome": s("outcome"),
            "pauses": allPauses, "noPauses": allPauses.isEmpty, "procedures": procedures, "noProcedures": procedures.isEmpty,
            "events": events, "alerts": alerts, "noAlerts": alerts.isEmpty,
        ], title: "caseTitle")
    }
}
