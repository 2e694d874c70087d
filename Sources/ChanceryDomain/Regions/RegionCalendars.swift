/// Which working-day calendar applies to a region.
///
/// Default rule: six-digit Chinese division codes use China's national calendar (`CN`, Asia/Shanghai);
/// seven-digit Canadian census subdivision codes beginning with `35` (Ontario) use `CA-ON`. Explicit
/// entries override the rule (a region with its own adjustments gets its own calendar).
public struct RegionCalendars: Sendable {
    private var calendars: [String: WorkingDayCalendar]
    private var explicit: [String: String]

    /// - Parameters:
    ///   - calendars: calendars by id (`CN`, `CA-ON`, …).
    ///   - explicit: region code → calendar id, taking precedence over the default rule.
    public init(calendars: [String: WorkingDayCalendar], explicit: [String: String] = [:]) {
        self.calendars = calendars
        self.explicit = explicit
    }

    /// The bundled calendars `CN` and `CA-ON`.
    /// - Throws: the calendar loading error when a bundled file is missing or malformed.
    public static func bundled() throws -> RegionCalendars {
        RegionCalendars(calendars: [
            "CN": try WorkingDayCalendar.bundled("CN"),
            "CA-ON": try WorkingDayCalendar.bundled("CA-ON"),
        ])
    }

    /// The calendar id for `region`: its explicit entry, else ``defaultCalendarID(for:)``; `nil` for a region
    /// no rule covers.
    public func calendarID(for region: String) -> String? {
        if let id = explicit[region] { return id }
        return Self.defaultCalendarID(for: region)
    }

    /// The calendar id the default rule gives `region`, or `nil` when Chancery knows no calendar for it (an
    /// unknown region): `CN` for a six-digit code whose first two digits are a province-level division of
    /// GB/T 2260 (11 Beijing … 65 Xinjiang, 71 Taiwan, 81 Hong Kong, 82 Macao); `CA-ON` for a seven-digit
    /// Statistics Canada census subdivision code in Ontario (SGC province code 35). Other provinces of Canada
    /// have no calendar configured.
    public static func defaultCalendarID(for region: String) -> String? {
        let digits = region.utf8
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if digits.count == 6, chineseProvinces.contains(String(region.prefix(2))) { return "CN" }
        if digits.count == 7, region.hasPrefix("35") { return "CA-ON" }
        return nil
    }

    /// Province-level division codes of GB/T 2260 (中华人民共和国行政区划代码).
    static let chineseProvinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ]

    /// The calendar of `region`, or `nil` when none is configured.
    public func calendar(for region: String) -> WorkingDayCalendar? {
        calendarID(for: region).flatMap { calendars[$0] }
    }
}
