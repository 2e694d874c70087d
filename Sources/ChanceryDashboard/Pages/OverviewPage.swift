import Hummingbird
import ChanceryHTTP
import ChanceryProjections

extension DashboardController {
    /// Overview of a region and period: accepted vs concluded by month, on-time and early rates, the overdue backlog,
    /// cards by colour and urge outcomes — the rows of `/v1/metrics/cases?groupBy=region&period=month` (and
    /// `period=all` for the totals line).
    @Sendable func overview(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let t = filter.language.labels
        let months = Rows.decode(try await metrics.cases(groupBy: .region, period: .month, region: filter.region, from: filter.fromDay, to: filter.toDay))
        let totals = Rows.decode(try await metrics.cases(groupBy: .region, period: .all, region: filter.region, from: filter.fromDay, to: filter.toDay))
        let api = "/v1/metrics/cases?groupBy=region&period=month&region=\(filter.region)&from=\(filter.from)&to=\(filter.to)"
        func chart(_ id: String, _ type: String, _ title: String, _ series: [(String, String, String)], stacked: Bool = false, percent: Bool = false) -> [String: Any] {
            ChartSpec.from(rows: months, id: id, type: type, title: t[title] ?? title, api: api, rowsMember: "rows", labelField: "period",
                           series: series.map { (label: t[$0.0] ?? $0.0, field: $0.1, colour: $0.2) }, stacked: stacked, percent: percent).templateContext
        }
        let charts = [
            chart("accepted-concluded", "bar", "acceptedVsConcluded", [("accepted", "accepted", "#1f5fa8"), ("concluded", "concluded", "#2e7d32")]),
            chart("rates", "line", "rates", [("onTimeRate", "onTimeRate", "#2e7d32"), ("earlyRate", "earlyRate", "#6a1b9a")], percent: true),
            chart("backlog", "bar", "backlog", [("overdueOpen", "overdueOpen", "#b3261e")]),
            chart("cards", "bar", "cardsOverTime", [("yellowCards", "yellowCards", "#c49000"), ("redCards", "redCards", "#b3261e")], stacked: true),
            chart("urges", "bar", "urges", [("urgesMet", "urgesMet", "#2e7d32"), ("urgesMissed", "urgesMissed", "#b3261e"),
                                             ("urgesPending", "urgesPending", "#5f6368")], stacked: true),
        ]
        func line(_ row: [String: Any], label: String) -> [String: Any] {
            [
                "label": label, "accepted": Rows.int(row, "accepted"), "concluded": Rows.int(row, "concluded"),
                "onTimeRate": Rows.percent(Rows.double(row, "onTimeRate")), "earlyRate": Rows.percent(Rows.double(row, "earlyRate")),
                "overdueOpen": Rows.int(row, "overdueOpen"), "yellowCards": Rows.int(row, "yellowCards"), "redCards": Rows.int(row, "redCards"),
                "urgesMet": Rows.int(row, "urgesMet"), "urgesMissed": Rows.int(row, "urgesMissed"), "urgesPending": Rows.int(row, "urgesPending"),
            ]
        }
        var page: [String: Any] = [
            "charts": charts, "api": api, "months": months.map { line($0, label: Rows.string($0, "period") ?? "") }, "empty": months.isEmpty,
        ]
        if let total = totals.first { page["totals"] = line(total, label: t["total"] ?? "") }
        return Rendered(template: "overview", context: page, title: "overviewTitle")
    }
}
