import ChanceryDomain
import Foundation
import Testing

// Disclosure request clocks (《政府信息公开条例》 orders 492 and 711) on the CN calendar; every
// date counted by hand and checked against chinese-calendar 1.11.0.

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

@Suite("Disclosure request clock")
struct DisclosureRequestClockTests {
    @Test func order492BeforeAndOrder711FromMay15_2019() {
        // given requests received Tuesday 2019-05-14 and Wednesday 2019-05-15
        let old = DisclosureRequestClock(receivedOn: day("2019-05-14"))
        let new = DisclosureRequestClock(receivedOn: day("2019-05-15"))
        #expect(old.regime == .order492)
        #expect(new.regime == .order711)
        #expect(old.limit == WorkingDays(15))
        #expect(new.limit == WorkingDays(20))
        // then 05-14 + 15: 15 16 17, 20…24, 27…31, 06-03, 06-04 → 2019-06-04
        #expect(old.deadline(calendar: cn) == day("2019-06-04"))
        // and 05-15 + 20: 16 17, 20…24, 27…31, 06-03…06, (Dragon Boat 06-07 off), 06-10…13 → 2019-06-13
        #expect(new.deadline(calendar: cn) == day("2019-06-13"))
        #expect(!cn.isWorkingDay(day("2019-06-07")))
    }

    @Test func twentyWorkingDaysAcrossNationalDay() {
        // given Friday 2025-09-19: 09-22…26 (5), Sun 09-28 (6), 29 30 (8), 10-09 10 (10), Sat 10-11 (11), 13…17 (16), 20…23 (20)
        let clock = DisclosureRequestClock(receivedOn: day("2025-09-19"))
        #expect(clock.deadline(calendar: cn) == day("2025-10-23"))
        #expect(clock.workingDaysUsed(through: day("2025-10-08"), calendar: cn) == WorkingDays(8))
        #expect(clock.answeredInTime(answeredOn: day("2025-10-23"), calendar: cn))
        #expect(!clock.answeredInTime(answeredOn: day("2025-10-24"), calendar: cn))
        #expect(clock.firstOverdueDate(calendar: cn) == day("2025-10-24"))
        #expect(clock.workingDaysRemaining(on: day("2025-10-11"), calendar: cn) == WorkingDays(9))
    }

    @Test func aReplyOnTheWeekendAfterAFridayDeadlineIsInTime() {
        // given Friday 2025-02-14 + 20 → Friday 03-14
        let clock = DisclosureRequestClock(receivedOn: day("2025-02-14"))
        #expect(clock.deadline(calendar: cn) == day("2025-03-14"))
        #expect(clock.answeredInTime(answeredOn: day("2025-03-15"), calendar: cn))
        #expect(!clock.answeredInTime(answeredOn: day("2025-03-17"), calendar: cn))
    }

    @Test func extensionIsCappedAt20AndGrantedOnce() {
        // given 2025-09-19 (deadline 10-23) extended by 30 working days
        var clock = DisclosureRequestClock(receivedOn: day("2025-09-19"))
        clock.extend(by: WorkingDays(30))
        // then only 20 count: 10-24, 27…31, 11-03…07, 10…14, 17…20 → 2025-11-20
        #expect(clock.extensionCounted == WorkingDays(20))
        #expect(clock.extensionExceedsCap)
        #expect(clock.limit == WorkingDays(40))
        #expect(clock.deadline(calendar: cn) == day("2025-11-20"))
        // and a second extension changes nothing
        clock.extend(by: WorkingDays(5))
        #expect(clock.deadline(calendar: cn) == day("2025-11-20"))
        // and an extension of 10: 10-24, 27…31, 11-03…06 → 11-06
        var ten = DisclosureRequestClock(receivedOn: day("2025-09-19"))
        ten.extend(by: WorkingDays(10))
        #expect(!ten.extensionExceedsCap)
        #expect(ten.deadline(calendar: cn) == day("2025-11-06"))
    }

    @Test func order492ExtensionIsCappedAt15() {
        // given 2019-05-14 (deadline 06-04) extended by 20: 15 count → 06-05 06, 10…14, 17…21, 24…26 → 06-26
        var clock = DisclosureRequestClock(receivedOn: day("2019-05-14"))
        clock.extend(by: WorkingDays(20))
        #expect(clock.extensionCounted == WorkingDays(15))
        #expect(clock.deadline(calendar: cn) == day("2019-06-26"))
    }

