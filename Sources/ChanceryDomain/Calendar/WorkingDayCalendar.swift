import Foundation

/// A region's working-day calendar, as data (GLOSSARY.md "working day" and
/// "The holiday calendar is data, keyed by date … versioned, with adjusted working
/// days; a later notice overrides an earlier one").
///
/// Rule (the same one `scripts/generate-calendars.py` checks against its source
/// packages for every day it writes): a civil date is a **working day** when
///
/// 1. it is listed in ``workingWeekends`` (调休: a weekend day made a working day by
///    the notice), or
/// 2. it is not listed in ``holidays`` and its ISO weekday is not in ``weekend``.
///
/// The lists are authoritative only inside ``coverage`` (the years whose notices the
/// data contains); outside it only the weekend rule applies, and entries outside the
/// coverage are ignored. A date listed in both lists is a holiday.
///
/// Sources of the bundled data (see `Resources/calendars/*.json`, field `source`):
/// - `CN`: State Council General Office holiday notices (国务院办公厅关于…部分节假日安排的通知),
///   via the `chinese-calendar` PyPI package; zone Asia/Shanghai (UTC+8, no DST since 1991).
/// - `CA-ON`: Ontario public holidays (Employment Standards Act, 2000, s. 1 "public holiday"),
///   via the `holidays` PyPI package; zone America/Toronto (with DST).
///
/// Queries are O(1) inside the precomputed range (a prefix sum of working days per
/// civil date over ``coverage``) and O(1) + O(7) outside it (whole weeks are counted
/// arithmetically). Load a calendar once and keep it: ``bundled(_:)`` parses JSON.
public struct WorkingDayCalendar: Sendable {
    /// Calendar id, e.g. `"CN"`, `"CA-ON"`, or the id of a configured file.
    public let id: String
    /// IANA time zone in which instants become civil dates, e.g. `"Asia/Shanghai"`.
    public let timeZoneIdentifier: String
    /// The dates for which ``holidays`` and ``workingWeekends`` are complete.
    public let coverage: ClosedRange<CivilDate>
    /// ISO weekdays (1 = Monday … 7 = Sunday) that are not working days unless adjusted.
    public let weekend: Set<Int>
    /// Non-working dates inside ``coverage``, with the holiday's name.
    public let holidays: [CivilDate: String]
    /// Dates inside ``coverage`` that are working days although their weekday is in
    /// ``weekend`` (调休), with the name of the holiday they compensate. In an override
    /// file a listed weekday cancels an earlier notice's holiday on that date.
    public let workingWeekends: [CivilDate: String]
    /// A fixed offset from UTC in seconds east (28,800 for Asia/Shanghai), or `nil` when
    /// the zone's rules (daylight saving) must be consulted for each instant.
    public let utcOffsetSeconds: Int?
    /// Human-readable name, from the file.
    public let name: String?
    /// Where the data comes from, e.g. `"chinese-calendar 1.11.0 (PyPI)"`.
    public let source: String?
    /// Data version, recorded by replays ("replays use the calendar as configured for that run").
    public let version: String?

    let timeZone: TimeZone
    let table: Table

