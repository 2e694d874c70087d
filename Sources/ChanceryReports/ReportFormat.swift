/// The formats a report is rendered in.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    /// A printable HTML page (A4 print CSS), Chinese by default.
    case html
    /// Markdown (GitHub-flavoured tables).
    case markdown = "md"
    /// CSV (RFC 4180): every table of the report, each preceded by its caption row and followed by an empty row.
    case csv
    /// JSON: the report model itself (numbers as numbers, unknown cells as `null`).
    case json

    /// Parses `html`, `md` (or `markdown`), `csv`, `json`; nil for anything else.
    public init?(parameter: String) {
        switch parameter.lowercased() {
        case "html": self = .html
        case "md", "markdown": self = .markdown
        case "csv": self = .csv
        case "json": self = .json
        default: return nil
        }
    }

    /// The media type of a rendered report, with its charset.
    public var mediaType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        }
    }

    /// The usual file extension.
    public var fileExtension: String { rawValue }
}
