import ChanceryDomain
import Foundation

extension LegacyImport {
    /// A template split into literal text and placeholders (`{COLUMN}`, `{$item}`, `{$stream}`, `{$row}`).
    struct Template {
        enum Part { case text(String), column(Int, String), variable(String) }
        var parts: [Part]

        /// - Throws: ``LegacyImportError`` for an unclosed `{`, an unknown `{$…}` variable (or one not in
        ///   `variables`) or a column the export lacks.
        init(_ text: String, columns: [String], variables: Set<String> = ["$item", "$stream", "$row"]) throws(LegacyImportError) {
            parts = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
                guard let close = rest[open...].firstIndex(of: "}") else { throw LegacyImportError("unclosed '{' in template '\(text)'") }
                let name = String(rest[rest.index(after: open)..<close])
                if name.hasPrefix("$") {
                    guard variables.contains(name) else { throw LegacyImportError("variable {\(name)} cannot be used in '\(text)'") }
                    parts.append(.variable(name))
                } else {
                    guard let index = columns.firstIndex(of: name) else { throw LegacyImportError("template '\(text)' names column '\(name)', which the export lacks") }
                    parts.append(.column(index, name))
                }
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { parts.append(.text(String(rest))) }
        }

        /// How many column placeholders the template has (a column named twice counts twice).
        var columnCount: Int {
            var n = 0
            for part in parts { if case .column = part { n += 1 } }
            return n
        }

        /// The rendered text and the names of the columns that were empty.
        func render(_ values: [String], variables: [String: String]) -> (String, [String]) {
            var out = ""
            var empty: [String] = []
            for part in parts {
                switch part {
                case .text(let t): out += t
                case .column(let i, let name):
                    let v = i < values.count ? values[i] : ""
                    if v.isEmpty { empty.append(name) }
                    out += v
                case .variable(let name): out += variables[name] ?? ""
                }
            }
            return (out, empty)
        }
    }

    /// A date or date-time format: fields (`YYYY`, `MM`, `DD`, `hh`, `mm`, `ss`) and literal characters.
    struct DateFormat {
        enum Token { case year, month, day, hour, minute, second, literal(Character) }
        var tokens: [Token]
        /// Whether values carry a time of day (`hh` and `mm`).
        var hasTime: Bool

        /// - Throws: ``LegacyImportError`` when a field is missing or repeated, or a time field lacks `hh` and `mm`.
        init(_ format: String) throws(LegacyImportError) {
            var found: [Token] = []
            let chars = Array(format)
            var i = 0
            func at(_ s: String) -> Bool { Array(s) == Array(chars[i..<min(chars.count, i + s.count)]) }
            while i < chars.count {
                if at("YYYY") { found.append(.year); i += 4 }
                else if at("MM") { found.append(.month); i += 2 }
                else if at("DD") { found.append(.day); i += 2 }
                else if at("hh") { found.append(.hour); i += 2 }
                else if at("mm") { found.append(.minute); i += 2 }
                else if at("ss") { found.append(.second); i += 2 }
                else { found.append(.literal(chars[i])); i += 1 }
            }
            var counts: [String: Int] = [:]
            for token in found {
                switch token {
                case .year: counts["Y", default: 0] += 1
                case .month: counts["M", default: 0] += 1
                case .day: counts["D", default: 0] += 1
                case .hour: counts["h", default: 0] += 1
                case .minute: counts["m", default: 0] += 1
                case .second: counts["s", default: 0] += 1
                case .literal: break
                }
            }
            let (hours, minutes, seconds) = (counts["h"] ?? 0, counts["m"] ?? 0, counts["s"] ?? 0)
            guard counts["Y"] == 1, counts["M"] == 1, counts["D"] == 1 else { throw LegacyImportError("date format '\(format)' needs YYYY, MM and DD once each") }
            guard hours <= 1, minutes <= 1, seconds <= 1, hours == minutes, seconds <= hours else {
                throw LegacyImportError("date format '\(format)': a time of day is hh and mm, optionally ss, once each")
            }
            tokens = found
            hasTime = hours == 1
        }

        /// The civil date and, for a date-time format, the seconds after local midnight; `nil` when `text` does not
        /// match or names no real date or time.
        func parse(_ text: String) -> (date: CivilDate, seconds: Int?)? {
            let chars = Array(text)
            var i = 0, y = 0, m = 0, d = 0, h = 0, mi = 0, s = 0
            func digits(_ n: Int) -> Int? {
                guard i + n <= chars.count else { return nil }
                var v = 0
                for c in chars[i..<(i + n)] {
                    guard c.isASCII, let digit = c.wholeNumberValue else { return nil }
                    v = v * 10 + digit
                }
                i += n
                return v
            }
            for token in tokens {
                switch token {
                case .year: guard let v = digits(4) else { return nil }; y = v
                case .month: guard let v = digits(2) else { return nil }; m = v
                case .day: guard let v = digits(2) else { return nil }; d = v
                case .hour: guard let v = digits(2) else { return nil }; h = v
                case .minute: guard let v = digits(2) else { return nil }; mi = v
                case .second: guard let v = digits(2) else { return nil }; s = v
                case .literal(let c): guard i < chars.count, chars[i] == c else { return nil }; i += 1
                }
            }
            guard i == chars.count, (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y),
                  (0...23).contains(h), (0...59).contains(mi), (0...59).contains(s) else { return nil }
            return (CivilDate(year: y, month: m, day: d), hasTime ? h * 3600 + mi * 60 + s : nil)
        }
    }

    /// Local times in the mapping's zone, with the offset of that day (daylight saving included).
    final class Clock {
        let zone: TimeZone
        var calendar: Calendar
        var cache: [Int: (String, Int64)] = [:]

        init(zone: TimeZone) {
            self.zone = zone
            calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
        }

        /// RFC 3339 text and epoch seconds of `date` at `seconds` after local midnight (0 ..< 86,400).
        func time(_ date: CivilDate, seconds: Int) -> (String, Int64) {
            let key = date.daysSinceEpoch * 86_400 + seconds
            if let hit = cache[key] { return hit }
            let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
            let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: h, minute: m, second: s)
            let instant = calendar.date(from: components) ?? Date(timeIntervalSince1970: Double(date.daysSinceEpoch * 86_400))
            let offset = zone.secondsFromGMT(for: instant)
            func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
            let sign = offset < 0 ? "-" : "+"
            let text = "\(date)T\(pad(h)):\(pad(m)):\(pad(s))\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
            let epoch = Int64(date.daysSinceEpoch) * 86_400 + Int64(seconds - offset)
            let value = (text, epoch)
            cache[key] = value
            return value
        }
    }

    /// Minutes after midnight of `HH:MM`, or `nil`.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }
}
