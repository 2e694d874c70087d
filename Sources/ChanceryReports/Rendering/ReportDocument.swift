import Foundation

/// A report laid out for reading, in one language: headings, paragraphs and tables, independent of the output format.
/// The HTML and Markdown templates (`Templates/*.mustache`) and the CSV writer render it; reports build it
/// (``AnnualReport/document(_:)``, ``Circular/document(_:)``).
///
/// Each table exists twice: as printed (``ReportTable/head`` and ``ReportTable/body``, with merged cells, for HTML) and
/// flat (``ReportTable/columns`` and ``ReportTable/rows``, one label per column and row, for Markdown and CSV).
public struct ReportDocument: Sendable, Hashable {
    /// BCP 47 language of the text (`zh-CN`, `en`).
    public var languageTag: String
    /// The title (h1).
    public var title: String
    /// A line under the title (period, region), if any.
    public var subtitle: String?
    /// The sections in order.
    public var sections: [ReportSection]
    /// Heading of the notes (说明 / Notes).
    public var notesHeading: String
    /// The notes, in the document's language.
    public var notes: [String]
    /// Whether the HTML page prints in landscape (wide tables).
    public var landscape: Bool
    /// Links shown above the report in HTML (other language, other formats); set by the caller, not printed.
    public var links: [ReportLink] = []
    /// The label of the links' navigation landmark.
    public var linksLabel: String
}

/// A link of the HTML page's navigation.
public struct ReportLink: Sendable, Hashable {
    /// The link's text.
    public var label: String
    /// The target (a path with its query).
    public var href: String
    /// BCP 47 language of the page linked to, when it differs.
    public var hreflang: String?

    /// A link.
    public init(label: String, href: String, hreflang: String? = nil) {
        self.label = label
        self.href = href
        self.hreflang = hreflang
    }
}

/// A section: heading, paragraphs, tables.
public struct ReportSection: Sendable, Hashable {
    /// The heading (h2).
    public var heading: String
    /// Paragraphs of text.
    public var paragraphs: [String]
    /// Tables, after the paragraphs.
    public var tables: [ReportTable]

    /// A section.
    public init(heading: String, paragraphs: [String] = [], tables: [ReportTable] = []) {
        self.heading = heading
        self.paragraphs = paragraphs
        self.tables = tables
    }
}

/// A table, printed and flat.
public struct ReportTable: Sendable, Hashable {
    /// The caption.
    public var caption: String
    /// Header rows as printed (merged cells).
    public var head: [ReportRow]
    /// Body rows as printed (label cells are header cells).
    public var body: [ReportRow]
    /// Flat column labels (the first labels the row label column).
    public var columns: [String]
    /// Flat rows, one string per column.
    public var rows: [[String]]
}

/// A row of a printed table.
public struct ReportRow: Sendable, Hashable {
    /// The cells, left to right.
    public var cells: [ReportCell]
    /// Whether it is a totals row (bold).
    public var total: Bool

    /// A row.
    public init(_ cells: [ReportCell], total: Bool = false) {
        self.cells = cells
        self.total = total
    }
}

/// A cell of a printed table.
public struct ReportCell: Sendable, Hashable {
    /// The text shown (escaped by the renderer).
    public var text: String
    /// A header cell (`th`): column headers and row labels.
    public var header: Bool
    /// `col` for a column header, `row` for a row label, `colgroup` for a header over several columns; nil for data.
    public var scope: String?
    /// Merged columns and rows (nil for 1).
    public var colspan: Int?
    public var rowspan: Int?
    /// Right-aligned figures.
    public var numeric: Bool

    /// A data cell (right-aligned when it is a figure: a number, a percentage or "—").
    public static func data(_ text: String) -> ReportCell {
        ReportCell(text: text, header: false, scope: nil, colspan: nil, rowspan: nil, numeric: isFigure(text))
    }

    /// A data cell spanning `columns`.
    public static func data(_ text: String, columns: Int) -> ReportCell {
        ReportCell(text: text, header: false, scope: nil, colspan: columns > 1 ? columns : nil, rowspan: nil, numeric: isFigure(text))
    }

    static func isFigure(_ text: String) -> Bool {
        text == Figure.unknown || Double(text.hasSuffix("%") ? String(text.dropLast()) : text) != nil
    }

    /// A column header.
    public static func column(_ text: String, columns: Int = 1, rows: Int = 1) -> ReportCell {
        ReportCell(text: text, header: true, scope: columns > 1 ? "colgroup" : "col", colspan: columns > 1 ? columns : nil, rowspan: rows > 1 ? rows : nil,
                   numeric: false)
    }

    /// A row label.
    public static func row(_ text: String, columns: Int = 1, rows: Int = 1) -> ReportCell {
        ReportCell(text: text, header: true, scope: rows > 1 ? "rowgroup" : "row", colspan: columns > 1 ? columns : nil, rowspan: rows > 1 ? rows : nil,
                   numeric: false)
    }
}

/// How figures are printed: "—" for an unknown figure.
enum Figure {
    static let unknown = "—"

    static func count(_ n: Int?) -> String { n.map(String.init) ?? unknown }

    /// A fraction as a percentage with 2 decimals, e.g. `0.9512` → `95.12%`.
    static func percent(_ r: Double?) -> String {
        guard let r else { return unknown }
        let hundredths = Int((r * 10_000).rounded())
        return "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))%"
    }

    /// An amount with up to 4 decimals, trailing zeros dropped (万元 amounts).
    static func amount(_ x: Double?) -> String {
        guard let x else { return unknown }
        var s = String(format: "%.4f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// An index with 2 decimals.
    static func index(_ x: Double?) -> String {
        guard let x else { return unknown }
        return String(format: "%.2f", x)
    }

    /// Paragraphs of a text: split at blank lines; "—" with `missing` when absent or blank.
    static func paragraphs(_ text: String?, missing: String) -> [String] {
        let paragraphs = (text ?? "").components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return paragraphs.isEmpty ? [missing] : paragraphs
    }
}
