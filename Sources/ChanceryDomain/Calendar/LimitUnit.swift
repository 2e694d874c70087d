/// How the days of a time limit are counted (时限计算单位).
///
/// Encoded as `"working-days"` or `"calendar-days"`, the strings of the `promisedLimitUnit`
/// field of CaseAccepted v2. Statutory limits of administrative licensing are always in
/// working days (行政许可法 第八十二条: 期限以工作日计算，不含法定节假日); a department may
/// promise in calendar days (自然日).
public enum LimitUnit: String, Sendable, Hashable, Codable, CaseIterable {
    /// Working days (工作日) of the region's ``WorkingDayCalendar``: weekends and public
    /// holidays do not count, adjusted working days (调休) do. The default.
    case workingDays = "working-days"
    /// Calendar days (自然日): every calendar day counts, holidays included. A limit that
    /// ends on a holiday is not moved to the next working day.
    case calendarDays = "calendar-days"
}

/// Counts days of one unit over a calendar: the half-open interval (`start`, `end`], and
/// its inverse. The arithmetic shared by every clock.
struct DayCounting: Sendable {
    let unit: LimitUnit
    let calendar: WorkingDayCalendar

    /// Days of the unit in (`start`, `end`]; 0 when `end <= start`.
    func count(after start: CivilDate, through end: CivilDate) -> Int {
        guard end > start else { return 0 }
        switch unit {
        case .workingDays: return calendar.workingDays(after: start, through: end).count
        case .calendarDays: return end.daysSinceEpoch - start.daysSinceEpoch
        }
    }

    /// The earliest date `d` with `count(after: start, through: d) == n`; `start` when `n <= 0`.
    func date(adding n: Int, after start: CivilDate) -> CivilDate {
        guard n > 0 else { return start }
        switch unit {
        case .workingDays: return calendar.date(addingWorkingDays: WorkingDays(n), after: start)
        case .calendarDays: return start.adding(days: n)
        }
    }
}
