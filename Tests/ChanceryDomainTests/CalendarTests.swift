import ChanceryDomain
import Foundation
import Testing

// Expectations are hand-computed from the State Council holiday notices
// (国务院办公厅关于2024年/2025年部分节假日安排的通知) and checked against the
// generated Resources/calendars/CN.json (chinese-calendar 1.11.0).

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

private let ontario: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CA-ON") } catch { fatalError("\(error)") }
}()

/// Day-by-day reference count for cross-checking the prefix sums.
private func naiveCount(_ calendar: WorkingDayCalendar, after start: CivilDate, through end: CivilDate) -> Int {
    var n = 0
    var d = start.adding(days: 1)
    while d <= end {
        if calendar.isWorkingDay(d) { n += 1 }
        d = d.adding(days: 1)
    }
    return n
}

@Suite("Bundled calendars")
struct BundledCalendarTests {
    @Test func chinaCalendarMetadata() throws {
        // given the bundled CN calendar
        // then its zone, weekend and coverage are those of the generated file
        #expect(cn.id == "CN")
        #expect(cn.timeZoneIdentifier == "Asia/Shanghai")
        #expect(cn.utcOffsetSeconds == 28_800)
        #expect(cn.weekend == [6, 7])
        #expect(cn.coverage == day("2008-01-01")...day("2026-12-31"))
        #expect(cn.source?.contains("chinese-calendar") == true)
        #expect(cn.version == "chinese-calendar-1.11.0")
    }

    @Test func unknownCalendarThrows() {
        // when asking for a calendar that is not bundled
        // then unknownCalendar is thrown
        #expect(throws: CalendarError.unknownCalendar("XX")) { try WorkingDayCalendar.bundled("XX") }
        #expect(throws: CalendarError.unknownCalendar("../CN")) { try WorkingDayCalendar.bundled("../CN") }
    }

    @Test(arguments: [
        // 2024 Spring Festival: 02-10 … 02-17 off; Sundays 02-04 and 02-18 worked; 除夕 02-09 is a working day.
        ("2024-02-04", true), ("2024-02-09", true), ("2024-02-10", false), ("2024-02-12", false),
        ("2024-02-16", false), ("2024-02-17", false), ("2024-02-18", true), ("2024-02-19", true),
        ("2024-02-03", false),
        // 2024 National Day: 10-01 … 10-07 off; Sunday 09-29 and Saturday 10-12 worked.
        ("2024-09-29", true), ("2024-09-30", true), ("2024-10-01", false), ("2024-10-04", false),
        ("2024-10-07", false), ("2024-10-08", true), ("2024-10-12", true), ("2024-10-13", false),
        // 2025 Spring Festival: 01-28 … 02-04 off; Sunday 01-26 and Saturday 02-08 worked.
        ("2025-01-26", true), ("2025-01-27", true), ("2025-01-28", false), ("2025-01-31", false),
        ("2025-02-04", false), ("2025-02-05", true), ("2025-02-08", true), ("2025-02-09", false),
        // 2025 National Day + Mid-autumn: 10-01 … 10-08 off; Sunday 09-28 and Saturday 10-11 worked.
        ("2025-09-27", false), ("2025-09-28", true), ("2025-09-30", true), ("2025-10-01", false),
        ("2025-10-06", false), ("2025-10-08", false), ("2025-10-09", true), ("2025-10-11", true),
        ("2025-10-12", false),
        // Ordinary days and other holidays.
        ("2025-01-01", false), ("2025-05-01", false), ("2025-04-27", true), ("2025-03-12", true),
        ("2025-03-15", false), ("2025-03-16", false),
    ])
    func chinaWorkingDays(date: String, working: Bool) {
        #expect(cn.isWorkingDay(day(date)) == working, "\(date)")
    }

    @Test func chinaHolidayNames() {
        #expect(cn.holidayName(on: day("2025-01-28")) == "Spring Festival")
        #expect(cn.holidayName(on: day("2024-10-01")) == "National Day")
        #expect(cn.holidayName(on: day("2025-03-12")) == nil)
        #expect(cn.workingWeekends[day("2025-01-26")] == "Spring Festival")
        #expect(cn.workingWeekends[day("2025-10-11")] == "National Day")
    }

