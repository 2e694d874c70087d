import ChanceryDomain

/// One disclosure request, mailbox letter, consultation or complaint as the supervisor watches it: its file as the
/// domain folds it (``ReplyFile``: the reply clock, who answers for it, a letter's urge) and the alerts raised for it. Pure: the
/// ``Supervisor`` loads it from and saves it to `supervision.reply_clocks`.
///
/// Cards, with the ``SupervisionPolicy``'s default yellow threshold (by the item's rule for a consultation or
/// complaint about an item): a yellow card (`yellow/<subject>`) as the reply deadline nears, a red card
/// (`red/<subject>`) when it passes unanswered, both resolved by the answer; an urge missed escalates
/// (`irregularity/urge-missed/<subject>`). The responsible unit is the request's, consultation's or complaint's
/// `departmentCode`; a letter's is the department it was last transferred to, else its mailbox (信箱), whose
/// office answers a letter it keeps.
struct ReplyWatch: Sendable {
    var subject: String
    var region: String
    /// The stream as the domain folds it (``ReplyFile``) — the same fold as the projector's.
    var file: ReplyFile
    var yellowAlertID: String?
    var redAlertID: String?
    var irregularityAlertIDs: [String] = []
    var lastSequence: Int64

    /// The stream kinds a reply watch covers.
    static let kinds: Set<String> = ["request", "letter", "consultation", "complaint"]

    /// The stream kind: `request`, `letter`, `consultation` or `complaint`.
    var kind: String { file.kind }
    /// The unit that answers for it (``ReplyFile/responsibleUnit``).
    var departmentCode: String { file.responsibleUnit }
    var clock: ReplyClock { file.clock }
    var answeredOn: CivilDate? { file.answeredOn }

    private var urgeAlertID: String { "irregularity/\(Irregularity.urgeMissed.rawValue)/\(subject)" }

    /// Alerts due on `day` not raised yet, for an unanswered stream.
    func dueAlerts(on day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        guard answeredOn == nil else { return [] }
        var out: [CloudEvent] = []
        if let urge = file.urge, !file.urgeMet, !irregularityAlertIDs.contains(urgeAlertID), urge.isEscalated(on: day, actionDays: []) {
            out.append(SupervisionAlerts.irregularity(
                .urgeMissed, caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: file.itemCode,
                description: "the urge (督办) of \(urge.urgedOn) was not acted on by its deadline \(urge.deadline)",
                time: DeadlineAlerts.startOfDay(urge.escalationDate, timeZoneIdentifier: calendar.timeZoneIdentifier)))
        }
        guard redAlertID == nil, let deadline = clock.deadline(calendar: calendar) else { return out }
        let limit = clock.limit.count
        if yellowAlertID == nil, let yellowDay = clock.yellowDate(threshold: threshold(policy), calendar: calendar), yellowDay <= day {
            out.append(SupervisionAlerts.warning(
                caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: file.itemCode, deadline: deadline, limit: limit,
                remaining: clock.workingDaysRemaining(on: yellowDay, calendar: calendar).count, on: yellowDay, calendar: calendar))
        }
        if let overdue = clock.firstOverdueDate(calendar: calendar), overdue <= day {
            out.append(DeadlineAlerts.breach(caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: file.itemCode,
                                             deadline: deadline, limit: clock.limit, calendar: calendar, overdueOn: overdue))
        }
        return out
    }

    /// The first day on which another alert can fall due if nothing else happens; `nil` once answered, or
    /// while a stopped clock holds the deadline open.
    func nextDueDate(calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> CivilDate? {
        guard answeredOn == nil else { return nil }
        var dates: [CivilDate?] = []
        if let urge = file.urge, !file.urgeMet, !irregularityAlertIDs.contains(urgeAlertID) { dates.append(urge.escalationDate) }
        if redAlertID == nil {
            if yellowAlertID == nil { dates.append(clock.yellowDate(threshold: threshold(policy), calendar: calendar)) }
            dates.append(clock.firstOverdueDate(calendar: calendar))
        }
        return dates.compactMap { $0 }.min()
    }

    private func threshold(_ policy: SupervisionPolicy) -> YellowThreshold { policy.yellowThreshold(itemCode: file.itemCode, caseType: nil) }

    /// Records that `alerts` were raised for this stream.
    mutating func record(_ alerts: [CloudEvent]) {
        for alert in alerts {
            guard case .raised(let raised)? = AlertEvent(alert) else { continue }
            switch raised.kind {
            case .warning: yellowAlertID = alert.id
            case .breach: redAlertID = alert.id
            case .irregularity: if !irregularityAlertIDs.contains(alert.id) { irregularityAlertIDs.append(alert.id) }
            }
        }
    }

    /// Folds a later event of the stream in (dated `day` in the region); returns the alerts it causes: those due
    /// before it, and the resolution of the deadline cards when it is the answer.
    mutating func observe(_ event: CloudEvent, _ replyEvent: ReplyEvent, day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy,
                          rules: ReplyFile.Rules) -> [CloudEvent] {
        var alerts = dueAlerts(on: day, calendar: calendar, policy: policy)
        record(alerts)
        lastSequence = event.sequence ?? lastSequence
        let wasAnswered = answeredOn != nil
        file = ReplyFile.evolve(file, replyEvent, on: day, calendar: calendar, rules: rules) ?? file
        if !wasAnswered, answeredOn != nil {
            for id in [yellowAlertID, redAlertID].compactMap({ $0 }) {
                guard let alertSubject = SupervisionAlerts.subject(ofAlertID: id, region: region) else { continue }
                alerts.append(SupervisionAlerts.resolution(of: (id, alertSubject, region), resolution: "answered (已答复)", time: event.time))
            }
        }
        return alerts
    }
}
