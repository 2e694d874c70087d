import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// RFC 4180 CSV rendering of list rows: UTF-8, CRLF line ends, a header row, every field that holds a comma, a
/// double quote, CR or LF quoted with inner quotes doubled. `null` is an empty field, strings as they are, numbers and
/// booleans in their JSON spelling, arrays and objects as compact JSON text.
enum CSVText {
    /// The MIME type of the export (RFC 4180 §3 with the `header` parameter of RFC 7111's registration).
    static let contentType = "text/csv; charset=utf-8; header=present"

    /// One record: `fields` joined by commas, CRLF-terminated.
    static func record(_ fields: [String]) -> String {
        fields.map(escaped).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when RFC 4180 §2 requires it.
    static func escaped(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The text of a JSON value in a CSV field.
    static func field(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let s)?: s
        case .integer(let i)?: String(i)
        case .number(let d)?: d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b)?: b ? "true" : "false"
        case let other?: other.compactJSON
        }
    }
}

extension JSONValue {
    /// Compact JSON text with sorted keys.
    var compactJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        case .array(let a): return "[" + a.map(\.compactJSON).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { JSONValue.string($0).compactJSON + ":" + o[$0]!.compactJSON }.joined(separator: ",") + "}"
        }
    }
}
