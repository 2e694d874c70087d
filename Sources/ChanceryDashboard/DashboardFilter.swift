import ChanceryDomain

/// What every page is about, from the query string: `region` (a division code), `from` and `to` (months `YYYY-MM`,
/// both included) and `lang` (`en` for English). Missing values default to the busiest region and the calendar year of
/// its latest acceptance. Links keep all four (``query``).
struct DashboardFilter: Sendable {
    var region: String
    var from: String
    var to: String
    var language: DashboardLanguage

    /// First day of ``from``, `YYYY-MM-01`.
    var fromDay: String { from + "-01" }
    /// First day of ``to``, `YYYY-MM-01`.
    var toDay: String { to + "-01" }

    /// The query string that keeps this filter (HTML-escaped by the templates), e.g. `region=430424&from=2025-01&to=2025-12&lang=en`.
    var query: String {
        "region=\(region)&from=\(from)&to=\(to)" + (language == .en ? "&lang=en" : "")
    }

    /// The quarters (`YYYY-Qn`) that the period touches, latest first.
    var quarters: [String] {
        guard let fy = Int(from.prefix(4)), let fm = Int(from.suffix(2)), let ty = Int(to.prefix(4)), let tm = Int(to.suffix(2)) else { return [] }
        var out: [String] = []
        var y = ty, q = (tm - 1) / 3 + 1
        let firstQ = (fm - 1) / 3 + 1
        while y > fy || (y == fy && q >= firstQ) {
            out.append("\(y)-Q\(q)")
            q -= 1
            if q == 0 { q = 4; y -= 1 }
            if out.count > 40 { break }
        }
        return out
    }

    /// Parses the filter; `regions` are the known regions, the busiest first, with the month of their latest acceptance.
    /// - Throws: ``DashboardInputError`` (in `language`) for a malformed region or month, or `from` after `to`.
    static func parse(region: String?, from: String?, to: String?, lang: String?, regions: [[String: Any]]) throws -> DashboardFilter {
        let language = DashboardLanguage(query: lang)
        let chosen: String
        if let region, !region.isEmpty {
            guard Region(region) != nil else {
                throw DashboardInputError(language == .en ? "region must be a six-digit (China) or seven-digit (Canada) division code, not “\(region)”"
                                                          : "行政区划代码应为六位（中国）或七位（加拿大）数字，而不是“\(region)”")
            }
            chosen = region
        } else {
            chosen = regions.first.flatMap { Rows.string($0, "region") } ?? "430424"
        }
        let last = regions.first(where: { Rows.string($0, "region") == chosen }).flatMap { Rows.string($0, "lastMonth") }
        let year = last.map { String($0.prefix(4)) } ?? "2025"
        let f = try month(from, language, "from") ?? "\(year)-01"
        let t = try month(to, language, "to") ?? "\(year)-12"
        guard f <= t else {
            throw DashboardInputError(language == .en ? "the first month (\(f)) is after the last (\(t))" : "起始月份（\(f)）晚于截止月份（\(t)）")
        }
        return DashboardFilter(region: chosen, from: f, to: t, language: language)
    }

    private static func month(_ value: String?, _ language: DashboardLanguage, _ name: String) throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let m = Int(parts[1]), (1...12).contains(m) else {
            throw DashboardInputError(language == .en ? "\(name) must be a month YYYY-MM, not “\(value)”" : "月份应为 YYYY-MM 格式，而不是“\(value)”")
        }
        return value
    }
}

/// Bad input to a dashboard page: the message, in the user's language, shown on a 400 page.
struct DashboardInputError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
