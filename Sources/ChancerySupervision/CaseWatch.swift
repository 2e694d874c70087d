import ChanceryDomain

/// One case as the supervisor watches it: its clock, its status, its steps, its urge, the rectification of a bad
/// rating, and the alerts raised for it. Pure: the ``Supervisor`` loads it from and saves it to
/// `supervision.case_clocks`.
///
/// ``observe(_:name:day:calendar:policy:limits:)`` folds one case event in and returns the alerts it causes, in
/// order: alerts that fell due before the event (time has passed — the event is the proof), irregularities the
/// event shows, and the resolutions of its deadline cards when the case leaves supervision (concluded, refused or
/// withdrawn; irregularities stay open for the supervision office). ``dueAlerts(on:calendar:policy:)`` gives the
/// alerts due on a day with no event (the region's watermark or the wall clock moved), and
/// ``nextDueDate(calendar:policy:)`` the first day on which one can fall due, so the supervisor looks at a case
/// only then.
struct CaseWatch: Sendable {
    var subject: String
    var region: String
    var departmentCode: String
    var itemCode: String
    var caseType: CaseType?
    var status: String
    var clock: CaseClock?
    var concludedOn: CivilDate?
    var used: Int?
    var outcome: CaseOutcome?
    var yellowAlertID: String?
    var redAlertID: String?
    var irregularityAlertIDs: [String] = []
    var reviewCompleted = false
    /// Whether the case reports its steps at all (any StepCompleted): a system that reports none (a legacy
    /// import) or an immediate case (即办件, no review by design) cannot skip the review step.
    var stepsReported = false
    var supplements = 0
    /// The latest urge (督办) — its own deadline or the policy's — and whether the department acted in its window.
    var urge: Urge?
    var urgeMet = false
    var resolvedOn: CivilDate?
    var lastSequence: Int64
    /// The days the handling steps were completed (StepCompleted), by ``CaseStep`` raw value.
    var stepsCompleted: [String: CivilDate] = [:]
    /// Red cards raised for steps past their own limits (`step/<step>/<case>`).
    var stepAlertIDs: [String] = []
    /// The rectification clock of a bad rating (差评, CaseRated level 4 or 5), and the day it was rectified.
    var rectification: InteractionClock?
    var rectifiedOn: CivilDate?

    /// Statuses in which the clock runs toward a card.
    static let running: Set<String> = ["accepted", "supplementing", "special-procedure", "reported-upward", "decided"]

    var isRunning: Bool { Self.running.contains(status) && concludedOn == nil }

    /// Alerts due on `day` not raised yet: the escalation of a missed urge, the yellow and red cards and the step
    /// cards of a running case, and an unrectified bad rating.
    func dueAlerts(on day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        var out: [CloudEvent] = []
        if let urge, !urgeMet, isRunning, urge.isEscalated(on: day, actionDays: []) {
            out.append(irregularity(.urgeMissed, "the urge (督办) of \(urge.urgedOn) was not acted on by its deadline \(urge.deadline)",
                                    time: DeadlineAlerts.startOfDay(urge.escalationDate, timeZoneIdentifier: calendar.timeZoneIdentifier)))
        }
        if let rectification, rectifiedOn == nil, rectification.isOverdue(on: day, calendar: calendar) {
            let deadline = rectification.deadline(calendar: calendar)
            out.append(irregularity(
                .unrectifiedBadRating, "the bad rating (差评) of \(rectification.startedOn) was not rectified by \(deadline) (\(rectification.totalLimit) working days)",
                time: DeadlineAlerts.startOfDay(rectification.firstOverdueDate(calendar: calendar), timeZoneIdentifier: calendar.timeZoneIdentifier)))
        }
        out = out.filter { !irregularityAlertIDs.contains($0.id) }
        return out + deadlineCards(on: day, calendar: calendar, policy: policy) + stepCards(on: day, calendar: calendar, policy: policy)
    }

