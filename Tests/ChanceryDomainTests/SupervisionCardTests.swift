import ChanceryDomain
import Foundation
import Testing

// Cards, step limits, irregularities and urges on the CN calendar; dates counted by hand and
// checked against chinese-calendar 1.11.0.

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

@Suite("Deadline cards")
struct DeadlineCardTests {
    @Test func twoDaysLeftComesBeforeEightyPercentOnAShortLimit() {
        // given Friday 2025-09-26 + 5 (deadline 10-10): 80 % = 4 used (10-09), 2 left = 3 used (09-30)
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        let t = YellowThreshold.standard
        #expect(DeadlineCards.card(for: clock, on: day("2025-09-29"), threshold: t, calendar: cn) == .none)
        #expect(DeadlineCards.card(for: clock, on: day("2025-09-30"), threshold: t, calendar: cn) == .yellow)
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-05"), threshold: t, calendar: cn) == .yellow)
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-10"), threshold: t, calendar: cn) == .yellow)
        // and red on Saturday 10-11, an adjusted working day
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-11"), threshold: t, calendar: cn) == .red)
        // and the wake-ups: 09-30, then 10-11, then none
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-09-29"), threshold: t, calendar: cn) == day("2025-09-30"))
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-09-30"), threshold: t, calendar: cn) == day("2025-10-11"))
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-10-11"), threshold: t, calendar: cn) == nil)
        // and with 80 % alone the yellow card waits for 10-09
        let fraction = YellowThreshold(fractionUsed: 0.8)
        #expect(DeadlineCards.yellowDate(for: clock, threshold: fraction, calendar: cn) == day("2025-10-09"))
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-08"), threshold: fraction, calendar: cn) == .none)
    }

    @Test func eightyPercentComesBeforeTwoDaysLeftOnALongLimit() {
        // given 09-26 + 20 (deadline 10-30): 80 % = 16 used on 10-24, 2 left = 18 used on 10-28
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(20))
        #expect(DeadlineCards.yellowDate(for: clock, threshold: .standard, calendar: cn) == day("2025-10-24"))
        #expect(DeadlineCards.yellowDate(for: clock, threshold: YellowThreshold(daysLeft: 2), calendar: cn) == day("2025-10-28"))
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-23"), threshold: .standard, calendar: cn) == .none)
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-24"), threshold: .standard, calendar: cn) == .yellow)
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-27"), threshold: YellowThreshold(daysLeft: 2), calendar: cn) == .none)
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-31"), threshold: .standard, calendar: cn) == .red)
    }

    @Test func acrossSpringFestival() {
        // given Monday 2025-01-20 + 10 (deadline Saturday 02-08): 8 used on 02-06 by both conditions
        let clock = CaseClock(acceptedOn: day("2025-01-20"), promisedLimit: WorkingDays(10))
        #expect(DeadlineCards.card(for: clock, on: day("2025-02-04"), threshold: .standard, calendar: cn) == .none)
        #expect(DeadlineCards.yellowDate(for: clock, threshold: .standard, calendar: cn) == day("2025-02-06"))
        #expect(DeadlineCards.card(for: clock, on: day("2025-02-09"), threshold: .standard, calendar: cn) == .yellow)
        #expect(DeadlineCards.card(for: clock, on: day("2025-02-10"), threshold: .standard, calendar: cn) == .red)
    }

    @Test func noNewCardWhilePaused() {
        // given 09-26 + 5 with a supplement requested 09-29 (used 2)
        var clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        clock.pause(on: day("2025-09-29"))
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-20"), threshold: .standard, calendar: cn) == .none)
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-09-29"), threshold: .standard, calendar: cn) == nil)
        // when it arrives 10-09: 10-10 (3) is yellow, red from 10-14
        clock.resume(on: day("2025-10-09"))
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-10-09"), threshold: .standard, calendar: cn) == day("2025-10-10"))
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-10-10"), threshold: .standard, calendar: cn) == day("2025-10-14"))
    }

    @Test func immediateCaseIsRedTheDayAfter() {
        let clock = CaseClock(acceptedOn: day("2025-01-27"), promisedLimit: .zero)
        #expect(DeadlineCards.card(for: clock, on: day("2025-01-27"), threshold: .standard, calendar: cn) == .none)
        #expect(DeadlineCards.card(for: clock, on: day("2025-01-28"), threshold: .standard, calendar: cn) == .red)
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-01-27"), threshold: .standard, calendar: cn) == day("2025-01-28"))
    }

    @Test func statutoryLimitCanBeWatched() {
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5), statutoryLimit: WorkingDays(20))
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-11"), threshold: .standard, limit: .statutory, calendar: cn) == .none)
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-11"), threshold: .standard, calendar: cn) == .red)
        #expect(DeadlineCards.yellowDate(for: clock, threshold: .standard, limit: .statutory, calendar: cn) == day("2025-10-24"))
    }

    @Test func noThresholdMeansOnlyRed() {
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(5))
        let off = YellowThreshold()
        #expect(DeadlineCards.card(for: clock, on: day("2025-10-10"), threshold: off, calendar: cn) == .none)
        #expect(DeadlineCards.nextCardDate(for: clock, after: day("2025-09-26"), threshold: off, calendar: cn) == day("2025-10-11"))
    }
}