    @Test func everyAdjustedWorkingDayIsAWeekendDayAndNotAHoliday() {
        // given the CN data
        // then every adjusted working day (调休) is a Saturday or Sunday and not also a holiday
        #expect(cn.workingWeekends.count > 100)
        for (date, _) in cn.workingWeekends {
            #expect([6, 7].contains(date.isoWeekday), "\(date)")
            #expect(cn.holidays[date] == nil, "\(date)")
        }
    }

    @Test func everyCoveredDayFollowsTheWeekdayHolidayRule() {
        // given the CN data 2008-01-01 … 2026-12-31
        // then each day is working iff (an adjusted working weekend) or (Mon–Fri and not a holiday)
        var d = cn.coverage.lowerBound
        var checked = 0
        while d <= cn.coverage.upperBound {
            let expected = cn.workingWeekends[d] != nil || (d.isoWeekday <= 5 && cn.holidays[d] == nil)
            if cn.isWorkingDay(d) != expected { Issue.record("rule disagrees on \(d)") }
            checked += 1
            d = d.adding(days: 1)
        }
        #expect(checked == 6_940)  // 19 years, 5 of them leap years (2008, 12, 16, 20, 24)
    }

    @Test func fixedHolidaysAreOffEveryYear() {
        // New Year's Day, Labour Day and the first three days of October are statutory
        // holidays (全国年节及纪念日放假办法, art. 2) in every covered year.
        for year in 2008...2026 {
            for (m, dd) in [(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)] {
                let date = CivilDate(year: year, month: m, day: dd)
                #expect(!cn.isWorkingDay(date), "\(date)")
            }
        }
    }

    @Test func workingDaysPerYearArePlausibleAndMatchThePackage() {
        // given each covered year
        // when counting its working days
        let counts = (2008...2026).map { year in
            cn.workingDays(after: CivilDate(year: year - 1, month: 12, day: 31), through: CivilDate(year: year, month: 12, day: 31)).count
        }
        // then each is 245…252 (≈ 365 − 104 weekend days − 11 or 13 holidays + adjustments)
        for (i, c) in counts.enumerated() { #expect((245...252).contains(c), "\(2008 + i): \(c)") }
        // and equals the count from chinese-calendar 1.11.0's own is_workday() (computed in Python)
        #expect(counts == [251, 250, 250, 250, 249, 250, 250, 249, 250, 249, 250, 250, 249, 250, 249, 249, 251, 248, 248])
    }

    @Test func spring2020ExtensionIsInTheNationalData() {
        // The 2020 Spring Festival holiday was extended to 02-02 (国办发明电〔2020〕1号),
        // cancelling the adjusted working Saturday 02-01.
        #expect(cn.isWorkingDay(day("2020-01-19")))
        #expect(!cn.isWorkingDay(day("2020-01-31")))
        #expect(!cn.isWorkingDay(day("2020-02-01")))
        #expect(!cn.isWorkingDay(day("2020-02-02")))
        #expect(cn.isWorkingDay(day("2020-02-03")))
    }

    @Test func ontarioStatutoryHolidays() {
        // given the Ontario calendar
        #expect(ontario.id == "CA-ON")
        #expect(ontario.timeZoneIdentifier == "America/Toronto")
        #expect(ontario.utcOffsetSeconds == nil)
        #expect(ontario.coverage == day("2015-01-01")...day("2027-12-31"))
        #expect(ontario.workingWeekends.isEmpty)
        // then Canada Day and Family Day (third Monday of February) are non-working
        #expect(!ontario.isWorkingDay(day("2025-07-01")))
        #expect(ontario.holidayName(on: day("2025-07-01")) == "Canada Day")
        #expect(!ontario.isWorkingDay(day("2025-02-17")))
        #expect(ontario.holidayName(on: day("2025-02-17")) == "Family Day")
        #expect(!ontario.isWorkingDay(day("2024-02-19")))
        #expect(!ontario.isWorkingDay(day("2025-12-25")))
        #expect(!ontario.isWorkingDay(day("2025-12-26")))
        // and the days around them, and Chinese holidays, are ordinary
        #expect(ontario.isWorkingDay(day("2025-07-02")))
        #expect(ontario.isWorkingDay(day("2025-02-18")))
        #expect(ontario.isWorkingDay(day("2025-10-01")))
        #expect(!ontario.isWorkingDay(day("2025-01-26")))  // a plain Sunday there
        // and a week holding Canada Day has four working days
        #expect(ontario.workingDays(after: day("2025-06-29"), through: day("2025-07-06")) == WorkingDays(4))
    }
}

@Suite("Counting working days")
struct WorkingDayCountingTests {
    @Test func countsTheHalfOpenInterval() {
        // given Friday 2025-09-26
        let start = day("2025-09-26")
        // then (start, start] is empty, an earlier end counts nothing, and the start day never counts
        #expect(cn.workingDays(after: start, through: start) == .zero)
        #expect(cn.workingDays(after: start, through: day("2025-09-01")) == .zero)
        #expect(cn.workingDays(after: day("2025-09-25"), through: start) == WorkingDays(1))
        // and across National Day: 09-28, 09-29, 09-30, 10-09, 10-10
        #expect(cn.workingDays(after: start, through: day("2025-10-10")) == WorkingDays(5))
        #expect(cn.workingDays(after: start, through: day("2025-10-08")) == WorkingDays(3))
    }

