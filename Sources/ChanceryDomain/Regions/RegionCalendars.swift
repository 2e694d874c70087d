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

    /// The calendar id for `region` by the rule above; `nil` for a region no rule covers.
    public func calendarID(for region: String) -> String? {
        if let id = explicit[region] { return id }
        if region.utf8.count == 6 { return "CN" }
        if region.utf8.count == 7, region.hasPrefix("35") { return "CA-ON" }
        return nil
    }

    /// The calendar of `region`, or `nil` when none is configured.
    public func calendar(for region: String) -> WorkingDayCalendar? {
        calendarID(for: region).flatMap { calendars[$0] }
    }
}
