import Foundation

/// One chart of a page: drawn by `/assets/dashboard.js` with Chart.js from a `<script type="application/json">`
/// block, which also says where its numbers come from so a check can compare them with the JSON API's.
///
/// - `api`: the metrics API path and query the figures equal (e.g. `/v1/metrics/cases?groupBy=region&…`).
/// - `rows`: the member of the API's answer holding the rows (`rows`, `departments`, `byCategory`).
/// - `labelField`: the row field giving each label (dotted path, e.g. `performance.departmentCode`).
/// - `filter`: fields a row must have (e.g. `{"kind": "letter"}`) to be drawn.
/// - `labels`: the API's label values; `displayLabels`: what the chart shows under them (translated names).
/// - `zeroFill`: labels without an API row stand for 0.
/// - `datasets`: for each series its label, the row `field` it draws (dotted path) and its values, in label order.
public struct ChartSpec: Sendable {
    public struct Series: Sendable {
        public var label: String
        public var field: String
        public var values: [Double?]
        public var colour: String
    }

    public var id: String
    public var type: String
    public var title: String
    public var api: String
    public var rows: String
    public var labelField: String
    public var filter: [String: String]
    public var labels: [String]
    public var datasets: [Series]
    public var stacked: Bool
    public var percent: Bool
    /// What the chart shows under each label (translated), when it differs from ``labels`` (the API's values).
    public var displayLabels: [String]? = nil
    /// Labels without an API row are drawn as 0 (a category with no document has no `byCategory` row).
    public var zeroFill = false

    /// The JSON object the page embeds.
    public var json: [String: Any] {
        [
            "id": id, "type": type, "title": title, "api": api, "rows": rows, "labelField": labelField, "filter": filter,
            "labels": labels, "displayLabels": displayLabels ?? labels, "stacked": stacked, "percent": percent, "zeroFill": zeroFill,
            "datasets": datasets.map { s -> [String: Any] in
                ["label": s.label, "field": s.field, "colour": s.colour, "data": s.values.map { v -> Any in v.map { $0 as Any } ?? NSNullValue.null }]
            },
        ]
    }

    /// What a template needs: the id, the title and the JSON text.
    public var templateContext: [String: Any] {
        ["id": id, "title": title, "json": PageRenderer.scriptJSON(json)]
    }

    /// Builds a chart from API rows: one label per row passing `filter` (in row order), one series per field.
    public static func from(rows: [[String: Any]], id: String, type: String, title: String, api: String, rowsMember: String,
                            labelField: String, filter: [String: String] = [:], series: [(label: String, field: String, colour: String)],
                            stacked: Bool = false, percent: Bool = false) -> ChartSpec {
        let kept = rows.filter { row in filter.allSatisfy { Rows.string(row, $0.key) == $0.value } }
        return ChartSpec(
            id: id, type: type, title: title, api: api, rows: rowsMember, labelField: labelField, filter: filter,
            labels: kept.map { Rows.string($0, labelField) ?? "" },
            datasets: series.map { s in Series(label: s.label, field: s.field, values: kept.map { Rows.double($0, s.field) }, colour: s.colour) },
            stacked: stacked, percent: percent)
    }
}

/// `NSNull` under a name that reads as JSON null.
enum NSNullValue {
    static let null = NSNull()
}