@Suite("Supervision policy")
struct SupervisionPolicyTests {
    private let json = """
        {"default": {"yellow": {"fractionUsed": 0.8, "daysLeft": 2}},
         "caseTypes": {"joint": {"yellow": {"daysLeft": 5}, "stepLimits": {"review": 3}}},
         "items": {"430424-XK-001": {"yellow": {"fractionUsed": 0.5}}}}
        """

    @Test func itemOverridesCaseTypeOverridesDefault() throws {
        let policy = try SupervisionPolicy.decode(Data(json.utf8))
        // given 09-26 + 20: default → 16 used (10-24); joint → 15 used (10-23); the item → 10 used (10-16)
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(20))
        func yellow(_ item: String?, _ type: CaseType?) -> CivilDate? {
            DeadlineCards.yellowDate(for: clock, threshold: policy.yellowThreshold(itemCode: item, caseType: type), calendar: cn)
        }
        #expect(yellow("other", .promised) == day("2025-10-24"))
        #expect(yellow("other", .joint) == day("2025-10-23"))
        #expect(yellow("430424-XK-001", .joint) == day("2025-10-16"))
        #expect(yellow(nil, nil) == day("2025-10-24"))
        // and step limits inherit field by field: the item has none of its own, so the joint type's apply
        #expect(policy.stepLimits(itemCode: "430424-XK-001", caseType: .joint).review == WorkingDays(3))
        #expect(policy.stepLimits(itemCode: "430424-XK-001", caseType: .promised).review == nil)
    }

    @Test func emptyPolicyIsTheStandard() throws {
        let policy = try SupervisionPolicy.decode(Data("{}".utf8))
        #expect(policy == .standard)
        #expect(policy.yellowThreshold(itemCode: "x", caseType: .immediate) == YellowThreshold(fractionUsed: 0.8, daysLeft: 2))
        #expect(policy.urgeLimit == WorkingDays(5))
        #expect(try SupervisionPolicy.decode(Data(#"{"urgeLimit": 3}"#.utf8)).urgeLimit == WorkingDays(3))
    }

    @Test func roundTrip() throws {
        let policy = try SupervisionPolicy.decode(Data(json.utf8))
        let again = try SupervisionPolicy.decode(try JSONEncoder().encode(policy))
        #expect(again == policy)
        #expect(again.caseTypes[.joint]?.yellow?.daysLeft == 5)
    }

    @Test(arguments: [
        #"{"default": {"yellow": {"fractionUsed": 1.5}}}"#,
        #"{"default": {"yellow": {"fractionUsed": 0}}}"#,
        #"{"items": {"x": {"yellow": {"daysLeft": -1}}}}"#,
        #"{"caseTypes": {"urgent": {}}}"#,
        #"{"default": {"stepLimits": {"review": 0}}}"#,
        #"{"urgeLimit": 0}"#,
        #"{"default": "#,
    ])
    func malformedPoliciesAreRejected(text: String) {
        #expect(throws: ConfigurationError.self) { try SupervisionPolicy.decode(Data(text.utf8)) }
    }
}