    @Test func addingZeroWorkingDaysGivesTheStart() {
        #expect(cn.date(addingWorkingDays: .zero, after: day("2025-10-01")) == day("2025-10-01"))
        #expect(cn.date(addingWorkingDays: WorkingDays(-3), after: day("2025-10-01")) == day("2025-10-01"))
    }

    @Test(arguments: [
        // 2024 Spring Festival: Fri 02-02 + 5 → 02-04 Sun(1) 05 06 07 08(5)
        ("2024-02-02", 5, "2024-02-08"),
        // + 7 → 02-09(6), holiday 02-10…17, Sunday 02-18(7)
        ("2024-02-02", 7, "2024-02-18"),
        // 2024 National Day: Fri 09-27 + 3 → 09-29 Sun(1) 09-30(2) 10-08(3)
        ("2024-09-27", 3, "2024-10-08"),
        ("2024-09-27", 7, "2024-10-12"),
        // 2025 Spring Festival: Mon 01-20 + 10 → 21 22 23 24 26(Sun) 27, 02-05 06 07 08(Sat)
        ("2025-01-20", 10, "2025-02-08"),
        // 2025 National Day: Fri 09-26 + 5 → 09-28 29 30 10-09 10
        ("2025-09-26", 5, "2025-10-10"),
        // 20 working days (disclosure reply): Fri 09-19 → 2025-10-23
        ("2025-09-19", 20, "2025-10-23"),
        // starting on a holiday: 10-01 + 1 → 10-09
        ("2025-10-01", 1, "2025-10-09"),
    ])
    func deadlinesAcrossHolidays(start: String, n: Int, expected: String) {
        let result = cn.date(addingWorkingDays: WorkingDays(n), after: day(start))
        #expect(result == day(expected))
        #expect(cn.workingDays(after: day(start), through: result) == WorkingDays(n))
        #expect(cn.isWorkingDay(result))
    }

    @Test func prefixSumsAgreeWithDayByDayCounting() {
        // given starts spread over the coverage and beyond both ends
        var start = day("2007-11-03")
        while start <= day("2027-02-01") {
            for span in [1, 6, 17, 45, 120] {
                let end = start.adding(days: span)
                let n = cn.workingDays(after: start, through: end).count
                #expect(n == naiveCount(cn, after: start, through: end), "\(start)…\(end)")
                if n > 0 {
                    // and adding the count back reaches the first day with that count
                    let back = cn.date(addingWorkingDays: WorkingDays(n), after: start)
                    #expect(back <= end && cn.workingDays(after: start, through: back).count == n)
                    #expect(cn.workingDays(after: start, through: back.adding(days: -1)).count == n - 1)
                }
            }
            start = start.adding(days: 37)
        }
    }

