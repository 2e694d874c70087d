import CSV
import ChanceryDomain
import Foundation

/// The file format of a legacy export.
public enum LegacyImportFormat: String, Sendable, Hashable, CaseIterable {
    /// RFC 4180 CSV with a header row (a UTF-8 byte-order mark is stripped, fields are trimmed).
    case csv
    /// JSON Lines: one JSON object per line, its members the columns.
    case jsonl

    /// The format a file's extension names: `.csv` → ``csv``; `.jsonl` or `.ndjson` → ``jsonl``; otherwise `nil`.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson": self = .jsonl
        default: return nil
        }
    }
}

/// The records of an export, as trimmed text per column, before any mapping.
///
/// Rows are numbered from 1: in a CSV the first record after the header (line `row + 1` of a file without line
/// breaks inside quoted fields); in JSONL the line number.
struct LegacyRecords {
    /// Column names: the CSV header, or every member name that some JSONL object has, in order of first appearance.
    var columns: [String]
    /// Each record's values, aligned with ``columns`` (`""` for a missing or `null` member).
    var rows: [(row: Int, values: [String])]
    /// Lines that are not records (malformed JSON, not an object, a nested value), with the reason.
    var rejected: [(row: Int, reason: String)]

    /// Reads `text` in `format`.
    /// - Throws: ``LegacyImportError`` when the file as a whole cannot be read: a CSV without a header row or with
    ///   broken quoting, a JSONL file with no object at all.
    static func read(_ text: String, format: LegacyImportFormat) throws(LegacyImportError) -> LegacyRecords {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        switch format {
        case .csv: return try csv(String(body))
        case .jsonl: return try jsonl(body)
        }
    }

    static func csv(_ text: String) throws(LegacyImportError) -> LegacyRecords {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            throw LegacyImportError("the CSV cannot be read: \(error)")
        }
        guard let rawHeader = reader.headerRow else { throw LegacyImportError("the CSV has no header row") }
        var records = LegacyRecords(columns: rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }, rows: [], rejected: [])
        var row = 0
        while let fields = reader.next() {
            row += 1
            records.rows.append((row, fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }))
        }
        if let error = reader.error { throw LegacyImportError("the CSV cannot be read after row \(row): \(error)") }
        return records
    }

    static func jsonl(_ text: Substring) throws(LegacyImportError) -> LegacyRecords {
        var columns: [String] = []
        var index: [String: Int] = [:]
        var objects: [(row: Int, members: [(String, String)])] = []
        var rejected: [(row: Int, reason: String)] = []
        var blank: [Int] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on it as well as on "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) {
                blank.append(lineNumber)
                continue
            }
            let members: [OrderedJSON.Member]
            do {
                let json = try OrderedJSON(parsing: String(line))
                guard let m = json.members else {
                    rejected.append((lineNumber, "line \(lineNumber) is a JSON \(kind(json)), not an object"))
                    continue
                }
                members = m
            } catch {
                rejected.append((lineNumber, "line \(lineNumber) is not valid JSON: \(error.description)"))
                continue
            }
            var values: [(String, String)] = []
            var problem: String?
            for member in members {
                guard let text = scalarText(member.value) else {
                    problem = "line \(lineNumber): member '\(member.key)' is a JSON \(kind(member.value)), not a value"
                    break
                }
                if values.contains(where: { $0.0 == member.key }) {
                    problem = "line \(lineNumber): member '\(member.key)' appears twice"
                    break
                }
                values.append((member.key, text.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            if let problem {
                rejected.append((lineNumber, problem))
                continue
            }
            for (key, _) in values where index[key] == nil {
                index[key] = columns.count
                columns.append(key)
            }
            objects.append((lineNumber, values))
        }
        // A final line break leaves one empty last "line": not a blank record.
        if blank.last == lineNumber, text.isEmpty || text.last == "\n" || text.last == "\r\n" { blank.removeLast() }
        guard !objects.isEmpty else {
            if let first = rejected.first { throw LegacyImportError("the JSONL file holds no JSON object (\(first.reason))") }
            throw LegacyImportError("the JSONL file holds no records")
        }
        var rows: [(row: Int, values: [String])] = blank.map { ($0, Array(repeating: "", count: columns.count)) }
        for object in objects {
            var values = Array(repeating: "", count: columns.count)
            for (key, text) in object.members { values[index[key]!] = text }
            rows.append((object.row, values))
        }
        rows.sort { $0.row < $1.row }
        return LegacyRecords(columns: columns, rows: rows, rejected: rejected)
    }

    /// The text of a scalar member: strings as they are, numbers and booleans as written in JSON, `null` empty;
    /// `nil` for arrays and objects.
    static func scalarText(_ value: OrderedJSON) -> String? {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .number(let d): d.rounded() == d && abs(d) < 9.0e15 ? String(Int64(d)) : String(d)
        case .string(let s): s
        case .array, .object: nil
        }
    }

    static func kind(_ value: OrderedJSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
