import ChanceryDomain
import Foundation
import Testing

// Case clocks on the CN calendar. Every expectation is counted by hand from the
// 2024/2025 State Council holiday notices; the comments list the counted days.

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

@Suite("Case clock")
struct CaseClockTests {
    @Test func countingStartsTheDayAfterAcceptanceAndSkipsNationalDay() {
        // given a case accepted on Friday 2025-09-26 with a 5-working-day limit
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        // then the acceptance day and Saturday 09-27 do not count, Sunday 09-28 (调休) does
        #expect(clock.workingDaysUsed(through: day("2025-09-26"), calendar: cn) == .zero)
        #expect(clock.workingDaysUsed(through: day("2025-09-27"), calendar: cn) == .zero)
        #expect(clock.workingDaysUsed(through: day("2025-09-28"), calendar: cn) == WorkingDays(1))
        #expect(clock.workingDaysUsed(through: day("2025-09-30"), calendar: cn) == WorkingDays(3))
        // and 10-01 … 10-08 are holidays
        #expect(clock.workingDaysUsed(through: day("2025-10-08"), calendar: cn) == WorkingDays(3))
        #expect(clock.workingDaysUsed(through: day("2025-10-09"), calendar: cn) == WorkingDays(4))
        #expect(clock.workingDaysUsed(through: day("2025-10-10"), calendar: cn) == WorkingDays(5))
        // and the deadline is the day the count reaches 5
        #expect(clock.deadline(calendar: cn) == day("2025-10-10"))
        #expect(!clock.isOverdue(on: day("2025-10-10"), calendar: cn))
        // and Saturday 10-11 is an adjusted working day, so the case is overdue on it
        #expect(clock.workingDaysUsed(through: day("2025-10-11"), calendar: cn) == WorkingDays(6))
        #expect(clock.isOverdue(on: day("2025-10-11"), calendar: cn))
        #expect(clock.workingDaysRemaining(on: day("2025-09-30"), calendar: cn) == WorkingDays(2))
        #expect(clock.workingDaysRemaining(on: day("2025-10-11"), calendar: cn) == WorkingDays(-1))
        // and dates before acceptance use nothing
        #expect(clock.workingDaysUsed(through: day("2025-09-01"), calendar: cn) == .zero)
    }

    @Test func deadlineAcross2024SpringFestival() {
        // given a case accepted Friday 2024-02-02 with 7 working days
        let clock = CaseClock(acceptedOn: day("2024-02-02"), promisedLimit: WorkingDays(7))
        // then 02-04 (Sun, 调休) 05 06 07 08 09 count, 02-10 … 02-17 are off, Sunday 02-18 is the 7th
        #expect(clock.workingDaysUsed(through: day("2024-02-17"), calendar: cn) == WorkingDays(6))
        #expect(clock.deadline(calendar: cn) == day("2024-02-18"))
        #expect(!clock.isOverdue(on: day("2024-02-18"), calendar: cn))
        #expect(clock.isOverdue(on: day("2024-02-19"), calendar: cn))
    }

    @Test func deadlineAcross2024NationalDay() {
        // given Friday 2024-09-27 + 7: 09-29 (Sun) 09-30, 10-08 09 10 11, Saturday 10-12
        let clock = CaseClock(acceptedOn: day("2024-09-27"), promisedLimit: WorkingDays(7))
        #expect(clock.deadline(calendar: cn) == day("2024-10-12"))
        #expect(clock.workingDaysUsed(through: day("2024-10-07"), calendar: cn) == WorkingDays(2))
    }

    @Test func deadlineAcross2025SpringFestival() {
        // given Monday 2025-01-20 + 10: 21 22 23 24, Sunday 26, 27, (28 … 02-04 off), 02-05 06 07, Saturday 02-08
        let clock = CaseClock(acceptedOn: day("2025-01-20"), promisedLimit: WorkingDays(10))
        #expect(clock.deadline(calendar: cn) == day("2025-02-08"))
        #expect(clock.workingDaysUsed(through: day("2025-02-04"), calendar: cn) == WorkingDays(6))
    }