    /// The first day after the alerts raised so far on which another can fall due, if nothing else happens; `nil`
    /// when none can (the case left supervision, or an open pause holds its clock).
    func nextDueDate(calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> CivilDate? {
        var dates: [CivilDate?] = []
        if let urge, !urgeMet, isRunning, !irregularityAlertIDs.contains(alertID(.urgeMissed)) { dates.append(urge.escalationDate) }
        if let rectification, rectifiedOn == nil, !irregularityAlertIDs.contains(alertID(.unrectifiedBadRating)) {
            dates.append(rectification.firstOverdueDate(calendar: calendar))
        }
        if isRunning, let clock, redAlertID == nil {
            let threshold = policy.yellowThreshold(itemCode: itemCode, caseType: caseType)
            if yellowAlertID == nil, (clock.value(of: .promised) ?? 0) > 0 {
                dates.append(DeadlineCards.yellowDate(for: clock, threshold: threshold, calendar: calendar))
            }
            dates.append(clock.firstOverdueDate(.promised, calendar: calendar))
        }
        for (step, startedOn, limit) in openSteps(policy: policy) where !stepAlertIDs.contains(stepAlertID(step)) {
            if let clock { dates.append(StepCards.firstOverdueDate(limit: limit, clock: clock, startedOn: startedOn, calendar: calendar)) }
        }
        return dates.compactMap { $0 }.min()
    }

    /// The yellow and red cards due on `day` not raised yet, for a running case.
    private func deadlineCards(on day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        guard isRunning, let clock, redAlertID == nil else { return [] }
        let threshold = policy.yellowThreshold(itemCode: itemCode, caseType: caseType)
        let card = DeadlineCards.card(for: clock, on: day, threshold: threshold, calendar: calendar)
        var out: [CloudEvent] = []
        let limit = clock.value(of: .promised) ?? 0
        if card >= .yellow, yellowAlertID == nil, limit > 0, let deadline = clock.deadline(.promised, calendar: calendar),
           let yellowDay = DeadlineCards.yellowDate(for: clock, threshold: threshold, calendar: calendar) {
            out.append(SupervisionAlerts.warning(
                caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode, deadline: deadline, limit: limit,
                unit: clock.promisedLimitUnit, remaining: clock.daysRemaining(.promised, on: yellowDay, calendar: calendar) ?? 0,
                on: yellowDay, calendar: calendar))
        }
        if card == .red, let deadline = clock.deadline(.promised, calendar: calendar) {
            out.append(DeadlineAlerts.breach(caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode,
                                             deadline: deadline, limit: WorkingDays(limit), unit: clock.promisedLimitUnit, calendar: calendar,
                                             overdueOn: clock.firstOverdueDate(.promised, calendar: calendar)))
        }
        return out
    }

    /// Red cards for the steps of a running case that passed their own limits (``StepCards``) by `day`.
    private func stepCards(on day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        guard isRunning, let clock else { return [] }
        return openSteps(policy: policy).compactMap { step, startedOn, limit in
            guard !stepAlertIDs.contains(stepAlertID(step)),
                  StepCards.isOverdue(limit: limit, clock: clock, startedOn: startedOn, on: day, calendar: calendar),
                  let deadline = StepCards.deadline(limit: limit, clock: clock, startedOn: startedOn, calendar: calendar) else { return nil }
            return DeadlineAlerts.breach(caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode,
                                         deadline: deadline, limit: limit, step: step, calendar: calendar,
                                         overdueOn: StepCards.firstOverdueDate(limit: limit, clock: clock, startedOn: startedOn, calendar: calendar))
        }
    }

    /// The steps with a limit in the policy that have started and are not completed: handling from acceptance,
    /// review from the day handling was completed, decision from the day review was completed.
    private func openSteps(policy: SupervisionPolicy) -> [(CaseStep, CivilDate, WorkingDays)] {
        guard let clock, isRunning else { return [] }
        let limits = policy.stepLimits(itemCode: itemCode, caseType: caseType)
        let started: [CaseStep: CivilDate?] = [
            .handling: clock.acceptedOn, .review: stepsCompleted[CaseStep.handling.rawValue], .decision: stepsCompleted[CaseStep.review.rawValue],
        ]
        return CaseStep.allCases.compactMap { step in
            guard let limit = limits[step], let startedOn = started[step] ?? nil, stepsCompleted[step.rawValue] == nil else { return nil }
            return (step, startedOn, limit)
        }
    }

    private func alertID(_ irregularity: Irregularity) -> String { "irregularity/\(irregularity.rawValue)/\(subject)" }
    private func stepAlertID(_ step: CaseStep) -> String { "step/\(step.rawValue)/\(subject)" }

    private func irregularity(_ irregularity: Irregularity, _ description: String, time: String) -> CloudEvent {
        SupervisionAlerts.irregularity(irregularity, caseSubject: subject, region: region, departmentCode: departmentCode,
                                       itemCode: itemCode, description: description, time: time)
    }

    /// Records that `alerts` were raised for this case.
    mutating func record(_ alerts: [CloudEvent]) {
        for a in alerts {
            switch a.type {
            case "gov.supervision.alert.deadline.warning.raised": yellowAlertID = a.id
            case "gov.supervision.alert.deadline.breached":
                if a.id.hasPrefix("step/") { if !stepAlertIDs.contains(a.id) { stepAlertIDs.append(a.id) } } else { redAlertID = a.id }
            case "gov.supervision.alert.irregularity.flagged": if !irregularityAlertIDs.contains(a.id) { irregularityAlertIDs.append(a.id) }
            default: break
            }
        }
    }

    /// Folds the case event `event` (glossary name `name`, dated `day` in the region) in; returns the alerts it causes.
    ///
    /// - Parameter limits: the rectification limit of a bad rating comes from here.
    mutating func observe(
        _ event: CloudEvent, name: String, day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy, limits: InteractionLimits
    ) -> [CloudEvent] {
        var alerts = dueAlerts(on: day, calendar: calendar, policy: policy)
        record(alerts)
        lastSequence = event.sequence ?? lastSequence
        let d = event.data
        func flag(_ irregularity: Irregularity, _ description: String) {
            let alert = self.irregularity(irregularity, description, time: event.time)
            if !irregularityAlertIDs.contains(alert.id) { alerts.append(alert); record([alert]) }
        }
        switch name {
        case "CaseAccepted":
            status = "accepted"
            caseType = d["caseType"]?.stringValue.flatMap(CaseType.init(rawValue:))
            clock = CaseClock(acceptedOn: day, promisedLimit: WorkingDays(Int(d["promisedLimit"]?.integerValue ?? 0)),
                              promisedLimitUnit: d["promisedLimitUnit"]?.stringValue.flatMap(LimitUnit.init(rawValue:)) ?? .workingDays,
                              statutoryLimit: d["statutoryLimit"]?.integerValue.map { WorkingDays(Int($0)) })
        case "CaseRefused":
            status = "refused"
            for i in IrregularityRules.check([.refused(reason: d["reason"]?.stringValue)]) {
                flag(i, "refused at intake without a reason (行政许可法 第三十二条)")
            }
        case "SupplementRequested":
            status = "supplementing"
            supplements += 1
            clock?.pause(on: day)
            if supplements >= 2 { flag(.repeatedSupplement, "materials requested a second time (一次性告知)") }
        case "SupplementReceived":
            status = "accepted"
            clock?.resume(on: day)
        case "SpecialProcedureStarted":
            status = "special-procedure"
            clock?.startSpecialProcedure(d["specialProcedureKind"]?.stringValue.flatMap(SpecialProcedureKind.init(rawValue:)) ?? .other, on: day)
        case "SpecialProcedureEnded":
            status = "accepted"
            clock?.endSpecialProcedure(on: day)
        case "CaseReportedUpward":
            status = "reported-upward"
        case "CaseReturnedFromUpward":
            status = "accepted"
        case "StepCompleted":
            stepsReported = true
            if let step = d["step"]?.stringValue.flatMap(CaseStep.init(rawValue:)), stepsCompleted[step.rawValue] == nil {
                stepsCompleted[step.rawValue] = day
            }
            if d["step"]?.stringValue == CaseStep.review.rawValue { reviewCompleted = true }
        case "CaseUrged":
            // An urge without its own deadline gets the policy's (``SupervisionPolicy/urgeLimit``).
            urge = d["deadline"]?.stringValue.flatMap({ CivilDate($0) }).map { Urge(urgedOn: day, deadline: $0) }
                ?? Urge(urgedOn: day, limit: policy.urgeLimit, calendar: calendar)
            urgeMet = false
        case "CaseDecided":
            status = "decided"
            // Only a case that reports its steps and has a review step by design can skip it.
            let reviewExpected = stepsReported && caseType != .immediate
            var facts: [CaseConductFact] = reviewCompleted || !reviewExpected ? [.stepCompleted(.review)] : []
            facts.append(.decided(approved: d["decision"]?.stringValue == "approved", reason: d["reason"]?.stringValue))
            for i in IrregularityRules.check(facts) {
                flag(i, i == .decisionWithoutReview ? "decided without the review step (审核)" : "disapproved without a reason (行政许可法 第三十八条)")
            }
        case "CaseConcluded":
            status = "concluded"
            concludedOn = day
            if let clock {
                let u = clock.daysUsed(.promised, through: day, calendar: calendar)
                used = u
                outcome = CaseOutcome.classify(used: WorkingDays(u), limit: clock.promisedLimit, acceptedOn: clock.acceptedOn, concludedOn: day)
            }
        case "CaseDelivered":
            status = "delivered"
        case "CaseWithdrawn":
            status = "withdrawn"
        case "CaseRated":
            // A bad rating (4 or 5, GLOSSARY.md "service rating") must be rectified within the configured limit.
            if (d["satisfactionCode"]?.integerValue ?? 0) >= 4, rectification == nil {
                rectification = InteractionClock(kind: .rectification, startedOn: day, limits: limits)
            }
        case "BadRatingRectified":
            if rectifiedOn == nil { rectifiedOn = day }
        default:
            break
        }
        // A completed step, a decision or the conclusion within the window meets the urge (``Urge``).
        if ["StepCompleted", "CaseDecided", "CaseConcluded"].contains(name), let urge, urge.isMet(byActionOn: day) { urgeMet = true }
        if ["CaseConcluded", "CaseRefused", "CaseWithdrawn"].contains(name), resolvedOn == nil {
            resolvedOn = day
            let why = name == "CaseConcluded" ? "the case concluded (办结)" : name == "CaseRefused" ? "the case was refused at intake" : "the case was withdrawn"
            // Deadline and step cards end with the case; an irregularity stays open for the supervision office to close.
            for id in [yellowAlertID, redAlertID].compactMap({ $0 }) + stepAlertIDs {
                guard let alertSubject = SupervisionAlerts.subject(ofAlertID: id, region: region) else { continue }
                alerts.append(SupervisionAlerts.resolution(of: (id, alertSubject, region), resolution: why, time: event.time))
            }
        }
        return alerts
    }
}
