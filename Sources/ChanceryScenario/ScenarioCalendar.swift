import ChanceryDomain

/// The generator's own rough working-day calendar for mainland China, 2025 (plus New Year 2026).
///
/// Only used to make the generated timelines realistic (events on working days, clocks that pause over the Spring
/// Festival and National Day). The read models count working days with the configured holiday calendar, never with
/// this table. Source: State Council General Office notice on the 2025 holiday arrangements (国办发明电〔2024〕12号).
enum ScenarioCalendar {
    /// Public holidays (放假).
    static let holidays: Set<Int> = {
        var days: [CivilDate] = []
        func span(_ y: Int, _ m: Int, _ d: Int, _ n: Int) {
            let start = CivilDate(year: y, month: m, day: d)
            for i in 0..<n { days.append(start.adding(days: i)) }
        }
        span(2025, 1, 1, 1)     // New Year 元旦
        span(2025, 1, 28, 8)    // Spring Festival 春节, 28 Jan – 4 Feb
        span(2025, 4, 4, 3)     // Qingming 清明节
        span(2025, 5, 1, 5)     // Labour Day 劳动节
        span(2025, 5, 31, 3)    // Dragon Boat 端午节
        span(2025, 10, 1, 8)    // National Day and Mid-Autumn 国庆节、中秋节, 1–8 Oct
        span(2026, 1, 1, 3)     // New Year 2026
        return Set(days.map(\.daysSinceEpoch))
    }()

    /// Weekend days that are working days (调休上班).
    static let adjustedWorkdays: Set<Int> = Set([
        CivilDate(year: 2025, month: 1, day: 26), CivilDate(year: 2025, month: 2, day: 8),
        CivilDate(year: 2025, month: 4, day: 27), CivilDate(year: 2025, month: 9, day: 28),
        CivilDate(year: 2025, month: 10, day: 11), CivilDate(year: 2026, month: 1, day: 4),
    ].map(\.daysSinceEpoch))

    static func isWorkday(_ d: CivilDate) -> Bool {
        let n = d.daysSinceEpoch
        if adjustedWorkdays.contains(n) { return true }
        if holidays.contains(n) { return false }
        return d.isoWeekday <= 5
    }

    /// The first working day on or after `d`.
    static func workday(onOrAfter d: CivilDate) -> CivilDate {
        var x = d
        while !isWorkday(x) { x = x.adding(days: 1) }
        return x
    }

    /// The `n`-th working day after `d` (`d` itself for 0): counting starts the day after.
    static func adding(workdays n: Int, to d: CivilDate) -> CivilDate {
        var x = d
        var left = n
        while left > 0 {
            x = x.adding(days: 1)
            if isWorkday(x) { left -= 1 }
        }
        return x
    }

    /// Working days after `from` up to and including `to` (0 when `to` ≤ `from`).
    static func workdays(after from: CivilDate, through to: CivilDate) -> Int {
        var n = 0
        var x = from
        while x < to {
            x = x.adding(days: 1)
            if isWorkday(x) { n += 1 }
        }
        return n
    }

    /// All working days in `first...last`.
    static func workdays(from first: CivilDate, through last: CivilDate) -> [CivilDate] {
        var out: [CivilDate] = []
        var x = first
        while x <= last {
            if isWorkday(x) { out.append(x) }
            x = x.adding(days: 1)
        }
        return out
    }
}
