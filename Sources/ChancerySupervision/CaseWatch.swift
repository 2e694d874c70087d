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
    /// The case as the domain folds it (``CaseFile``) — the same fold as the projector's.
    var file: CaseFile
    var yellowAlertID: String?
    var redAlertID: String?
    var irregularityAlertIDs: [String] = []
    var resolvedOn: CivilDate?
    var lastSequence: Int64
    /// Red cards raised for steps past their own limits (`step/<step>/<case>`).
    var stepAlertIDs: [String] = []

    var departmentCode: String { file.lifecycle.departmentCode }
    var itemCode: String { file.lifecycle.itemCode }
    var caseType: CaseType? { file.caseType }
    var clock: CaseClock? { file.clock }
    var urge: Urge? { file.urge }
    var urgeMet: Bool { file.urgeMet }
    var stepsCompleted: [String: CivilDate] { file.stepsCompleted }
    var rectification: InteractionClock? { file.rectification }
    var rectifiedOn: CivilDate? { file.rectifiedOn }
    var isRunning: Bool { file.isRunning }

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
            guard case .raised(let raised)? = AlertEvent(a) else { continue }
            switch raised.kind {
            case .warning: yellowAlertID = a.id
            case .breach:
                if raised.step != nil { if !stepAlertIDs.contains(a.id) { stepAlertIDs.append(a.id) } } else { redAlertID = a.id }
            case .irregularity: if !irregularityAlertIDs.contains(a.id) { irregularityAlertIDs.append(a.id) }
            }
        }
    }

    /// Folds the case event `caseEvent` (``CaseFile/evolve(_:_:on:calendar:rules:)``, dated `day` in the region) in; returns
    /// the alerts it causes: those that fell due before it, the irregularities it shows, and the resolutions of the
    /// case's cards when it leaves supervision.
    mutating func observe(
        _ event: CloudEvent, _ caseEvent: CaseEvent, day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy, rules: CaseFile.Rules
    ) -> [CloudEvent] {
        var alerts = dueAlerts(on: day, calendar: calendar, policy: policy)
        record(alerts)
        lastSequence = event.sequence ?? lastSequence
        guard CaseFile.allows(caseEvent, after: file), let next = CaseFile.evolve(file, caseEvent, on: day, calendar: calendar, rules: rules) else {
            return alerts
        }
        let before = file
        file = next
        func flag(_ irregularity: Irregularity, _ description: String) {
            let alert = self.irregularity(irregularity, description, time: event.time)
            if !irregularityAlertIDs.contains(alert.id) { alerts.append(alert); record([alert]) }
        }
        switch caseEvent {
        case .refused(let reason):
            for i in IrregularityRules.check([.refused(reason: reason)]) {
                flag(i, "refused at intake without a reason (行政许可法 第三十二条)")
            }
        case .supplementRequested:
            if file.supplements >= 2 { flag(.repeatedSupplement, "materials requested a second time (一次性告知)") }
        case .decided(let decision, let reason):
            // Only a case that reports its steps and has a review step by design can skip it.
            let reviewExpected = before.stepsReported && file.caseType != .immediate
            var facts: [CaseConductFact] = before.reviewCompleted || !reviewExpected ? [.stepCompleted(.review)] : []
            facts.append(.decided(approved: decision == "approved", reason: reason))
            for i in IrregularityRules.check(facts) {
                flag(i, i == .decisionWithoutReview ? "decided without the review step (审核)" : "disapproved without a reason (行政许可法 第三十八条)")
            }
        default:
            break
        }
        let leaves: String? = switch caseEvent {
        case .concluded: "the case concluded (办结)"
        case .refused: "the case was refused at intake"
        case .withdrawn: "the case was withdrawn"
        default: nil
        }
        if let why = leaves, resolvedOn == nil {
            resolvedOn = day
            // Deadline and step cards end with the case; an irregularity stays open for the supervision office to close.
            for id in [yellowAlertID, redAlertID].compactMap({ $0 }) + stepAlertIDs {
                guard let alertSubject = SupervisionAlerts.subject(ofAlertID: id, region: region) else { continue }
                alerts.append(SupervisionAlerts.resolution(of: (id, alertSubject, region), resolution: why, time: event.time))
            }
        }
        return alerts
    }
}