    /// Builds a calendar from its lists. Entries outside `coverage` are dropped; a
    /// date in both `holidays` and `workingWeekends` stays a holiday only.
    ///
    /// - Precondition: `timeZoneIdentifier` names a zone known to Foundation, `weekend`
    ///   holds ISO weekdays 1…7 and is not all seven. (``load(contentsOf:)`` checks these
    ///   and throws ``CalendarError/malformed(_:)`` instead.)
    public init(
        id: String,
        timeZoneIdentifier: String,
        weekend: Set<Int>,
        holidays: [CivilDate: String],
        workingWeekends: [CivilDate: String],
        coverage: ClosedRange<CivilDate>,
        utcOffsetSeconds: Int? = nil,
        name: String? = nil,
        source: String? = nil,
        version: String? = nil
    ) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else {
            preconditionFailure("unknown time zone '\(timeZoneIdentifier)'")
        }
        precondition(weekend.allSatisfy { (1...7).contains($0) } && weekend.count < 7,
                     "weekend must be ISO weekdays 1...7, not all of them")
        self.id = id
        self.timeZoneIdentifier = timeZoneIdentifier
        self.timeZone = zone
        self.weekend = weekend
        self.coverage = coverage
        let hol = holidays.filter { coverage.contains($0.key) }
        self.holidays = hol
        self.workingWeekends = workingWeekends.filter { coverage.contains($0.key) && hol[$0.key] == nil }
        self.utcOffsetSeconds = utcOffsetSeconds
        self.name = name
        self.source = source
        self.version = version
        self.table = Table(coverage: coverage, weekend: weekend, holidays: self.holidays, workingWeekends: self.workingWeekends)
    }

    // MARK: Queries

    /// Whether `date` is a working day (see the type's rule); outside ``coverage`` the
    /// plain weekday rule.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        table.isWorkingDay(date.daysSinceEpoch)
    }

    /// The name of the holiday on `date` (inside ``coverage``), if any.
    public func holidayName(on date: CivilDate) -> String? { holidays[date] }

    /// The civil date of `instant` in the calendar's time zone (GLOSSARY.md: "the day of
    /// an event is its date in the region's time zone … never the UTC date"). The offset
    /// written in the timestamp's text is irrelevant: `2025-01-27T20:00:00Z` and
    /// `2025-01-28T04:00:00+08:00` are both 2025-01-28 in Asia/Shanghai.
    public func civilDate(of instant: RFC3339Timestamp) -> CivilDate {
        if let fixed = utcOffsetSeconds {
            return instant.civilDate(atOffsetSeconds: Int32(fixed))
        }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.epochSeconds)))
        return instant.civilDate(atOffsetSeconds: Int32(offset))
    }

    /// The number of working days in the half-open interval (`start`, `end`]: `start`
    /// itself never counts, `end` counts when it is a working day. Zero when
    /// `end <= start`. ("counting starts the day after acceptance", GLOSSARY.md.)
    public func workingDays(after start: CivilDate, through end: CivilDate) -> WorkingDays {
        let s = start.daysSinceEpoch, e = end.daysSinceEpoch
        guard e > s else { return .zero }
        return WorkingDays(table.cumulative(e) - table.cumulative(s))
    }

    /// The `n`-th working day after `start` (`start` itself is never counted): with
    /// `n = 1` the first working day after `start`. `n <= 0` gives `start`.
    /// Inverse of ``workingDays(after:through:)``: for `n >= 1` the result `d` is the
    /// earliest date with `workingDays(after: start, through: d) == n`, and is a working day.
    public func date(addingWorkingDays n: WorkingDays, after start: CivilDate) -> CivilDate {
        guard n.count > 0 else { return start }
        return CivilDate(daysSinceEpoch: table.firstDay(reaching: n.count, after: start.daysSinceEpoch))
    }
}

extension WorkingDayCalendar: CustomStringConvertible {
    /// `WorkingDayCalendar(CN, Asia/Shanghai, 2008-01-01...2026-12-31, chinese-calendar-1.11.0)`.
    public var description: String {
        "WorkingDayCalendar(\(id), \(timeZoneIdentifier), \(coverage.lowerBound)...\(coverage.upperBound), \(version ?? "unversioned"))"
    }
}

// MARK: - Precomputed table

extension WorkingDayCalendar {
    /// Prefix sums of working days over the coverage, plus the weekday rule outside it.
    /// Day numbers are `CivilDate.daysSinceEpoch`.
    struct Table: Sendable {
        /// First and last tabulated day (the coverage).
        let first: Int
        let last: Int
        /// `prefix[i]` = working days in [first, first + i); `prefix.count == last - first + 2`.
        let prefix: [Int32]
        /// Bit `w` set when ISO weekday `w` is a weekend day.
        let weekendMask: UInt8
        /// Working days in any 7 consecutive days under the weekday rule (≥ 1).
        let perWeek: Int

