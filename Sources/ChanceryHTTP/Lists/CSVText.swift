import Foundation

/// RFC 4180 CSV rendering of list rows: UTF-8, CRLF line ends, a header row, every field that holds a comma, a
/// double quote, CR or LF quoted with inner quotes doubled. A SQL NULL is an empty field; other values are the text of
/// their JSON value (strings as they are, numbers and booleans in their JSON spelling, dates and times as in the JSON
/// answer).
enum CSVText {
    /// The media type of the export (RFC 4180 §3, with its optional `charset` and `header` parameters).
    static let contentType = "text/csv; charset=utf-8; header=present"

    /// One record: `fields` joined by commas, CRLF-terminated.
    static func record(_ fields: [String]) -> String {
        fields.map(escaped).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when RFC 4180 §2 requires it (a comma, a double quote, CR or LF).
    static func escaped(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
