import ChanceryDomain
import ChanceryHTTP
import Hummingbird

extension DashboardController {
    /// Proactive disclosure by the 12 categories for every region side by side (published, and reported to the city
    /// portal), empty and weak cells highlighted by ``DashboardConfiguration/emptyCategoryAtMost`` and
    /// ``DashboardConfiguration/weakCategoryBelow`` — the `byCategory` rows of `/v1/disclosures`.
    @Sendable func disclosure(request: Request, context: Context, filter: DashboardFilter) async throws -> Rendered {
        let t = filter.language.labels
        let rows = try await queries.disclosureByCategory()
        var regions = Array(Set(rows.compactMap { Rows.string($0, "region") })).sorted()
        if regions.isEmpty { regions = [filter.region] }
        var counts: [String: (published: Int, reported: Int)] = [:]
        for row in rows {
            counts["\(Rows.string(row, "region") ?? "")|\(Rows.string(row, "category") ?? "")"] = (Rows.int(row, "published"), Rows.int(row, "reported"))
        }
        let categories = EventCatalog.disclosureCategories
        let table: [[String: Any]] = categories.map { category in
            [
                "category": t["category_\(category)"] ?? category,
                "cells": regions.map { region -> [String: Any] in
                    let c = counts["\(region)|\(category)"] ?? (0, 0)
                    let state = c.published <= configuration.emptyCategoryAtMost ? "empty" : c.published < configuration.weakCategoryBelow ? "weak" : "ok"
                    var cell: [String: Any] = ["published": c.published, "reported": c.reported, "state": state]
                    if state != "ok" { cell["stateLabel"] = t[state == "empty" ? "emptyCell" : "weakCell"] ?? state }
                    return cell
                },
            ]
        }
        let totals: [[String: Any]] = regions.map { region in
            ["published": categories.reduce(0) { $0 + (counts["\(region)|\($1)"]?.published ?? 0) },
             "reported": categories.reduce(0) { $0 + (counts["\(region)|\($1)"]?.reported ?? 0) }]
        }
        let charts: [[String: Any]] = regions.map { region in
            let regionRows = categories.map { category -> [String: Any] in
                let c = counts["\(region)|\(category)"] ?? (0, 0)
                return ["region": region, "category": category, "published": c.published, "reported": c.reported]
            }
            var spec = ChartSpec.from(rows: regionRows, id: "disclosure-\(region)", type: "bar", title: "\(region)",
                                      api: "/v1/disclosures?region=\(region)&limit=1", rowsMember: "byCategory", labelField: "category",
                                      filter: ["region": region],
                                      series: [(label: t["published"] ?? "", field: "published", colour: "#1f5fa8"),
                                               (label: t["reported"] ?? "", field: "reported", colour: "#2e7d32")])
            spec.labels = categories
            spec.displayLabels = categories.map { t["category_\($0)"] ?? $0 }
            spec.zeroFill = true
            return spec.templateContext
        }
        return Rendered(template: "disclosure", context: [
            "columns": regions.map { ["code": $0] }, "table": table, "totals": totals, "charts": charts,
            "emptyAtMost": configuration.emptyCategoryAtMost, "weakBelow": configuration.weakCategoryBelow,
        ], title: "disclosureTitle")
    }
}