        init(coverage: ClosedRange<CivilDate>, weekend: Set<Int>, holidays: [CivilDate: String], workingWeekends: [CivilDate: String]) {
            var mask: UInt8 = 0
            for w in weekend { mask |= 1 << UInt8(w) }
            weekendMask = mask
            perWeek = 7 - weekend.count
            first = coverage.lowerBound.daysSinceEpoch
            last = coverage.upperBound.daysSinceEpoch
            let n = last - first + 1
            var working = [Bool](repeating: false, count: n)
            for i in 0..<n {
                working[i] = Self.plainWorking(first + i, mask: mask)
            }
            for d in holidays.keys { working[d.daysSinceEpoch - first] = false }
            for d in workingWeekends.keys { working[d.daysSinceEpoch - first] = true }
            var p = [Int32](repeating: 0, count: n + 1)
            for i in 0..<n { p[i + 1] = p[i] + (working[i] ? 1 : 0) }
            prefix = p
        }

        /// ISO weekday (1 = Monday … 7 = Sunday) of a day number; 1970-01-01 was a Thursday.
        @inline(__always)
        static func isoWeekday(_ day: Int) -> Int {
            let w = (day + 3) % 7
            return (w < 0 ? w + 7 : w) + 1
        }

        @inline(__always)
        static func plainWorking(_ day: Int, mask: UInt8) -> Bool {
            mask & (1 << UInt8(isoWeekday(day))) == 0
        }

        func isWorkingDay(_ day: Int) -> Bool {
            if day >= first && day <= last {
                let i = day - first
                return prefix[i + 1] != prefix[i]
            }
            return Self.plainWorking(day, mask: weekendMask)
        }

        /// Working days in [a, b] under the weekday rule alone; 0 when b < a.
        func plainCount(_ a: Int, _ b: Int) -> Int {
            guard b >= a else { return 0 }
            let n = b - a + 1
            var count = (n / 7) * perWeek
            var d = a + (n / 7) * 7
            while d <= b {
                if Self.plainWorking(d, mask: weekendMask) { count += 1 }
                d += 1
            }
            return count
        }

        /// A running count C with C(d) − C(s) = working days in (s, d] for any s ≤ d:
        /// working days in [first, day], extended by the weekday rule on both sides.
        func cumulative(_ day: Int) -> Int {
            if day > last { return Int(prefix[prefix.count - 1]) + plainCount(last + 1, day) }
            if day >= first { return Int(prefix[day - first + 1]) }
            return -plainCount(day + 1, first - 1)
        }

        /// The earliest day d > start with cumulative(d) − cumulative(start) == n (n ≥ 1).
        func firstDay(reaching n: Int, after start: Int) -> Int {
            let target = cumulative(start) + n
            var d = start
            // Before the table: weekday rule, unless the target lies in the table or beyond.
            if d < first - 1 {
                if cumulative(first - 1) >= target { return plainStep(from: d, remaining: target - cumulative(d)) }
                d = first - 1
            }
            // Inside the table: binary search the smallest i with prefix[i + 1] >= target.
            if d < last {
                if Int(prefix[prefix.count - 1]) >= target {
                    var lo = d - first + 1, hi = last - first  // candidate indices
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if Int(prefix[mid + 1]) >= target { hi = mid } else { lo = mid + 1 }
                    }
                    return first + lo
                }
                d = last
            }
            return plainStep(from: d, remaining: target - cumulative(d))
        }

        /// The day on which the `remaining`-th weekday-rule working day after `from` falls.
        private func plainStep(from: Int, remaining: Int) -> Int {
            var d = from, left = remaining
            let weeks = (left - 1) / perWeek
            d += weeks * 7
            left -= weeks * perWeek
            while left > 0 {
                d += 1
                if Self.plainWorking(d, mask: weekendMask) { left -= 1 }
            }
            return d
        }
    }
}
