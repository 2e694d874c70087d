import Foundation

/// Reading the JSON rows PostgreSQL builds (`json_agg`) for templates: decoding, dotted-path lookup, and display
/// formats (rates as percentages, missing values as a dash).
enum Rows {
    /// The array of objects in `text`, or `member` of the object in `text`; empty when it is neither.
    static func decode(_ text: String, member: String? = nil) -> [[String: Any]] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return [] }
        if let member { return ((value as? [String: Any])?[member] as? [[String: Any]]) ?? [] }
        return value as? [[String: Any]] ?? []
    }

    /// The value at `path` (`a.b.c`) of `row`, nil when absent or JSON null.
    static func value(_ row: [String: Any], _ path: String) -> Any? {
        var current: Any? = row
        for key in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(key)]
        }
        return current is NSNull ? nil : current
    }

    static func string(_ row: [String: Any], _ path: String) -> String? {
        guard let v = value(row, path) else { return nil }
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return "\(v)"
    }

    static func double(_ row: [String: Any], _ path: String) -> Double? {
        guard let v = value(row, path) else { return nil }
        if let n = v as? NSNumber { return n.doubleValue }
        if let s = v as? String { return Double(s) }
        return nil
    }

    static func int(_ row: [String: Any], _ path: String) -> Int { Int(double(row, path) ?? 0) }

    /// A fraction as a percentage with one decimal (`0.8125` → `81.3 %`), or `—`.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.1f %%", value * 100)
    }

    /// A number without trailing zeros (`12.50` → `12.5`), or `—`.
    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value == value.rounded() { return String(Int(value)) }
        return String(format: "%.2f", value)
    }
}