    @Test func supplementWithinSevenWorkingDaysRestartsTheFullLimit() {
        // given Monday 2025-01-20: the 7th working day after is 02-05 (21…24, Sunday 26, 27, then 02-05)
        var clock = DisclosureRequestClock(receivedOn: day("2025-01-20"))
        #expect(clock.supplementRequestDeadline(calendar: cn) == day("2025-02-05"))
        #expect(clock.isSupplementRequestTimely(calendar: cn) == nil)
        // when a supplement is requested Friday 01-24
        clock.requestSupplement(on: day("2025-01-24"))
        #expect(clock.isSupplementRequestTimely(calendar: cn) == true)
        #expect(clock.isAwaitingSupplement(calendar: cn))
        // then the clock is stopped: no deadline, never overdue
        #expect(clock.deadline(calendar: cn) == nil)
        #expect(!clock.isOverdue(on: day("2025-06-30"), calendar: cn))
        // when it arrives Thursday 02-06: 20 from 02-07 — 07, Sat 08, 10…14, 17…21, 24…28, 03-03…05 → 03-05
        clock.receiveSupplement(on: day("2025-02-06"))
        #expect(clock.countingStartsAfter(calendar: cn) == day("2025-02-06"))
        #expect(clock.deadline(calendar: cn) == day("2025-03-05"))
        #expect(clock.workingDaysUsed(through: day("2025-02-08"), calendar: cn) == WorkingDays(2))
    }

    @Test func supplementOnTheSeventhDayIsTimelyOnTheEighthItIsNot() {
        var onTime = DisclosureRequestClock(receivedOn: day("2025-01-20"))
        onTime.requestSupplement(on: day("2025-02-05"))
        #expect(onTime.isSupplementRequestTimely(calendar: cn) == true)
        // given a request on Thursday 02-06, the 8th working day
        var late = DisclosureRequestClock(receivedOn: day("2025-01-20"))
        late.requestSupplement(on: day("2025-02-06"))
        #expect(late.isSupplementRequestTimely(calendar: cn) == false)
        // then it neither stops nor restarts the clock: 01-20 + 20 → 21…24, 26, 27, 02-05…08, 10…14, 17…21 → 02-21
        #expect(!late.isAwaitingSupplement(calendar: cn))
        #expect(late.deadline(calendar: cn) == day("2025-02-21"))
        late.receiveSupplement(on: day("2025-02-10"))
        #expect(late.deadline(calendar: cn) == day("2025-02-21"))
    }

    @Test func onlyTheFirstSupplementRequestCounts() {
        var clock = DisclosureRequestClock(receivedOn: day("2025-01-20"))
        clock.receiveSupplement(on: day("2025-01-21"))
        #expect(clock.supplementReceivedOn == nil)
        clock.requestSupplement(on: day("2025-01-22"))
        clock.requestSupplement(on: day("2025-01-23"))
        #expect(clock.supplementRequestedOn == day("2025-01-22"))
    }

    @Test func order492HasNoSupplementWindow() {
        var clock = DisclosureRequestClock(receivedOn: day("2019-05-14"))
        #expect(clock.supplementRequestDeadline(calendar: cn) == nil)
        clock.requestSupplement(on: day("2019-07-01"))
        #expect(clock.isSupplementRequestTimely(calendar: cn) == true)
    }

    @Test func thirdPartyTimeIsExcludedUpToFifteenWorkingDays() {
        // given Friday 2025-09-19 (deadline 10-23), a third party consulted Monday 09-22 (that day counts)
        var clock = DisclosureRequestClock(receivedOn: day("2025-09-19"))
        clock.consultThirdParty(on: day("2025-09-22"))
        // then without a reply its 15 working days (09-23 … 10-17) are excluded: 10-23 + 15 → 11-13
        #expect(clock.workingDaysUsed(through: day("2025-10-17"), calendar: cn) == WorkingDays(1))
        #expect(clock.deadline(calendar: cn) == day("2025-11-13"))
        // when it replies Thursday 09-25, only 09-23 … 09-25 are excluded: 10-23 + 3 → 10-28
        clock.thirdPartyReplied(on: day("2025-09-25"))
        #expect(clock.deadline(calendar: cn) == day("2025-10-28"))
        // and a late reply does not stretch the exclusion past the 15th working day
        var late = DisclosureRequestClock(receivedOn: day("2025-09-19"))
        late.consultThirdParty(on: day("2025-09-22"))
        late.thirdPartyReplied(on: day("2025-11-03"))
        #expect(late.deadline(calendar: cn) == day("2025-11-13"))
    }

    @Test func order492ThirdPartyStopsTheClockUntilItReplies() {
        // given 2019-05-14 (deadline 06-04), consulted Thursday 05-16
        var clock = DisclosureRequestClock(receivedOn: day("2019-05-14"))
        clock.consultThirdParty(on: day("2019-05-16"))
        #expect(clock.deadline(calendar: cn) == nil)
        // when it replies Wednesday 05-22: 17, 20, 21, 22 excluded → 06-04 + 4: 05 06, (06-07 off), 10 11 → 06-11
        clock.thirdPartyReplied(on: day("2019-05-22"))
        #expect(clock.deadline(calendar: cn) == day("2019-06-11"))
    }

