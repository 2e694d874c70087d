/// Everything the consumers know about one case (办件, stream `case/<region>/<caseNumber>`), folded from its events in
/// one place: its lifecycle position (``CaseState``, the same fold the gateway's rules use), its clock in working days
/// (``CaseClock``), its steps, decision, conclusion, latest urge (督办) and rating (好差评) with the rectification of a
/// bad one. The projector writes `approval.cases` from it; the supervisor watches it (with its own record of the alerts
/// it raised); neither folds a case event itself.
///
/// Pure: the caller gives each event's day (the date of its `time` in the region's time zone) and the region's
/// calendar. Stored as JSON (`approval.cases.case_file`, `supervision.case_clocks.case_file`): synthesized coding
/// with these member names; members added later must decode when absent.
public struct CaseFile: Sendable, Hashable, Codable {
    /// The rules a case file needs beside its events.
    public struct Rules: Sendable, Hashable {
        /// Working days an urge without its own deadline gives the department (``SupervisionPolicy/urgeLimit``).
        public var urgeLimit: WorkingDays
        /// The rectification limit of a bad rating (``InteractionLimits/rectification``).
        public var interactionLimits: InteractionLimits

        public init(urgeLimit: WorkingDays = SupervisionPolicy.defaultUrgeLimit, interactionLimits: InteractionLimits = .defaults) {
            self.urgeLimit = urgeLimit
            self.interactionLimits = interactionLimits
        }
    }

    /// The lifecycle position (``CaseLifecycle/evolve(_:_:)``).
    public var lifecycle: CaseState
    /// The case type given at acceptance (即办件, 承诺件, …).
    public var caseType: CaseType?
    /// The clock, from acceptance on.
    public var clock: CaseClock?
    /// Working days used of the promised limit as of the latest clock event (acceptance, a pause or its end, the
    /// conclusion); nil before acceptance or without a calendar.
    public var daysUsed: Int?
    /// How many supplements (补正) were requested.
    public var supplements: Int
    /// Whether the case reports its steps at all (any StepCompleted).
    public var stepsReported: Bool
    /// The first day each handling step was completed, by ``CaseStep`` raw value.
    public var stepsCompleted: [String: CivilDate]
    /// The decision (`approved`, `disapproved`) and its reason, once decided.
    public var decision: String?
    public var decisionReason: String?
    /// The reason of a refusal at intake (不予受理), when given.
    public var refusalReason: String?
    /// The follow-up rating after a bad rating was rectified, when given.
    public var followUpSatisfactionCode: Int?
    /// The days of the refusal at intake, the decision and the conclusion.
    public var refusedOn: CivilDate?
    public var decidedOn: CivilDate?
    public var concludedOn: CivilDate?
    /// How the conclusion stands against the promised limit; nil without a calendar.
    public var outcome: CaseOutcome?
    /// The day of the latest urge and its deadline (nil when it names none and no calendar covers the region).
    public var urgedOn: CivilDate?
    public var urge: Urge?
    /// Whether the department acted (a step, the decision, the conclusion) within the latest urge's window.
    public var urgeMet: Bool
    /// The day of the rating; the rectification clock of a bad rating (4–5) and the day it was rectified.
    public var ratedOn: CivilDate?
    public var rectification: InteractionClock?
    public var rectifiedOn: CivilDate?

    /// The file of a case just submitted.
    public init(submitted lifecycle: CaseState) {
        self.lifecycle = lifecycle
        supplements = 0
        stepsReported = false
        stepsCompleted = [:]
        urgeMet = false
    }

    /// Whether the case is under the clock: accepted and not concluded, refused or withdrawn (a pause counts).
    public var isRunning: Bool {
        [.accepted, .supplementing, .reportedUpward, .decided].contains(lifecycle.status) && concludedOn == nil
    }

    /// Whether the review step (审核) was completed.
    public var reviewCompleted: Bool { stepsCompleted[CaseStep.review.rawValue] != nil }