@Suite("Step limits, irregularities, urges")
struct StepIrregularityUrgeTests {
    @Test func reviewStepPassesItsLimitAcrossNationalDay() {
        // given 09-26 + 10, handling completed Monday 09-29, review limit 2: 09-30 (1), 10-09 (2)
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(10))
        let start = day("2025-09-29")
        #expect(!StepCards.isOverdue(limit: WorkingDays(2), clock: clock, startedOn: start, on: day("2025-10-09"), calendar: cn))
        #expect(StepCards.isOverdue(limit: WorkingDays(2), clock: clock, startedOn: start, on: day("2025-10-10"), calendar: cn))
        #expect(StepCards.firstOverdueDate(limit: WorkingDays(2), clock: clock, startedOn: start, calendar: cn) == day("2025-10-10"))
        // and a review completed on 10-09 is never over
        #expect(!StepCards.isOverdue(limit: WorkingDays(2), clock: clock, startedOn: start, completedOn: day("2025-10-09"),
                                     on: day("2025-12-01"), calendar: cn))
        // and one completed 10-10 stays over
        #expect(StepCards.isOverdue(limit: WorkingDays(2), clock: clock, startedOn: start, completedOn: day("2025-10-10"),
                                    on: day("2025-12-01"), calendar: cn))
    }

    @Test func stepTimeExcludesASpecialProcedure() {
        // given handling from acceptance Friday 2025-01-24, limit 3; an inspection 01-24 … 02-06
        var clock = CaseClock(acceptedOn: day("2025-01-24"), promisedLimit: WorkingDays(10))
        clock.startSpecialProcedure(.inspection, on: day("2025-01-24"))
        clock.endSpecialProcedure(on: day("2025-02-06"))
        // then 02-07 (1), Saturday 02-08 (2), 02-10 (3): over from 02-11
        #expect(StepCards.firstOverdueDate(limit: WorkingDays(3), clock: clock, startedOn: day("2025-01-24"), calendar: cn) == day("2025-02-11"))
        #expect(StepCards.workingDaysUsed(clock: clock, startedOn: day("2025-01-24"), through: day("2025-02-10"), calendar: cn) == WorkingDays(3))
    }

    @Test func irregularities() {
        #expect(IrregularityRules.check([.refused(reason: "")]) == [.refusalWithoutReason])
        #expect(IrregularityRules.check([.refused(reason: "  \n")]) == [.refusalWithoutReason])
        #expect(IrregularityRules.check([.refused(reason: nil)]) == [.refusalWithoutReason])
        #expect(IrregularityRules.check([.refused(reason: "材料不齐全，不属于本机关职权范围")]).isEmpty)
        // a decision without a completed review
        #expect(IrregularityRules.check([.stepCompleted(.handling), .decided(approved: true, reason: nil)]) == [.decisionWithoutReview])
        #expect(IrregularityRules.check([.stepCompleted(.handling), .stepCompleted(.review), .decided(approved: true, reason: nil)]).isEmpty)
        // a review recorded after the decision does not mend it
        #expect(IrregularityRules.check([.decided(approved: true, reason: nil), .stepCompleted(.review)]) == [.decisionWithoutReview])
        // a disapproval needs a reason
        #expect(IrregularityRules.check([.stepCompleted(.review), .decided(approved: false, reason: " ")]) == [.disapprovalWithoutReason])
        #expect(IrregularityRules.check([.stepCompleted(.review), .decided(approved: false, reason: "不符合条件")]).isEmpty)
        // a second supplement request breaks 一次性告知
        #expect(IrregularityRules.check([.supplementRequested]).isEmpty)
        #expect(IrregularityRules.check([.supplementRequested, .supplementRequested, .supplementRequested]) == [.repeatedSupplement])
        // and each maps to the alert schema's kind and a card
        #expect(Irregularity.decisionWithoutReview.alertKind == "skipped-step")
        #expect(Irregularity.disapprovalWithoutReason.alertKind == "refusal-without-reason")
        #expect(Irregularity.refusalWithoutReason.card == .red)
        #expect(Irregularity.repeatedSupplement.card == .yellow)
    }

    @Test func urgeEscalatesTheDayAfterItsDeadlineWithoutAction() {
        // given an urge on Monday 2025-09-29 with deadline Friday 10-10
        let urge = Urge(urgedOn: day("2025-09-29"), deadline: day("2025-10-10"))
        #expect(urge.escalationDate == day("2025-10-11"))
        // then without action: not on 10-10, escalated on 10-11
        #expect(!urge.isEscalated(on: day("2025-10-10"), actionDays: []))
        #expect(urge.isEscalated(on: day("2025-10-11"), actionDays: []))
        // and a step on 10-09 meets it; so does one on the urge day or the deadline day
        #expect(!urge.isEscalated(on: day("2025-10-20"), actionDays: [day("2025-10-09")]))
        #expect(!urge.isEscalated(on: day("2025-10-20"), actionDays: [day("2025-09-29")]))
        #expect(!urge.isEscalated(on: day("2025-10-20"), actionDays: [day("2025-10-10")]))
        // and an action before the urge or after the deadline does not
        #expect(urge.isEscalated(on: day("2025-10-20"), actionDays: [day("2025-09-28"), day("2025-10-13")]))
    }

    @Test func urgeWithoutDeadlineGetsThePolicyLimitAcrossNationalDay() {
        // given an urge on Monday 2025-09-29 naming no deadline, 5 working days:
        // 09-30 (1), National Day 10-01…10-08 off, 10-09 (2), 10-10 (3), Saturday 10-11 adjusted (4), 10-13 (5)
        let urge = Urge(urgedOn: day("2025-09-29"), limit: SupervisionPolicy.standard.urgeLimit, calendar: cn)
        #expect(urge.deadline == day("2025-10-13"))
        #expect(urge.escalationDate == day("2025-10-14"))
    }

    @Test func cardsAreOrdered() {
        #expect(Card.none < .yellow && Card.yellow < .red)
        #expect([Card.red, .none, .yellow].max() == .red)
    }
}