    @Test func outsideCoverageOnlyTheWeekendRuleApplies() {
        // given a small calendar covering January 2025, with Friday 01-31 a holiday and Saturday 01-04 worked
        let cal = WorkingDayCalendar(
            id: "T", timeZoneIdentifier: "Asia/Shanghai", weekend: [6, 7],
            holidays: [day("2025-01-31"): "H", day("2025-02-03"): "outside, ignored"],
            workingWeekends: [day("2025-01-04"): "H"],
            coverage: day("2025-01-01")...day("2025-01-31"))
        // then entries outside the coverage are dropped
        #expect(cal.isWorkingDay(day("2025-02-03")))
        #expect(cal.holidays.count == 1)
        // and counts across both ends of the coverage use the weekday rule outside it
        // (Fri 2024-12-27 … Tue 2025-02-04): 12-30 12-31 | 23 in January (23 weekdays − Friday 01-31 + Saturday 01-04) | 02-03 02-04
        #expect(cal.workingDays(after: day("2024-12-27"), through: day("2025-02-04")) == WorkingDays(2 + 23 + 2))
        #expect(cal.date(addingWorkingDays: WorkingDays(27), after: day("2024-12-27")) == day("2025-02-04"))
        #expect(cal.date(addingWorkingDays: WorkingDays(2), after: day("2024-12-27")) == day("2024-12-31"))
        // and far beyond it whole weeks are jumped: 5 per week
        #expect(cal.date(addingWorkingDays: WorkingDays(50), after: day("2025-02-07")) == day("2025-04-18"))
        #expect(cal.workingDays(after: day("2023-01-06"), through: day("2023-03-17")) == WorkingDays(50))
        // and every pair over the period agrees with day-by-day counting
        var s = day("2024-12-20")
        while s <= day("2025-02-10") {
            var e = s
            while e <= day("2025-02-15") {
                #expect(cal.workingDays(after: s, through: e).count == naiveCount(cal, after: s, through: e))
                e = e.adding(days: 3)
            }
            s = s.adding(days: 2)
        }
    }

    @Test func chinaAfterCoverageFallsBackToWeekdays() {
        // 2027 is not yet in chinese-calendar 1.11.0: only the weekend rule applies there
        #expect(cn.isWorkingDay(day("2027-10-01")))  // a Friday; the 2027 notice is not in the data
        #expect(!cn.isWorkingDay(day("2027-10-02")))
        // Fri 2026-12-25 + 10 → 12-28 29 30 31, 2027-01-01 (plain Friday), 01-04 … 01-08
        #expect(cn.date(addingWorkingDays: WorkingDays(10), after: day("2026-12-25")) == day("2027-01-08"))
    }

    @Test func manyQueriesAreFast() {
        // given the projector's load, ~100k calls
        let clock = ContinuousClock()
        var total = 0
        let elapsed = clock.measure {
            var d = day("2010-01-01")
            for i in 0..<100_000 {
                if cn.isWorkingDay(d) { total += 1 }
                total += cn.workingDays(after: d, through: d.adding(days: 30 + i % 40)).count
                d = d.adding(days: 1)
                if d > day("2026-06-30") { d = day("2010-01-01") }
            }
        }
        #expect(total > 0)
        #expect(elapsed < .seconds(5), "100k queries took \(elapsed)")
    }
}

@Suite("Time zones")
struct CalendarTimeZoneTests {
    @Test func civilDateIsTheDateInShanghai() throws {
        // given 20:00 UTC on 2025-01-27
        let instant = try RFC3339Timestamp(parsing: "2025-01-27T20:00:00Z")
        // then in Asia/Shanghai it is already 04:00 on 2025-01-28, the first day of Spring Festival
        #expect(cn.civilDate(of: instant) == day("2025-01-28"))
        #expect(!cn.isWorkingDay(cn.civilDate(of: instant)))
        // and the offset written in the text does not matter
        #expect(cn.civilDate(of: try RFC3339Timestamp(parsing: "2025-01-28T04:00:00+08:00")) == day("2025-01-28"))
        #expect(cn.civilDate(of: try RFC3339Timestamp(parsing: "2025-01-27T15:59:59Z")) == day("2025-01-27"))
        #expect(cn.civilDate(of: try RFC3339Timestamp(parsing: "2025-01-27T16:00:00Z")) == day("2025-01-28"))
    }

