import ChanceryDomain

/// One case as the supervisor watches it: its clock, its status, and the alerts raised for it. Pure: the
/// ``Supervisor`` loads it from and saves it to `supervision.case_clocks`.
///
/// ``observe(_:name:day:calendar:policy:)`` folds one case event in and returns the alerts it causes, in
/// order: cards that fell due before the event (time has passed — the event is the proof), irregularities
/// the event shows, and the resolutions of its deadline cards when the case leaves supervision (concluded,
/// refused or withdrawn; irregularities stay open for the supervision office). ``dueCards(on:calendar:policy:)`` gives the cards due on a day with no event (the
/// region's watermark or the wall clock moved).
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

    /// Statuses in which the clock runs toward a card.
    static let running: Set<String> = ["accepted", "supplementing", "special-procedure", "reported-upward", "decided"]

    var isRunning: Bool { Self.running.contains(status) && concludedOn == nil }

    /// Alerts due on `day` not raised yet: the yellow and red cards of a running case, and the escalation of a missed
    /// urge (IrregularityFlagged `urge-missed`, dated the day after the urge's deadline).
    func dueCards(on day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        var out: [CloudEvent] = []
        if let urge, !urgeMet, concludedOn == nil, Self.running.contains(status), urge.isEscalated(on: day, actionDays: []) {
            let alert = SupervisionAlerts.irregularity(
                .urgeMissed, caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode,
                description: "the urge (督办) of \(urge.urgedOn) was not acted on by its deadline \(urge.deadline)",
                time: DeadlineAlerts.startOfDay(urge.escalationDate, timeZoneIdentifier: calendar.timeZoneIdentifier))
            if !irregularityAlertIDs.contains(alert.id) { out.append(alert) }
        }
        return out + deadlineCards(on: day, calendar: calendar, policy: policy)
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
                remaining: clock.daysRemaining(.promised, on: yellowDay, calendar: calendar) ?? 0, on: yellowDay, calendar: calendar))
        }
        if card == .red, let deadline = clock.deadline(.promised, calendar: calendar) {
            out.append(DeadlineAlerts.breach(caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode,
                                             deadline: deadline, limit: WorkingDays(limit), calendar: calendar,
                                             overdueOn: clock.firstOverdueDate(.promised, calendar: calendar)))
        }
        return out
    }

    /// Records that `alerts` were raised (or resolved) for this case.
    mutating func record(_ alerts: [CloudEvent]) {
        for a in alerts {
            switch a.type {
            case "gov.supervision.alert.deadline.warning.raised": yellowAlertID = a.id
            case "gov.supervision.alert.deadline.breached": redAlertID = a.id
            case "gov.supervision.alert.irregularity.flagged": if !irregularityAlertIDs.contains(a.id) { irregularityAlertIDs.append(a.id) }
            default: break
            }
        }
    }

    /// Folds the case event `event` (glossary name `name`, dated `day` in the region) in; returns the alerts it causes.
    mutating func observe(_ event: CloudEvent, name: String, day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        var alerts = dueCards(on: day, calendar: calendar, policy: policy)
        record(alerts)
        lastSequence = event.sequence ?? lastSequence
        let d = event.data
        func flag(_ irregularity: Irregularity, _ description: String) {
            let alert = SupervisionAlerts.irregularity(irregularity, caseSubject: subject, region: region, departmentCode: departmentCode,
                                                       itemCode: itemCode, description: description, time: event.time)
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
        default:
            break
        }
        // A completed step, a decision or the conclusion within the window meets the urge (``Urge``).
        if ["StepCompleted", "CaseDecided", "CaseConcluded"].contains(name), let urge, urge.isMet(byActionOn: day) { urgeMet = true }
        if ["CaseConcluded", "CaseRefused", "CaseWithdrawn"].contains(name), resolvedOn == nil {
            resolvedOn = day
            let why = name == "CaseConcluded" ? "the case concluded (办结)" : name == "CaseRefused" ? "the case was refused at intake" : "the case was withdrawn"
            // Deadline cards end with the case; an irregularity stays open for the supervision office to close.
            for id in [yellowAlertID, redAlertID].compactMap({ $0 }) {
                guard let alertSubject = SupervisionAlerts.subject(ofAlertID: id, region: region) else { continue }
                alerts.append(SupervisionAlerts.resolution(of: (id, alertSubject, region), resolution: why, time: event.time))
            }
        }
        return alerts
    }
}
