import ChanceryHTTP
import ChanceryProjections
import Hummingbird

extension DashboardController {
    /// Letters, consultations, complaints and disclosure requests received in the period: answered in time against
    /// ``DashboardConfiguration/replyInTimeTarget``, service-rating satisfaction against
    /// ``DashboardConfiguration/satisfactionTarget``, and letters by transfer, escalation and extension per month —
    /// from `/v1/metrics/interactions` (`period=all` and `period=month`) and `/v1/metrics/cases?groupBy=region&period=all`.
    @Sendable func interactions(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let t = filter.language.labels
        let all = Rows.decode(try await metrics.interactions(period: .all, region: filter.region, from: filter.fromDay, to: filter.toDay))
        let monthly = Rows.decode(try await metrics.interactions(period: .month, region: filter.region, from: filter.fromDay, to: filter.toDay))
        let cases = Rows.decode(try await metrics.cases(groupBy: .region, period: .all, region: filter.region, from: filter.fromDay, to: filter.toDay))
        let range = "region=\(filter.region)&from=\(filter.from)&to=\(filter.to)"
        let target = configuration.replyInTimeTarget
        let kinds: [[String: Any]] = all.map { row in
            let kind = Rows.string(row, "kind") ?? ""
            let rate = Rows.double(row, "inTimeRate")
            return [
                "kind": t["kind_\(kind)"] ?? kind, "received": Rows.int(row, "received"), "answered": Rows.int(row, "answered"),
                "answeredInTime": Rows.int(row, "answeredInTime"), "inTimeRate": Rows.percent(rate),
                "met": rate.map { $0 + 1e-9 >= target } ?? false, "hasRate": rate != nil,
                "transferred": Rows.int(row, "transferred"), "escalated": Rows.int(row, "escalated"),
                "extended": Rows.int(row, "extended"), "returned": Rows.int(row, "returned"), "urged": Rows.int(row, "urged"),
                "isLetter": kind == "letter",
            ]
        }
        let satisfaction = cases.first.flatMap { Rows.double($0, "satisfactionRate") }
        let inTimeChart = ChartSpec.from(
            rows: all, id: "in-time", type: "bar", title: t["inTimeRate"] ?? "", api: "/v1/metrics/interactions?period=all&\(range)",
            rowsMember: "rows", labelField: "kind", series: [(label: t["inTimeRate"] ?? "", field: "inTimeRate", colour: "#1f5fa8")], percent: true)
        var inTime = inTimeChart
        inTime.displayLabels = inTimeChart.labels.map { t["kind_\($0)"] ?? $0 }
        let lettersChart = ChartSpec.from(
            rows: monthly, id: "letters", type: "bar", title: t["lettersHandling"] ?? "", api: "/v1/metrics/interactions?period=month&\(range)",
            rowsMember: "rows", labelField: "period", filter: ["kind": "letter"],
            series: [(label: t["transferred"] ?? "", field: "transferred", colour: "#1f5fa8"), (label: t["escalated"] ?? "", field: "escalated", colour: "#6a1b9a"),
                     (label: t["extended"] ?? "", field: "extended", colour: "#c49000")])
        return Rendered(template: "interactions", context: [
            "kinds": kinds, "empty": kinds.isEmpty, "target": Rows.percent(target),
            "satisfaction": Rows.percent(satisfaction), "satisfactionTarget": Rows.percent(configuration.satisfactionTarget),
            "satisfactionMet": satisfaction.map { $0 + 1e-9 >= configuration.satisfactionTarget } ?? false, "hasSatisfaction": satisfaction != nil,
            "rated": cases.first.map { Rows.int($0, "rated") } ?? 0,
            "charts": [inTime.templateContext, lettersChart.templateContext],
        ], title: "interactionsTitle")
    }
}