    @Test func civilDateInTorontoFollowsDaylightSaving() throws {
        // EDT (UTC−4) in July: 03:30Z is 23:30 the day before
        #expect(ontario.civilDate(of: try RFC3339Timestamp(parsing: "2025-07-01T03:30:00Z")) == day("2025-06-30"))
        #expect(ontario.civilDate(of: try RFC3339Timestamp(parsing: "2025-07-01T04:30:00Z")) == day("2025-07-01"))
        // EST (UTC−5) in January: 04:30Z is 23:30 the day before, 05:30Z is the same day
        #expect(ontario.civilDate(of: try RFC3339Timestamp(parsing: "2025-01-15T04:30:00Z")) == day("2025-01-14"))
        #expect(ontario.civilDate(of: try RFC3339Timestamp(parsing: "2025-01-15T05:30:00Z")) == day("2025-01-15"))
    }
}

@Suite("Configured calendars and later notices")
struct CalendarOverrideTests {
    /// The 2020 Spring Festival as first announced (国办发明电〔2019〕16号): 01-24 … 01-30 off,
    /// Sunday 01-19 and Saturday 02-01 worked.
    private let original2020 = WorkingDayCalendar(
        id: "CN-2020", timeZoneIdentifier: "Asia/Shanghai", weekend: [6, 7],
        holidays: Dictionary(uniqueKeysWithValues: (24...30).map { (CivilDate(year: 2020, month: 1, day: $0), "Spring Festival") }),
        workingWeekends: [day("2020-01-19"): "Spring Festival", day("2020-02-01"): "Spring Festival"],
        coverage: day("2020-01-01")...day("2020-12-31"), utcOffsetSeconds: 28_800, version: "2019-notice")

    private let extensionJSON = """
        {"id":"CN-2020-ext","name":"Spring Festival extension","timeZone":"Asia/Shanghai","utcOffsetSeconds":28800,
         "weekend":[6,7],"coverage":{"from":"2020-01-31","through":"2020-02-02"},
         "source":"国办发明电〔2020〕1号","version":"2020-01-27",
         "holidays":{"2020-01-31":"Spring Festival (extended)","2020-02-01":"Spring Festival (extended)","2020-02-02":"Spring Festival (extended)"},
         "workingWeekends":{}}
        """

