import ChanceryDomain
import Foundation
import Testing

// Statutory limits, calendar-day promises and special procedures on the CN calendar. Every
// date was counted by hand and checked against chinese-calendar 1.11.0.

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

@Suite("Case clock: both limits, units, special procedures")
struct CaseClockLimitsTests {
    @Test func promisedAndStatutoryLimitsAcrossNationalDay() {
        // given Friday 2025-09-26, promised 5, statutory 20
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5), statutoryLimit: WorkingDays(20))
        // then promised: 09-28 (Sun, 调休) 29 30, 10-09 10 → 10-10; statutory: + 10-11 (Sat) 13…17 20…24 27…30 → 10-30
        #expect(clock.deadline(.promised, calendar: cn) == day("2025-10-10"))
        #expect(clock.deadline(.statutory, calendar: cn) == day("2025-10-30"))
        #expect(clock.isOverdue(.promised, on: day("2025-10-11"), calendar: cn))
        #expect(!clock.isOverdue(.statutory, on: day("2025-10-30"), calendar: cn))
        #expect(clock.isOverdue(.statutory, on: day("2025-10-31"), calendar: cn))
        #expect(clock.daysRemaining(.statutory, on: day("2025-10-11"), calendar: cn) == 14)
        #expect(clock.daysRemaining(.promised, on: day("2025-10-11"), calendar: cn) == -1)
        #expect(clock.firstOverdueDate(.promised, calendar: cn) == day("2025-10-11"))
        #expect(clock.firstOverdueDate(.statutory, calendar: cn) == day("2025-10-31"))
        // and the old API is the promised limit
        #expect(clock.deadline(calendar: cn) == clock.deadline(.promised, calendar: cn))
    }

    @Test func unknownStatutoryLimitHasNoDeadline() {
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        #expect(clock.value(of: .statutory) == nil)
        #expect(clock.deadline(.statutory, calendar: cn) == nil)
        #expect(!clock.isOverdue(.statutory, on: day("2026-09-26"), calendar: cn))
        #expect(clock.daysRemaining(.statutory, on: day("2025-10-01"), calendar: cn) == nil)
    }

    @Test func calendarDaysCountHolidays() {
        // given 5 calendar days (自然日) from Friday 2025-09-26: 27 28 29 30, 10-01 → 10-01, a holiday
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5), promisedLimitUnit: .calendarDays,
                              statutoryLimit: WorkingDays(5))
        #expect(clock.deadline(.promised, calendar: cn) == day("2025-10-01"))
        #expect(clock.daysUsed(.promised, through: day("2025-10-01"), calendar: cn) == 5)
        #expect(!clock.isOverdue(on: day("2025-10-01"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-10-02"), calendar: cn))
        // and working days used are still working days (28 29 30), the statutory limit still working days → 10-10
        #expect(clock.workingDaysUsed(through: day("2025-10-01"), calendar: cn) == WorkingDays(3))
        #expect(clock.unit(of: .statutory) == .workingDays)
        #expect(clock.deadline(.statutory, calendar: cn) == day("2025-10-10"))
    }

    @Test func calendarDaysAcrossSpringFestivalVersusWorkingDays() {
        // given Monday 2025-01-27, 10 days: calendar days → 02-06; working days: 01-28 … 02-04 off,
        // 02-05 06 07, Saturday 02-08 (调休), 02-10 … 14, 02-17 → 02-17
        let natural = CaseClock(acceptedOn: day("2025-01-27"), promisedLimit: WorkingDays(10), promisedLimitUnit: .calendarDays)
        let working = CaseClock(acceptedOn: day("2025-01-27"), promisedLimit: WorkingDays(10))
        #expect(natural.deadline(calendar: cn) == day("2025-02-06"))
        #expect(working.deadline(calendar: cn) == day("2025-02-17"))
    }

    @Test func calendarDaysWithASupplementPause() {
        // given 5 calendar days from 09-26; supplement requested 09-29 (used 3: 27 28 29), received 10-09
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5), promisedLimitUnit: .calendarDays)
        clock.pause(on: day("2025-09-29"))
        #expect(clock.daysUsed(.promised, through: day("2025-10-05"), calendar: cn) == 3)
        clock.resume(on: day("2025-10-09"))
        // then 10-10 (4), 10-11 (5)
        #expect(clock.deadline(calendar: cn) == day("2025-10-11"))
        #expect(clock.isOverdue(on: day("2025-10-12"), calendar: cn))
    }

    @Test func specialProcedurePausesLikeASupplement() {
        // given Monday 2025-01-20 + 10, statutory 20; a hearing starts Friday 01-24 (used 4: 21 22 23 24)
        var clock = CaseClock(acceptedOn: day("2025-01-20"), promisedLimit: WorkingDays(10), statutoryLimit: WorkingDays(20))
        clock.startSpecialProcedure(.hearing, on: day("2025-01-24"))
        // then the clock is stopped: frozen count, no deadline, not overdue
        #expect(clock.isPaused)
        #expect(!clock.isAwaitingSupplement)
        #expect(clock.runningSpecialProcedure?.kind == .hearing)
        #expect(clock.workingDaysUsed(through: day("2025-03-31"), calendar: cn) == WorkingDays(4))
        #expect(clock.deadline(calendar: cn) == nil)
        #expect(!clock.isOverdue(on: day("2025-03-31"), calendar: cn))
        // when it ends Thursday 02-06: 01-25 … 02-06 excluded (Sunday 01-26, 01-27, 02-05, 02-06 no longer count)
        clock.endSpecialProcedure(on: day("2025-02-06"))
        #expect(!clock.isPaused)
        #expect(clock.specialProcedures == [SpecialProcedurePeriod(kind: .hearing, startedOn: day("2025-01-24"), endedOn: day("2025-02-06"))])
        // then 02-07 (5), Saturday 02-08 (6), 02-10 11 12 (9), 02-13 (10); statutory + 02-14, 17…21, 24…27 → 02-27
        #expect(clock.workingDaysUsed(through: day("2025-02-06"), calendar: cn) == WorkingDays(4))
        #expect(clock.workingDaysUsed(through: day("2025-02-08"), calendar: cn) == WorkingDays(6))
        #expect(clock.deadline(calendar: cn) == day("2025-02-13"))
        #expect(clock.deadline(.statutory, calendar: cn) == day("2025-02-27"))
        #expect(clock.isOverdue(on: day("2025-02-14"), calendar: cn))
    }

    @Test func supplementThenInspection() {
        // given 09-26 + 5; supplement 09-29 (used 2) → 10-09; inspection 10-10 (used 3) → Tuesday 10-14
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.pause(on: day("2025-09-29"))
        clock.resume(on: day("2025-10-09"))
        clock.startSpecialProcedure(.inspection, on: day("2025-10-10"))
        #expect(clock.workingDaysUsed(through: day("2025-10-13"), calendar: cn) == WorkingDays(3))
        clock.endSpecialProcedure(on: day("2025-10-14"))
        // then Saturday 10-11 (调休) and 10-13, 10-14 are excluded; 10-15 (4), 10-16 (5)
        #expect(clock.deadline(calendar: cn) == day("2025-10-16"))
        #expect(!clock.isOverdue(on: day("2025-10-16"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-10-17"), calendar: cn))
    }

    @Test func overlappingSupplementAndExpertReviewExcludeEachDayOnce() {
        // given 09-26 + 5; supplement requested 09-29 (used 2); expert review from 09-30 while it is outstanding
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.pause(on: day("2025-09-29"))
        clock.startSpecialProcedure(.expertReview, on: day("2025-09-30"))
        // the supplement arrives 10-09 but the review still runs: stopped, frozen at 2
        clock.resume(on: day("2025-10-09"))
        #expect(clock.isPaused)
        #expect(clock.deadline(calendar: cn) == nil)
        #expect(clock.workingDaysUsed(through: day("2025-10-10"), calendar: cn) == WorkingDays(2))
        // when the review ends 10-10: excluded 09-30 … 10-10; Saturday 10-11 (3), 10-13 (4), 10-14 (5)
        clock.endSpecialProcedure(on: day("2025-10-10"))
        #expect(clock.deadline(calendar: cn) == day("2025-10-14"))
        #expect(clock.workingDaysUsed(through: day("2025-10-14"), calendar: cn) == WorkingDays(5))
    }

    @Test func secondProcedureWhileOneRunsIsIgnoredAndEndBeforeStartExcludesNothing() {
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.endSpecialProcedure(on: day("2025-09-29"))
        #expect(clock.specialProcedures.isEmpty)
        clock.startSpecialProcedure(.publicNotice, on: day("2025-09-29"))
        clock.startSpecialProcedure(.hearing, on: day("2025-09-30"))
        #expect(clock.specialProcedures.count == 1)
        #expect(clock.runningSpecialProcedure?.kind == .publicNotice)
        clock.endSpecialProcedure(on: day("2025-09-28"))
        #expect(clock.specialProcedures[0].excludedDays == nil)
        #expect(clock.deadline(calendar: cn) == day("2025-10-10"))
    }

    @Test func limitReachedBeforeAPauseKeepsItsDeadline() {
        // given 09-26 + 2 (deadline 09-29), a procedure started 10-09, after the case went overdue (used 3)
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(2))
        clock.startSpecialProcedure(.extension, on: day("2025-10-09"))
        // then the deadline is known and the case stays overdue while stopped
        #expect(clock.deadline(calendar: cn) == day("2025-09-29"))
        #expect(clock.isOverdue(on: day("2025-10-20"), calendar: cn))
        #expect(clock.firstOverdueDate(.promised, calendar: cn) == day("2025-09-30"))
    }

    @Test func immediateCaseIgnoresProceduresAndUnits() {
        // given an immediate case (即办件) accepted Sunday 2025-09-28 (调休), statutory 0
        var clock = CaseClock(acceptedOn: day("2025-09-28"), promisedLimit: .zero, statutoryLimit: .zero)
        clock.startSpecialProcedure(.inspection, on: day("2025-09-28"))
        #expect(clock.deadline(.promised, calendar: cn) == day("2025-09-28"))
        #expect(clock.deadline(.statutory, calendar: cn) == day("2025-09-28"))
        #expect(!clock.isOverdue(.statutory, on: day("2025-09-28"), calendar: cn))
        #expect(clock.isOverdue(.statutory, on: day("2025-09-29"), calendar: cn))
        #expect(clock.firstOverdueDate(.promised, calendar: cn) == day("2025-09-29"))
    }

    @Test func oldStoredJSONStillDecodes() throws {
        // given a clock stored before units, statutory limits and special procedures existed
        let old = #"{"acceptedOn":"2025-09-26","promisedLimit":5,"pausedSince":"2025-10-13","pauses":[["2025-09-30","2025-10-09"]]}"#
        let clock = try JSONDecoder().decode(CaseClock.self, from: Data(old.utf8))
        // then it decodes with the defaults and behaves as before
        #expect(clock.promisedLimitUnit == .workingDays)
        #expect(clock.statutoryLimit == nil)
        #expect(clock.specialProcedures.isEmpty)
        #expect(clock.pauses == [day("2025-09-30")...day("2025-10-09")])
        #expect(clock.pausedSince == day("2025-10-13"))
        var expected = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        expected.pause(on: day("2025-09-29"))
        expected.resume(on: day("2025-10-09"))
        expected.pause(on: day("2025-10-13"))
        #expect(clock == expected)
        // and the minimal old shape too
        let minimal = try JSONDecoder().decode(CaseClock.self, from: Data(#"{"acceptedOn":"2025-09-26","promisedLimit":5,"pauses":[]}"#.utf8))
        #expect(minimal == CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5)))
    }

    @Test func newShapeRoundTrips() throws {
        var clock = CaseClock(acceptedOn: day("2025-01-20"), promisedLimit: WorkingDays(10), promisedLimitUnit: .calendarDays,
                              statutoryLimit: WorkingDays(20))
        clock.startSpecialProcedure(.expertReview, on: day("2025-01-24"))
        clock.endSpecialProcedure(on: day("2025-02-06"))
        clock.startSpecialProcedure(.publicNotice, on: day("2025-02-10"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(clock), as: UTF8.self)
        #expect(text.contains(#""promisedLimitUnit":"calendar-days""#))
        #expect(text.contains(#""statutoryLimit":20"#))
        #expect(text.contains(#"{"endedOn":"2025-02-06","kind":"expert-review","startedOn":"2025-01-24"}"#))
        #expect(try JSONDecoder().decode(CaseClock.self, from: Data(text.utf8)) == clock)
        // and an unknown unit is an error, not a silent default
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CaseClock.self, from: Data(#"{"acceptedOn":"2025-09-26","promisedLimit":5,"promisedLimitUnit":"hours","pauses":[]}"#.utf8))
        }
    }

    @Test func limitUnitRawValuesAreTheSchemaStrings() {
        #expect(LimitUnit.workingDays.rawValue == "working-days")
        #expect(LimitUnit.calendarDays.rawValue == "calendar-days")
        #expect(SpecialProcedureKind.allCases.map(\.rawValue) == ["hearing", "expert-review", "inspection", "public-notice", "extension", "other"])
    }
}
