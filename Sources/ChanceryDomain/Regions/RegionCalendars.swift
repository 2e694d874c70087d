/// Which working-day calendar applies to a region.
///
/// Default rule: six-digit Chinese division codes use China's national calendar (`CN`, Asia/Shanghai);
/// seven-digit Canadian census subdivision codes beginning with `35` (Ontario) use `CA-ON`. Explicit
/// entries override the rule (a region with its own adjustments gets its own calendar).
///
/// **Regional overrides.** A region may add its own days on top of its calendar — an autonomous
/// region's ethnic festival (e.g. Guangxi's 三月三), a county's local adjustment — as a calendar
/// file of the same shape (``WorkingDayCalendar/load(contentsOf:)``) listing only those dates. An
/// override is keyed by a division code and applies, by the codes' hierarchy, to the code itself
/// and to every region below it: `450000` (a province, `xx0000`) to all `45xxxx`, `430400` (a
/// prefecture, `xxxx00`) to all `4304xx`, `430424` to that county only. A region gets its base
/// calendar, then the province's, the prefecture's and its own override applied in that order
/// with ``WorkingDayCalendar/overriding(with:)`` (a later, more local notice wins per date). Codes of
/// other shapes match exactly.
public struct RegionCalendars: Sendable {
    private var calendars: [String: WorkingDayCalendar]
    private var explicit: [String: String]
    /// Override key → the base calendar with every covering override applied.
    private var layered: [String: WorkingDayCalendar]

    /// - Parameters:
    ///   - calendars: calendars by id (`CN`, `CA-ON`, …).
    ///   - explicit: region code → calendar id, taking precedence over the default rule.
    ///   - overrides: division code → the region's own holidays and working days (see above).
    ///     An override whose code has no base calendar is ignored.
    public init(calendars: [String: WorkingDayCalendar], explicit: [String: String] = [:], overrides: [String: WorkingDayCalendar] = [:]) {
        self.calendars = calendars
        self.explicit = explicit
        var layered: [String: WorkingDayCalendar] = [:]
        for key in overrides.keys {
            guard let id = Self.calendarID(for: key, explicit: explicit), var merged = calendars[id] else { continue }
            for level in Self.covering(key).reversed() {
                if let layer = overrides[level] { merged = merged.overriding(with: layer) }
            }
            layered[key] = merged
        }
        self.layered = layered
    }

    /// The bundled calendars `CN` and `CA-ON`, with `overrides` layered as described above.
    /// - Throws: the calendar loading error when a bundled file is missing or malformed.
    public static func bundled(overrides: [String: WorkingDayCalendar] = [:]) throws -> RegionCalendars {
        RegionCalendars(calendars: [
            "CN": try WorkingDayCalendar.bundled("CN"),
            "CA-ON": try WorkingDayCalendar.bundled("CA-ON"),
        ], overrides: overrides)
    }

    /// The IANA time zone `region`'s days are counted in: its calendar's (Asia/Shanghai for China, America/Toronto for
    /// Ontario), or `UTC` for a region no calendar covers — the rule by which the consumers date an event's day.
    public func timeZoneIdentifier(for region: String) -> String {
        calendar(for: region)?.timeZoneIdentifier ?? "UTC"
    }

    /// ``timeZoneIdentifier(for:)`` as a SQL expression over `column` (text holding region codes), for a query that spans
    /// regions: a `CASE` of the explicit entries, then the default rule's code shapes (``defaultCalendarID(for:)``),
    /// else `'UTC'`. `column` is inserted as written: pass a column name, never input.
    public func timeZoneSQL(regionColumn column: String) -> String {
        func literal(_ text: String) -> String { "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" }
        var cases: [String] = []
        for (region, id) in explicit.sorted(by: { $0.key < $1.key }) {
            cases.append("WHEN \(column) = \(literal(region)) THEN \(literal(calendars[id]?.timeZoneIdentifier ?? "UTC"))")
        }
        if let cn = calendars["CN"] {
            cases.append("WHEN \(column) ~ '^(\(Self.chineseProvinces.sorted().joined(separator: "|")))[0-9]{4}$' THEN \(literal(cn.timeZoneIdentifier))")
        }
        if let on = calendars["CA-ON"] {
            cases.append("WHEN \(column) ~ '^35[0-9]{5}$' THEN \(literal(on.timeZoneIdentifier))")
        }
        return "(CASE \(cases.joined(separator: " ")) ELSE 'UTC' END)"
    }

    /// The bundled calendars (``bundled(overrides:)``, the ones the server counts with), loaded once; no calendar at
    /// all when the bundled files cannot be read (every region is then counted in UTC and has no working days).
    public static let shared: RegionCalendars = (try? bundled()) ?? RegionCalendars(calendars: [:])

    /// The calendar id for `region`: its explicit entry, else ``defaultCalendarID(for:)``; `nil` for a region
    /// no rule covers.
    public func calendarID(for region: String) -> String? {
        Self.calendarID(for: region, explicit: explicit)
    }

    /// The calendar of `region` (with its overrides), or `nil` when none is configured.
    public func calendar(for region: String) -> WorkingDayCalendar? {
        for key in Self.covering(region) {
            if let c = layered[key] { return c }
        }
        return calendarID(for: region).flatMap { calendars[$0] }
    }

    private static func calendarID(for region: String, explicit: [String: String]) -> String? {
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

    /// The codes whose override applies to `region`, most local first: the code itself, its
    /// prefecture (`xxxx00`) and its province (`xx0000`) for a six-digit code.
    static func covering(_ region: String) -> [String] {
        guard region.utf8.count == 6, region.allSatisfy(\.isASCII) else { return [region] }
        var out = [region]
        for prefix in [4, 2] {
            let code = String(region.prefix(prefix)) + String(repeating: "0", count: 6 - prefix)
            if !out.contains(code) { out.append(code) }
        }
        return out
    }
}
