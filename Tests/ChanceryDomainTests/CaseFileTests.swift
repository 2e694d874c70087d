import ChanceryDomain
import Foundation
import Testing

// The one fold of a case (CaseFile): table tests on the CN calendar. Working days are counted by hand from the
// 2025 State Council holiday notice (National Day 10-01 … 10-08 off, Sunday 09-28 and Saturday 10-11 worked).

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

private let submitted = CaseEvent.submitted(caseNumber: "2025-1", itemCode: "ITEM", departmentCode: "DEPT", applicantName: nil)
private let accepted5 = CaseEvent.accepted(caseType: .promised, promisedLimit: WorkingDays(5), promisedLimitUnit: .workingDays,
                                           statutoryLimit: WorkingDays(20))

/// Folds `events` (each with its day) from nothing.
private func fold(_ events: [(CaseEvent, String)], calendar: WorkingDayCalendar? = cn, rules: CaseFile.Rules = .init()) -> CaseFile? {
    events.reduce(nil as CaseFile?) { file, next in CaseFile.evolve(file, next.0, on: day(next.1), calendar: calendar, rules: rules) }
}

@Suite("Case file: the one fold of a case")
struct CaseFileTests {
    @Test func decodingReadsEveryCaseTypeAndNothingElse() {
        #expect(CaseEvent(name: "CaseAccepted", data: ["promisedLimit": 5, "caseType": "promised", "statutoryLimit": 20]) == accepted5)
        #expect(CaseEvent(name: "SpecialProcedureStarted", data: ["specialProcedureKind": "hearing"]) == .specialProcedureStarted(.hearing))
        #expect(CaseEvent(name: "SpecialProcedureStarted", data: ["specialProcedureKind": "séance"]) == .specialProcedureStarted(.other))
        #expect(CaseEvent(name: "StepCompleted", data: ["step": "review"]) == .stepCompleted(.review))
        #expect(CaseEvent(name: "CaseUrged", data: ["deadline": "2025-02-30"]) == .urged(deadline: nil))
        #expect(CaseEvent(name: "CaseAccepted", data: [:]) == .accepted(caseType: nil, promisedLimit: .zero, promisedLimitUnit: .workingDays,
                                                                        statutoryLimit: nil))
        #expect(CaseEvent(name: "LetterReceived", data: [:]) == nil)
        // every catalogued case type decodes, and its name round-trips
        let caseTypes = EventCatalog.all.filter { $0.streamKind == "case" }
        #expect(caseTypes.count == 17)
        for type in caseTypes {
            #expect(CaseEvent(name: type.name, data: [:])?.name == type.name, "\(type.name)")
        }
    }

    @Test func theClockStopsForASupplementAndASpecialProcedureAndTheCaseStaysAccepted() throws {
        // accepted Friday 09-26 (5 working days); supplement 09-29 … 09-30; hearing 10-09 … 10-10; concluded 10-13
        let file = try #require(fold([
            (submitted, "2025-09-25"), (accepted5, "2025-09-26"),
            (.supplementRequested, "2025-09-29"), (.supplementReceived, "2025-09-30"),
            (.specialProcedureStarted(.hearing), "2025-10-09"),
        ]))
        // then during the hearing the lifecycle status is accepted with the procedure beside it (one vocabulary)
        #expect(file.lifecycle.status == .accepted)
        #expect(file.lifecycle.specialProcedure == "hearing")
        #expect(file.isRunning)
        #expect(file.supplements == 1)
        // used: 09-28 (Sunday, worked) and 09-29 (the request day counts) = 2 … the pause holds 09-30; then nothing to 10-08
        #expect(file.daysUsed == file.clock?.daysUsed(.promised, through: day("2025-10-09"), calendar: cn))
        let ended = try #require(CaseFile.evolve(file, .specialProcedureEnded(.hearing), on: day("2025-10-10"), calendar: cn, rules: .init()))
        #expect(ended.lifecycle.specialProcedure == nil)
        #expect(ended.clock?.specialProcedures.count == 1)
    }

    @Test func conclusionClassifiesAgainstThePromisedLimit() throws {
        // accepted Friday 09-26 with 5 working days: 09-28, 09-29, 09-30, 10-09, 10-10 → deadline 10-10
        let base: [(CaseEvent, String)] = [(submitted, "2025-09-25"), (accepted5, "2025-09-26"),
                                           (.decided(decision: "approved", reason: nil), "2025-09-30")]
        let early = try #require(fold(base + [(.concluded, "2025-09-30")]))
        #expect(early.outcome == .early)
        #expect(early.daysUsed == 3)
        #expect(early.concludedOn == day("2025-09-30"))
        #expect(!early.isRunning)
        let onTime = try #require(fold(base + [(.concluded, "2025-10-10")]))
        #expect(onTime.outcome == .onTime)
        #expect(onTime.daysUsed == 5)
        // Saturday 10-11 is a working day: one over
        let overdue = try #require(fold(base + [(.concluded, "2025-10-11")]))
        #expect(overdue.outcome == .overdue)
        #expect(overdue.daysUsed == 6)
        // without a calendar the outcome stays unknown, never guessed
        let unknown = try #require(fold(base + [(.concluded, "2025-10-11")], calendar: nil))
        #expect(unknown.outcome == nil)
        #expect(unknown.concludedOn == day("2025-10-11"))
    }

    @Test func anUrgeIsMetByAnActionInItsWindowOnly() throws {
        let base: [(CaseEvent, String)] = [(submitted, "2025-09-25"), (accepted5, "2025-09-26")]
        // an urge without its own deadline gets the policy's 5 working days: 09-29 → 09-30, 10-09, 10-10, 10-11, 10-13
        let urged = try #require(fold(base + [(.urged(deadline: nil), "2025-09-29")]))
        #expect(urged.urge?.deadline == day("2025-10-13"))
        #expect(urged.urgedOn == day("2025-09-29"))
        #expect(!urged.urgeMet)
        #expect(urged.lifecycle.urgeCount == 1)
        let met = try #require(CaseFile.evolve(urged, .stepCompleted(.handling), on: day("2025-10-13"), calendar: cn, rules: .init()))
        #expect(met.urgeMet)
        let late = try #require(CaseFile.evolve(urged, .stepCompleted(.handling), on: day("2025-10-14"), calendar: cn, rules: .init()))
        #expect(!late.urgeMet)
        // an urge's own deadline wins; without a calendar and without one, the deadline is unknown
        #expect(fold(base + [(.urged(deadline: day("2025-10-01")), "2025-09-29")])?.urge?.deadline == day("2025-10-01"))
        let blind = try #require(fold(base + [(.urged(deadline: nil), "2025-09-29")], calendar: nil))
        #expect(blind.urge == nil)
        #expect(blind.urgedOn == day("2025-09-29"))
    }

    @Test func aBadRatingStartsARectificationClock() throws {
        let base: [(CaseEvent, String)] = [(submitted, "2025-09-25"), (accepted5, "2025-09-26"),
                                           (.decided(decision: "approved", reason: nil), "2025-09-29"), (.concluded, "2025-09-29")]
        let good = try #require(fold(base + [(.rated(satisfactionCode: 2), "2025-09-30")]))
        #expect(good.rectification == nil)
        #expect(good.lifecycle.satisfactionCode == 2)
        let bad = try #require(fold(base + [(.rated(satisfactionCode: 5), "2025-09-30")], rules: .init(interactionLimits: .defaults)))
        let clock = try #require(bad.rectification)
        #expect(clock.startedOn == day("2025-09-30"))
        #expect(clock.limit == InteractionLimits.defaults.rectification)
        let rectified = try #require(CaseFile.evolve(bad, .badRatingRectified(followUpSatisfactionCode: 2), on: day("2025-10-09"),
                                                     calendar: cn, rules: .init()))
        #expect(rectified.rectifiedOn == day("2025-10-09"))
        #expect(rectified.followUpSatisfactionCode == 2)
        #expect(rectified.lifecycle.rectified)
        #expect(rectified.rectifiedInTime(calendar: cn) == (day("2025-10-09") <= clock.deadline(calendar: cn)))
    }

    @Test func anEventTheRulesRefuseLeavesTheFileAsItWas() throws {
        let accepted = try #require(fold([(submitted, "2025-09-25"), (accepted5, "2025-09-26")]))
        // a conclusion before a decision, a second acceptance, a delivery of an open case
        for illegal: CaseEvent in [.concluded, accepted5, .delivered, .supplementReceived, .specialProcedureEnded(nil)] {
            #expect(!CaseFile.allows(illegal, after: accepted))
            #expect(CaseFile.evolve(accepted, illegal, on: day("2025-10-09"), calendar: cn, rules: .init()) == accepted, "\(illegal.name)")
        }
        // nothing but a submission starts a file
        #expect(CaseFile.evolve(nil, accepted5, on: day("2025-09-26"), calendar: cn, rules: .init()) == nil)
    }

    @Test func theFileRoundTripsThroughJSONAndToleratesMissingMembers() throws {
        let file = try #require(fold([(submitted, "2025-09-25"), (accepted5, "2025-09-26"), (.supplementRequested, "2025-09-29"),
                                      (.urged(deadline: nil), "2025-09-30")]))
        let decoded = try JSONDecoder().decode(CaseFile.self, from: JSONEncoder().encode(file))
        #expect(decoded == file)
        // a file stored by a version that knew only the lifecycle decodes with the defaults
        let minimal = #"{"lifecycle":{"status":"submitted","itemCode":"I","departmentCode":"D"}}"#
        let old = try JSONDecoder().decode(CaseFile.self, from: Data(minimal.utf8))
        #expect(old.lifecycle.status == .submitted)
        #expect(old.stepsCompleted.isEmpty)
        #expect(!old.urgeMet)
    }
}