    @Test func aNonWorkingDayAfterTheDeadlineIsNotYetOverdue() {
        // given Friday 2025-03-07 + 5 → Friday 03-14
        let clock = CaseClock(acceptedOn: day("2025-03-07"), promisedLimit: WorkingDays(5))
        #expect(clock.deadline(calendar: cn) == day("2025-03-14"))
        // then the weekend after it uses no working day, Monday does
        #expect(!clock.isOverdue(on: day("2025-03-15"), calendar: cn))
        #expect(!clock.isOverdue(on: day("2025-03-16"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-03-17"), calendar: cn))
    }

    @Test func supplementPauseAcrossNationalDay() {
        // given the 2025-09-26 case, supplement requested Monday 09-29 (that day counts: used 2)
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.pause(on: day("2025-09-29"))
        // then while paused the count is frozen and there is no deadline
        #expect(clock.isPaused)
        #expect(clock.workingDaysUsed(through: day("2025-09-29"), calendar: cn) == WorkingDays(2))
        #expect(clock.workingDaysUsed(through: day("2025-11-30"), calendar: cn) == WorkingDays(2))
        #expect(clock.deadline(calendar: cn) == nil)
        #expect(!clock.isOverdue(on: day("2025-11-30"), calendar: cn))
        // when the supplement arrives Thursday 10-09
        clock.resume(on: day("2025-10-09"))
        // then 09-30 … 10-09 are excluded and counting restarts 10-10: 10-10 (3), Saturday 10-11 (4), Monday 10-13 (5)
        #expect(clock.pauses == [day("2025-09-30")...day("2025-10-09")])
        #expect(clock.workingDaysUsed(through: day("2025-10-09"), calendar: cn) == WorkingDays(2))
        #expect(clock.workingDaysUsed(through: day("2025-10-10"), calendar: cn) == WorkingDays(3))
        #expect(clock.workingDaysUsed(through: day("2025-10-11"), calendar: cn) == WorkingDays(4))
        #expect(clock.deadline(calendar: cn) == day("2025-10-13"))
        #expect(!clock.isOverdue(on: day("2025-10-13"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-10-14"), calendar: cn))
    }

    @Test func supplementPauseAcrossSpringFestival() {
        // given Monday 2025-01-20 + 10, supplement requested Friday 01-24 (used 4)
        var clock = CaseClock(acceptedOn: day("2025-01-20"), promisedLimit: WorkingDays(10))
        clock.pause(on: day("2025-01-24"))
        #expect(clock.workingDaysUsed(through: day("2025-02-20"), calendar: cn) == WorkingDays(4))
        // when the supplement arrives Thursday 02-06
        clock.resume(on: day("2025-02-06"))
        // then Sunday 01-26 and 01-27 no longer count; restart 02-07 (5), Saturday 02-08 (6), 02-10 11 12 (9), 02-13 (10)
        #expect(clock.workingDaysUsed(through: day("2025-02-06"), calendar: cn) == WorkingDays(4))
        #expect(clock.workingDaysUsed(through: day("2025-02-07"), calendar: cn) == WorkingDays(5))
        #expect(clock.workingDaysUsed(through: day("2025-02-08"), calendar: cn) == WorkingDays(6))
        #expect(clock.deadline(calendar: cn) == day("2025-02-13"))
        #expect(clock.isOverdue(on: day("2025-02-14"), calendar: cn))
    }

    @Test func supplementArrivingOnTheRequestDayExcludesNothing() {
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.pause(on: day("2025-09-29"))
        clock.resume(on: day("2025-09-29"))
        #expect(clock.pauses.isEmpty)
        #expect(!clock.isPaused)
        #expect(clock.deadline(calendar: cn) == day("2025-10-10"))
    }

    @Test func twoSupplementPauses() {
        // given Monday 2025-03-03 + 10
        var clock = CaseClock(acceptedOn: day("2025-03-03"), promisedLimit: WorkingDays(10))
        // 03-04 (1), 03-05 (2) request; received Friday 03-07
        clock.pause(on: day("2025-03-05"))
        clock.resume(on: day("2025-03-07"))
        // 03-10 (3), 03-11 (4), 03-12 (5) request; received Tuesday 03-18
        clock.pause(on: day("2025-03-12"))
        clock.resume(on: day("2025-03-18"))
        // 03-19 (6), 03-20 (7), 03-21 (8), 03-24 (9), 03-25 (10)
        #expect(clock.pauses == [day("2025-03-06")...day("2025-03-07"), day("2025-03-13")...day("2025-03-18")])
        #expect(clock.workingDaysUsed(through: day("2025-03-18"), calendar: cn) == WorkingDays(5))
        #expect(clock.deadline(calendar: cn) == day("2025-03-25"))
    }