    @Test func jsonRoundTrip() throws {
        var clock = DisclosureRequestClock(receivedOn: day("2025-09-19"))
        clock.requestSupplement(on: day("2025-09-22"))
        clock.receiveSupplement(on: day("2025-09-24"))
        clock.extend(by: WorkingDays(10))
        clock.consultThirdParty(on: day("2025-09-25"))
        let data = try JSONEncoder().encode(clock)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""regime":"order-711""#))
        #expect(try JSONDecoder().decode(DisclosureRequestClock.self, from: data) == clock)
    }
}

@Suite("Interaction clocks and limits")
struct InteractionClockTests {
    @Test func letterAcrossSpringFestivalWithAnExtension() {
        // given a letter received Monday 2025-01-20, 15 working days (the default)
        var clock = InteractionClock(kind: .letter, startedOn: day("2025-01-20"), limits: .defaults)
        // then 21…24, Sunday 26, 27, (28 … 02-04 off), 02-05…07, Saturday 08, 10…14 → 02-14
        #expect(clock.deadline(calendar: cn) == day("2025-02-14"))
        // when 5 working days are granted: 17…21 → 02-21; Saturday 02-22 is not overdue, Monday 02-24 is
        clock.extend(by: WorkingDays(5))
        #expect(clock.totalLimit == WorkingDays(20))
        #expect(clock.deadline(calendar: cn) == day("2025-02-21"))
        #expect(!clock.isOverdue(on: day("2025-02-22"), calendar: cn))
        #expect(clock.isOverdue(on: day("2025-02-24"), calendar: cn))
        #expect(clock.firstOverdueDate(calendar: cn) == day("2025-02-24"))
    }

    @Test func consultationAnsweredDuringTheHolidayIsInTime() {
        // given a consultation Friday 2025-09-26, 3 working days: Sunday 28, 29, 30 → 09-30
        let clock = InteractionClock(kind: .consultation, startedOn: day("2025-09-26"), limits: .defaults)
        #expect(clock.deadline(calendar: cn) == day("2025-09-30"))
        // then an answer on 10-08 (holiday, no working day used since) is in time; 10-09 is late
        #expect(clock.answeredInTime(answeredOn: day("2025-10-08"), calendar: cn))
        #expect(!clock.answeredInTime(answeredOn: day("2025-10-09"), calendar: cn))
        #expect(clock.workingDaysRemaining(on: day("2025-10-09"), calendar: cn) == WorkingDays(-1))
    }

    @Test func limitsComeFromConfiguration() throws {
        #expect(InteractionLimits.defaults.limit(for: .letter) == WorkingDays(15))
        #expect(InteractionLimits.defaults.limit(for: .consultation) == WorkingDays(3))
        #expect(InteractionLimits.defaults.limit(for: .complaint) == WorkingDays(5))
        #expect(InteractionLimits.defaults.limit(for: .rectification) == WorkingDays(10))
        // given a file that sets only letters
        let limits = try InteractionLimits.decode(Data(#"{"letter": 10}"#.utf8))
        #expect(limits.letter == WorkingDays(10))
        #expect(limits.complaint == WorkingDays(5))
        // then a complaint about a case on Friday 2025-09-26 is due on 10-10 (28 29 30, 10-09 10)
        let complaint = InteractionClock(kind: .complaint, startedOn: day("2025-09-26"), limits: limits)
        #expect(complaint.deadline(calendar: cn) == day("2025-10-10"))
        // and bad values are rejected
        #expect(throws: ConfigurationError.self) { try InteractionLimits.decode(Data(#"{"complaint": 0}"#.utf8)) }
        #expect(throws: ConfigurationError.self) { try InteractionLimits.decode(Data(#"{"letter": "15"}"#.utf8)) }
        // and a file loads
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-limits-\(UUID().uuidString).json")
        try Data(#"{"rectification": 15}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try InteractionLimits.load(contentsOf: url).rectification == WorkingDays(15))
        #expect(throws: ConfigurationError.self) { try InteractionLimits.load(contentsOf: url.appendingPathExtension("missing")) }
    }

    @Test func roundTrip() throws {
        var clock = InteractionClock(kind: .rectification, startedOn: day("2025-01-20"), limit: WorkingDays(10))
        clock.extend(by: WorkingDays(3))
        #expect(try JSONDecoder().decode(InteractionClock.self, from: JSONEncoder().encode(clock)) == clock)
        #expect(try JSONDecoder().decode(InteractionLimits.self, from: JSONEncoder().encode(InteractionLimits.defaults)) == .defaults)
    }
}
