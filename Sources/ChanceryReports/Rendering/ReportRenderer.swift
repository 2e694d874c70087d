import Foundation
import Mustache

/// Renders reports: HTML and Markdown through the Mustache templates of `Templates/` (swift-mustache; HTML-escaped and
/// Markdown-escaped text respectively), CSV by ``CSVWriter``, JSON by `JSONEncoder` (sorted keys).
public struct ReportRenderer: Sendable {
    let html: MustacheTemplate
    let markdown: MustacheTemplate

    /// Loads the bundled templates.
    /// - Throws: when a template is missing from the bundle or does not parse (a packaging error).
    public init() throws {
        _ = MarkdownContentType.registerOnce
        func load(_ name: String) throws -> MustacheTemplate {
            guard let url = Bundle.module.url(forResource: name, withExtension: "mustache", subdirectory: "Templates") else {
                throw ReportError.noData("the template \(name).mustache is missing from the ChanceryReports bundle")
            }
            return try MustacheTemplate(string: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        }
        html = try load("document.html")
        markdown = try load("document.md")
    }

    /// The shared renderer (templates parsed once).
    /// - Throws: when the templates cannot be loaded.
    public static func shared() throws -> ReportRenderer {
        guard let renderer = cached else { throw ReportError.noData("the report templates cannot be loaded from the ChanceryReports bundle") }
        return renderer
    }
    private static let cached = try? ReportRenderer()

    /// `document` as HTML, Markdown or CSV; as JSON, its flat tables: `{"title","tables":[{"caption","columns","rows"}]}`.
    public func render(_ document: ReportDocument, as format: ReportFormat) -> String {
        switch format {
        case .html: return html.render(DocumentView(document))
        case .markdown: return markdown.render(DocumentView(document))
        case .csv: return CSVWriter.write(document)
        case .json:
            struct Flat: Encodable { var caption: String; var columns: [String]; var rows: [[String]] }
            struct Doc: Encodable { var title: String; var tables: [Flat] }
            let doc = Doc(title: document.title, tables: document.sections.flatMap(\.tables).map { Flat(caption: $0.caption, columns: $0.columns, rows: $0.rows) })
            return (try? Self.json(doc)) ?? "{}"
        }
    }

    /// The annual report in `format` and `language` (JSON: the model, language-independent, with notes in both languages).
    public func render(_ report: AnnualReport, as format: ReportFormat, language: ReportLanguage, links: [ReportLink] = []) throws -> String {
        if format == .json { return try Self.json(report) }
        var d = report.document(language)
        d.links = links
        return render(d, as: format)
    }

    /// The circular in `format` and `language`.
    public func render(_ circular: Circular, as format: ReportFormat, language: ReportLanguage, links: [ReportLink] = []) throws -> String {
        if format == .json { return try Self.json(circular) }
        var d = circular.document(language)
        d.links = links
        return render(d, as: format)
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// What the templates see: the document with its tables' rows wrapped (Mustache iterates arrays of structs) and its
/// paragraphs split into lines for Markdown.
struct DocumentView {
    struct Table {
        var caption: String
        var head: [ReportRow]
        var hasHead: Bool
        var body: [ReportRow]
        var columns: [String]
        var rows: [Row]
    }
    struct Row { var cells: [String] }
    struct Section {
        var heading: String
        var paragraphs: [String]
        var tables: [Table]
    }
    var lang: String
    var title: String
    var subtitle: String?
    var sections: [Section]
    var notesHeading: String
    var notes: [String]
    var hasNotes: Bool
    var landscape: Bool
    var links: [ReportLink]
    var hasLinks: Bool
    var linksLabel: String

    init(_ d: ReportDocument) {
        lang = d.languageTag
        title = d.title
        subtitle = d.subtitle
        sections = d.sections.map { s in
            Section(heading: s.heading, paragraphs: s.paragraphs.map { $0.replacingOccurrences(of: "\n", with: " ") },
                    tables: s.tables.map { Table(caption: $0.caption, head: $0.head, hasHead: !$0.head.isEmpty, body: $0.body, columns: $0.columns, rows: $0.rows.map { Row(cells: $0) }) })
        }
        notesHeading = d.notesHeading
        notes = d.notes
        hasNotes = !d.notes.isEmpty
        landscape = d.landscape
        links = d.links
        hasLinks = !d.links.isEmpty
        linksLabel = d.linksLabel
    }
}

/// Markdown escaping for `{{…}}` in templates with `{{% CONTENT_TYPE: MARKDOWN}}`: the characters that would start
/// markup or break a table cell are backslash-escaped; line breaks become spaces.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "~", "!": out.append("\\"); out.append(ch)
            case "\n", "\r": out.append(" ")
            default: out.append(ch)
            }
        }
        return out
    }

    static let registerOnce: Void = MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
}

/// CSV (RFC 4180, CRLF line ends, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese): for every
/// table of the document, a row with its caption, the flat column labels, the flat rows, then an empty row.
enum CSVWriter {
    static func write(_ document: ReportDocument) -> String {
        var lines: [String] = []
        for section in document.sections {
            for table in section.tables {
                lines.append(field(table.caption))
                lines.append(table.columns.map(field).joined(separator: ","))
                lines += table.rows.map { $0.map(field).joined(separator: ",") }
                lines.append("")
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A field, quoted when it holds a comma, a quote, a line break or leading/trailing space; quotes doubled. A field
    /// starting with `=`, `+`, `-` or `@` that is not a number is prefixed with `'` (no formula injection).
    static func field(_ text: String) -> String {
        var t = text
        if let first = t.first, "=+-@".contains(first), Double(t) == nil { t = "'" + t }
        if t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || t.hasPrefix(" ") || t.hasSuffix(" ") {
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return t
    }
}