    /// Folds `event`, dated `day` in the region, into the file. An event the lifecycle rules refuse
    /// (``CaseLifecycle``, possible only for a record produced around the gateway) leaves the file unchanged, as it
    /// leaves the stream head's state.
    ///
    /// - Parameters:
    ///   - calendar: the region's working-day calendar; without one, working days used, the outcome and a deadline
    ///     the event does not name stay unknown.
    /// - Returns: nil when `event` cannot start a file (`self` is nil and it is not CaseSubmitted).
    public static func evolve(_ file: CaseFile?, _ event: CaseEvent, on day: CivilDate, calendar: WorkingDayCalendar?, rules: Rules) -> CaseFile? {
        guard allows(event, after: file), let lifecycle = CaseLifecycle.evolve(file?.lifecycle, event) else { return file }
        guard var f = file else { return CaseFile(submitted: lifecycle) }
        f.lifecycle = lifecycle
        switch event {
        case .submitted, .reportedUpward, .returnedFromUpward, .delivered, .withdrawn:
            break
        case .accepted(let caseType, let promisedLimit, let unit, let statutoryLimit):
            f.caseType = caseType
            f.clock = CaseClock(acceptedOn: day, promisedLimit: promisedLimit, promisedLimitUnit: unit, statutoryLimit: statutoryLimit)
            f.daysUsed = 0
        case .refused(let reason):
            f.refusedOn = day
            f.refusalReason = reason
        case .supplementRequested:
            f.supplements += 1
            f.clock?.pause(on: day)
            f.recount(through: day, calendar: calendar)
        case .supplementReceived:
            f.clock?.resume(on: day)
            f.recount(through: day, calendar: calendar)
        case .specialProcedureStarted(let kind):
            f.clock?.startSpecialProcedure(kind, on: day)
            f.recount(through: day, calendar: calendar)
        case .specialProcedureEnded:
            f.clock?.endSpecialProcedure(on: day)
            f.recount(through: day, calendar: calendar)
        case .stepCompleted(let step):
            f.stepsReported = true
            if let step, f.stepsCompleted[step.rawValue] == nil { f.stepsCompleted[step.rawValue] = day }
        case .decided(let decision, let reason):
            f.decision = decision
            f.decisionReason = reason
            f.decidedOn = day
        case .concluded:
            f.concludedOn = day
            if let clock = f.clock, let calendar {
                let used = clock.daysUsed(.promised, through: day, calendar: calendar)
                f.daysUsed = used
                f.outcome = CaseOutcome.classify(used: WorkingDays(used), limit: clock.promisedLimit, acceptedOn: clock.acceptedOn, concludedOn: day)
            }
        case .urged(let deadline):
            f.urgedOn = day
            f.urge = deadline.map { Urge(urgedOn: day, deadline: $0) } ?? calendar.map { Urge(urgedOn: day, limit: rules.urgeLimit, calendar: $0) }
            f.urgeMet = false
        case .rated(let code):
            f.ratedOn = day
            // A bad rating (4 or 5, GLOSSARY.md "service rating") must be rectified within the configured limit.
            if (code ?? 0) >= 4, f.rectification == nil {
                f.rectification = InteractionClock(kind: .rectification, startedOn: day, limits: rules.interactionLimits)
            }
        case .badRatingRectified(let followUp):
            if f.rectifiedOn == nil { f.rectifiedOn = day }
            f.followUpSatisfactionCode = followUp
        }
        // A completed step, a decision or the conclusion within the window meets the urge (``Urge``).
        if event.meetsUrge, let urge = f.urge, urge.isMet(byActionOn: day) { f.urgeMet = true }
        return f
    }

    /// Whether `event` may follow `file` (nil: no event yet) under the lifecycle rules (``CaseLifecycle``); ``evolve``
    /// ignores an event that may not.
    public static func allows(_ event: CaseEvent, after file: CaseFile?) -> Bool {
        CaseLifecycle.violatedRule(event, given: file?.lifecycle) == nil
    }

    /// Working days used through `day` after a clock change (nil without a calendar).
    private mutating func recount(through day: CivilDate, calendar: WorkingDayCalendar?) {
        guard let clock, let calendar else { return }
        daysUsed = clock.daysUsed(.promised, through: day, calendar: calendar)
    }

    /// Whether the rectification of a bad rating came within its limit; nil when not rated badly or not rectified.
    public func rectifiedInTime(calendar: WorkingDayCalendar) -> Bool? {
        guard let rectification, let rectifiedOn else { return nil }
        return rectifiedOn <= rectification.deadline(calendar: calendar)
    }

    enum CodingKeys: String, CodingKey {
        case lifecycle, caseType, clock, daysUsed, supplements, stepsReported, stepsCompleted, decision, decisionReason, refusalReason,
             followUpSatisfactionCode, refusedOn, decidedOn,
             concludedOn, outcome, urgedOn, urge, urgeMet, ratedOn, rectification, rectifiedOn
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lifecycle = try c.decode(CaseState.self, forKey: .lifecycle)
        caseType = try c.decodeIfPresent(CaseType.self, forKey: .caseType)
        clock = try c.decodeIfPresent(CaseClock.self, forKey: .clock)
        daysUsed = try c.decodeIfPresent(Int.self, forKey: .daysUsed)
        supplements = try c.decodeIfPresent(Int.self, forKey: .supplements) ?? 0
        stepsReported = try c.decodeIfPresent(Bool.self, forKey: .stepsReported) ?? false
        stepsCompleted = try c.decodeIfPresent([String: CivilDate].self, forKey: .stepsCompleted) ?? [:]
        decision = try c.decodeIfPresent(String.self, forKey: .decision)
        decisionReason = try c.decodeIfPresent(String.self, forKey: .decisionReason)
        refusalReason = try c.decodeIfPresent(String.self, forKey: .refusalReason)
        followUpSatisfactionCode = try c.decodeIfPresent(Int.self, forKey: .followUpSatisfactionCode)
        refusedOn = try c.decodeIfPresent(CivilDate.self, forKey: .refusedOn)
        decidedOn = try c.decodeIfPresent(CivilDate.self, forKey: .decidedOn)
        concludedOn = try c.decodeIfPresent(CivilDate.self, forKey: .concludedOn)
        outcome = try c.decodeIfPresent(CaseOutcome.self, forKey: .outcome)
        urgedOn = try c.decodeIfPresent(CivilDate.self, forKey: .urgedOn)
        urge = try c.decodeIfPresent(Urge.self, forKey: .urge)
        urgeMet = try c.decodeIfPresent(Bool.self, forKey: .urgeMet) ?? false
        ratedOn = try c.decodeIfPresent(CivilDate.self, forKey: .ratedOn)
        rectification = try c.decodeIfPresent(InteractionClock.self, forKey: .rectification)
        rectifiedOn = try c.decodeIfPresent(CivilDate.self, forKey: .rectifiedOn)
    }
}