@Suite("Alerts on any supervised stream")
struct SupervisedStreamAlertTests {
    @Test func alertStreamsTellKindsAndStepsApart() {
        // A case keeps the stream of version 1; other kinds carry their kind, so equal numbers never share a stream.
        #expect(SupervisionAlerts.subject(ofAlertID: "red/case/430424/2025-1", region: "430424") == "alert/430424/2025-1-red")
        #expect(SupervisionAlerts.subject(ofAlertID: "red/letter/430424/2025-1", region: "430424") == "alert/430424/letter-2025-1-red")
        #expect(SupervisionAlerts.subject(ofAlertID: "yellow/request/430424/2025-1", region: "430424") == "alert/430424/request-2025-1-yellow")
        #expect(SupervisionAlerts.subject(ofAlertID: "step/review/case/430424/2025-1", region: "430424") == "alert/430424/2025-1-review-red")
        #expect(SupervisionAlerts.subject(ofAlertID: "irregularity/urge-missed/letter/430424/2025-1", region: "430424")
                == "alert/430424/letter-2025-1-urge-missed")
        #expect(SupervisionAlerts.subject(ofAlertID: "resolved/red/case/430424/2025-1", region: "430424") == nil)
    }

    @Test func stepCardIsValidVersion2Data() throws {
        // The review step of a case accepted Friday 2025-09-26, handling completed Monday 09-29, limit 2: 09-30 (1),
        // 10-09 (2) → overdue from 10-10.
        let clock = CaseClock(acceptedOn: day("2025-09-26"), promisedLimit: WorkingDays(20))
        #expect(StepCards.deadline(limit: WorkingDays(2), clock: clock, startedOn: day("2025-09-29"), calendar: cn) == day("2025-10-09"))
        let card = DeadlineAlerts.breach(
            caseSubject: "case/430424/2025-1", region: "430424", departmentCode: "scjgj", itemCode: "430424XK0012",
            deadline: day("2025-10-09"), limit: WorkingDays(2), step: .review, calendar: cn,
            overdueOn: StepCards.firstOverdueDate(limit: WorkingDays(2), clock: clock, startedOn: day("2025-09-29"), calendar: cn))
        #expect(card.id == "step/review/case/430424/2025-1" && card.subject == "alert/430424/2025-1-review-red")
        #expect(card.time == "2025-10-10T00:00:00+08:00")
        #expect(card.data["step"] == "review" && card.data["limitUnit"] == "working-days")
        try EventValidator.validateData(card.data, of: EventCatalog.named("DeadlineBreached"), version: 2, pointer: "/data")
    }

    @Test func replyClockYellowAndRedDaysAcrossNationalDay() {
        // A request received Friday 2025-09-19 (order 711): deadline 10-23; 80 % = 16 used on 10-17; overdue 10-24.
        func fold(_ events: [(String, JSONValue, String)]) -> ReplyFile? {
            events.reduce(nil) { file, e in
                ReplyFile.evolve(file, ReplyEvent(name: e.0, data: e.1)!, on: day(e.2), calendar: cn, rules: ReplyFile.Rules())
            }
        }
        guard let received = fold([("DisclosureRequestReceived", [:], "2025-09-19")]) else { Issue.record("no file"); return }
        let request = received.clock
        #expect(request.deadline(calendar: cn) == day("2025-10-23"))
        #expect(request.yellowDate(threshold: .standard, calendar: cn) == day("2025-10-17"))
        #expect(request.firstOverdueDate(calendar: cn) == day("2025-10-24"))
        // An outstanding correction (requested 09-22, within 7 working days) stops it: no deadline, no card day.
        let stopped = fold([("DisclosureRequestReceived", [:], "2025-09-19"), ("DisclosureSupplementRequested", [:], "2025-09-22")])?.clock
        #expect(stopped?.deadline(calendar: cn) == nil && stopped?.yellowDate(threshold: .standard, calendar: cn) == nil)
        // A letter received 09-29, accepted, its limit set to 10 on transfer, then extended by 5 → 15 working days: 09-30 (1),
        // 10-09 (2), 10-10 (3), Saturday 10-11 (4), 10-13…10-17 (9), 10-20…10-24 (14), 10-27 (15) → 10-27.
        guard let letter = fold([("LetterReceived", [:], "2025-09-29"), ("LetterAccepted", [:], "2025-09-29"),
                                 ("LetterTransferred", ["toDepartmentCode": "zjj", "replyLimit": 10], "2025-09-30"),
                                 ("LetterExtensionGranted", ["extensionLimit": 5, "reason": "需现场核实"], "2025-10-09")])?.clock else {
            Issue.record("no letter file"); return
        }
        #expect(letter.limit == WorkingDays(15))
        #expect(letter.deadline(calendar: cn) == day("2025-10-27"))
    }
}