    @Test func laterNoticeWinsPerDate() throws {
        // given the original 2020 notice and the extension notice loaded from a file
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-cal-\(UUID().uuidString).json")
        try Data(extensionJSON.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let ext = try WorkingDayCalendar.load(contentsOf: url)
        #expect(original2020.isWorkingDay(day("2020-01-31")))
        #expect(original2020.isWorkingDay(day("2020-02-01")))
        // when the extension overrides the original
        let merged = original2020.overriding(with: ext)
        // then the extended days are off, including the formerly adjusted Saturday
        #expect(!merged.isWorkingDay(day("2020-01-31")))
        #expect(!merged.isWorkingDay(day("2020-02-01")))
        #expect(merged.workingWeekends[day("2020-02-01")] == nil)
        #expect(merged.holidayName(on: day("2020-02-01")) == "Spring Festival (extended)")
        // and the dates the extension does not list keep the original status
        #expect(merged.isWorkingDay(day("2020-01-19")))
        #expect(!merged.isWorkingDay(day("2020-01-24")))
        #expect(merged.isWorkingDay(day("2020-02-03")))
        // and identity and coverage are the base calendar's, the version records both
        #expect(merged.id == "CN-2020")
        #expect(merged.coverage == original2020.coverage)
        #expect(merged.version == "2019-notice + 2020-01-27")
        // and a deadline across it moves: Thu 01-23 + 2 → 02-03 02-04 (originally 01-31, Saturday 02-01)
        #expect(original2020.date(addingWorkingDays: WorkingDays(2), after: day("2020-01-23")) == day("2020-02-01"))
        #expect(merged.date(addingWorkingDays: WorkingDays(2), after: day("2020-01-23")) == day("2020-02-04"))
    }

    @Test func aLaterNoticeCanCancelAHoliday() throws {
        // given a notice that makes Wednesday 2025-10-08 a working day again
        let notice = try WorkingDayCalendar.decode(Data("""
            {"id":"X","timeZone":"Asia/Shanghai","utcOffsetSeconds":28800,"weekend":[6,7],
             "coverage":{"from":"2025-10-01","through":"2025-10-31"},"holidays":{},
             "workingWeekends":{"2025-10-08":"cancelled"}}
            """.utf8))
        // when applied to the national calendar
        let merged = cn.overriding(with: notice)
        // then 10-08 is worked and nothing else changes
        #expect(merged.isWorkingDay(day("2025-10-08")))
        #expect(!merged.isWorkingDay(day("2025-10-07")))
        #expect(merged.date(addingWorkingDays: WorkingDays(4), after: day("2025-09-26")) == day("2025-10-08"))
        #expect(merged.coverage == cn.coverage)
    }

    @Test func aNoticeForTheNextYearExtendsTheCoverage() throws {
        // given a notice for January 2027 (adjacent to the CN coverage)
        let notice = try WorkingDayCalendar.decode(Data("""
            {"id":"CN-2027","timeZone":"Asia/Shanghai","utcOffsetSeconds":28800,"weekend":[6,7],
             "coverage":{"from":"2027-01-01","through":"2027-01-31"},"holidays":{"2027-01-01":"New Year's Day"},
             "workingWeekends":{}}
            """.utf8))
        let merged = cn.overriding(with: notice)
        #expect(merged.coverage == day("2008-01-01")...day("2027-01-31"))
        #expect(!merged.isWorkingDay(day("2027-01-01")))
        #expect(cn.isWorkingDay(day("2027-01-01")))
    }

    @Test(arguments: [
        ("not json", "{"),
        ("bad date", #"{"id":"X","timeZone":"Asia/Shanghai","weekend":[6,7],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{"2025-02-30":"x"},"workingWeekends":{}}"#),
        ("outside coverage", #"{"id":"X","timeZone":"Asia/Shanghai","weekend":[6,7],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{"2026-01-01":"x"},"workingWeekends":{}}"#),
        ("in both lists", #"{"id":"X","timeZone":"Asia/Shanghai","weekend":[6,7],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{"2025-01-04":"x"},"workingWeekends":{"2025-01-04":"y"}}"#),
        ("coverage reversed", #"{"id":"X","timeZone":"Asia/Shanghai","weekend":[6,7],"coverage":{"from":"2025-12-31","through":"2025-01-01"},"holidays":{},"workingWeekends":{}}"#),
        ("bad weekend", #"{"id":"X","timeZone":"Asia/Shanghai","weekend":[0,8],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{},"workingWeekends":{}}"#),
        ("unknown zone", #"{"id":"X","timeZone":"Mars/Olympus","weekend":[6,7],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{},"workingWeekends":{}}"#),
        ("wrong fixed offset", #"{"id":"X","timeZone":"Asia/Shanghai","utcOffsetSeconds":0,"weekend":[6,7],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{},"workingWeekends":{}}"#),
        ("DST zone with fixed offset", #"{"id":"X","timeZone":"America/Toronto","utcOffsetSeconds":-18000,"weekend":[6,7],"coverage":{"from":"2025-01-01","through":"2025-12-31"},"holidays":{},"workingWeekends":{}}"#),
    ])
    func malformedFilesAreRejected(label: String, json: String) {
        let error = #expect(throws: CalendarError.self) { try WorkingDayCalendar.decode(Data(json.utf8), origin: label) }
        guard case .malformed(let reason)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix(label))
    }

    @Test func unreadableFileIsReported() {
        let url = URL(fileURLWithPath: "/nonexistent/chancery/calendar.json")
        let error = #expect(throws: CalendarError.self) { try WorkingDayCalendar.load(contentsOf: url) }
        guard case .unreadable(let path, _)? = error else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
        #expect(path == url.path)
    }
}

@Suite("WorkingDays")
struct WorkingDaysValueTests {
    @Test func isAValueNotAnInt() throws {
        #expect(WorkingDays(5).description == "5 working days")
        #expect(WorkingDays(1).description == "1 working day")
        #expect(WorkingDays(3) < WorkingDays(5))
        #expect(WorkingDays(3) + WorkingDays(2) == WorkingDays(5))
        #expect(WorkingDays(3) - WorkingDays(5) == WorkingDays(-2))
        // encoded as a bare integer
        let data = try JSONEncoder().encode([WorkingDays(20)])
        #expect(String(decoding: data, as: UTF8.self) == "[20]")
        #expect(try JSONDecoder().decode([WorkingDays].self, from: data) == [WorkingDays(20)])
    }
}