    @Test func limitReachedOnTheRequestDay() {
        // given Friday 2025-09-26 + 2: 09-28 (1), 09-29 (2) — the supplement is requested on 09-29
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(2))
        clock.pause(on: day("2025-09-29"))
        clock.resume(on: day("2025-10-09"))
        // then the deadline stays 09-29 and the first counted day after the pause is overdue
        #expect(clock.deadline(calendar: cn) == day("2025-09-29"))
        #expect(!clock.isOverdue(on: day("2025-10-09"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-10-10"), calendar: cn))
    }

    @Test func pauseAndResumeOutOfOrderAreIgnored() {
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        // a resume without a request does nothing
        clock.resume(on: day("2025-09-29"))
        #expect(clock == CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5)))
        // a second request while paused keeps the first
        clock.pause(on: day("2025-09-29"))
        clock.pause(on: day("2025-09-30"))
        #expect(clock.pausedSince == day("2025-09-29"))
        // an arrival dated before the request excludes nothing
        clock.resume(on: day("2025-09-28"))
        #expect(clock.pauses.isEmpty)
        #expect(clock.deadline(calendar: cn) == day("2025-10-10"))
    }

    @Test func immediateCaseMustConcludeOnTheDayOfAcceptance() {
        // given an immediate case (即办件) accepted Tuesday 2025-09-30
        var clock = CaseClock(acceptedOn: day("2025-09-30"), promisedLimit: .zero)
        // then its deadline is the acceptance day, and any later date is overdue, even a holiday
        #expect(clock.deadline(calendar: cn) == day("2025-09-30"))
        #expect(!clock.isOverdue(on: day("2025-09-30"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-10-01"), calendar: cn))
        // and a pause does not move it
        clock.pause(on: day("2025-09-30"))
        #expect(clock.deadline(calendar: cn) == day("2025-09-30"))
        #expect(clock.isOverdue(on: day("2025-10-09"), calendar: cn))
    }

    @Test func codableRoundTrip() throws {
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.pause(on: day("2025-09-29"))
        clock.resume(on: day("2025-10-09"))
        clock.pause(on: day("2025-10-13"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(clock)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""acceptedOn":"2025-09-26""#))
        #expect(text.contains(#""promisedLimit":5"#))
        #expect(try JSONDecoder().decode(CaseClock.self, from: data) == clock)
    }

    @Test func deadlineAndUsedAgreeEverywhere() {
        // given every acceptance day from 2023-12-01 to 2026-01-31, limits 1 … 25, with and without a pause
        var accepted = day("2023-12-01")
        while accepted <= day("2026-01-31") {
            for limit in 1...25 {
                let plain = CaseClock(acceptedOn: accepted, promisedLimit: WorkingDays(limit))
                var paused = plain
                paused.pause(on: accepted.adding(days: 3))
                paused.resume(on: accepted.adding(days: 12))
                for clock in [plain, paused] {
                    guard let deadline = clock.deadline(calendar: cn) else {
                        Issue.record("no deadline for \(accepted) + \(limit)")
                        continue
                    }
                    // then the deadline is the first day the count reaches the limit
                    let used = clock.workingDaysUsed(through: deadline, calendar: cn).count
                    let before = clock.workingDaysUsed(through: deadline.adding(days: -1), calendar: cn).count
                    if used != limit || before != limit - 1 || !cn.isWorkingDay(deadline) {
                        Issue.record("\(accepted) + \(limit) (pauses \(clock.pauses)): deadline \(deadline) used \(used), day before \(before)")
                    }
                    // and the next counted working day (outside any pause) is the first overdue one
                    var next = deadline.adding(days: 1)
                    while clock.workingDaysUsed(through: next, calendar: cn).count == limit { next = next.adding(days: 1) }
                    if clock.isOverdue(on: deadline, calendar: cn) || clock.isOverdue(on: next.adding(days: -1), calendar: cn)
                        || !clock.isOverdue(on: next, calendar: cn) {
                        Issue.record("\(accepted) + \(limit): overdue boundary wrong around \(deadline)")
                    }
                }
            }
            accepted = accepted.adding(days: 1)
        }
    }
}
