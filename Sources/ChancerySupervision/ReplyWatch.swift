import ChanceryDomain

/// One disclosure request, mailbox letter, consultation or complaint as the supervisor watches it: its
/// ``ReplyClock``, who answers for it, its urge (letters, LetterUrged) and the alerts raised for it. Pure: the
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
    /// The stream kind: `request`, `letter`, `consultation` or `complaint`.
    var kind: String
    var departmentCode: String
    /// A letter's mailbox, the responsible unit while no department has it.
    var mailbox: String?
    var itemCode: String?
    var clock: ReplyClock
    var answeredOn: CivilDate?
    var yellowAlertID: String?
    var redAlertID: String?
    var urge: Urge?
    var urgeMet = false
    var irregularityAlertIDs: [String] = []
    var lastSequence: Int64

    /// The stream kinds a reply watch covers, with the glossary name of the event that answers each.
    static let answeredBy: [String: String] = [
        "request": "DisclosureRequestAnswered", "letter": "LetterReplied", "consultation": "ConsultationAnswered", "complaint": "ComplaintAnswered",
    ]
    /// Letter events that meet an urge (``Urge``): a transfer, an escalation, an extension or the reply.
    static let letterActions: Set<String> = ["LetterTransferred", "LetterEscalated", "LetterExtensionGranted", "LetterReplied"]

    private var urgeAlertID: String { "irregularity/\(Irregularity.urgeMissed.rawValue)/\(subject)" }

    /// Alerts due on `day` not raised yet, for an unanswered stream.
    func dueAlerts(on day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        guard answeredOn == nil else { return [] }
        var out: [CloudEvent] = []
        if let urge, !urgeMet, !irregularityAlertIDs.contains(urgeAlertID), urge.isEscalated(on: day, actionDays: []) {
            out.append(SupervisionAlerts.irregularity(
                .urgeMissed, caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode,
                description: "the urge (督办) of \(urge.urgedOn) was not acted on by its deadline \(urge.deadline)",
                time: DeadlineAlerts.startOfDay(urge.escalationDate, timeZoneIdentifier: calendar.timeZoneIdentifier)))
        }
        guard redAlertID == nil, let deadline = clock.deadline(calendar: calendar) else { return out }
        let limit = clock.limit.count
        if yellowAlertID == nil, let yellowDay = clock.yellowDate(threshold: threshold(policy), calendar: calendar), yellowDay <= day {
            out.append(SupervisionAlerts.warning(
                caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode, deadline: deadline, limit: limit,
                remaining: clock.workingDaysRemaining(on: yellowDay, calendar: calendar).count, on: yellowDay, calendar: calendar))
        }
        if let overdue = clock.firstOverdueDate(calendar: calendar), overdue <= day {
            out.append(DeadlineAlerts.breach(caseSubject: subject, region: region, departmentCode: departmentCode, itemCode: itemCode,
                                             deadline: deadline, limit: clock.limit, calendar: calendar, overdueOn: overdue))
        }
        return out
    }

    /// The first day on which another alert can fall due if nothing else happens; `nil` once answered, or
    /// while a stopped clock holds the deadline open.
    func nextDueDate(calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> CivilDate? {
        guard answeredOn == nil else { return nil }
        var dates: [CivilDate?] = []
        if let urge, !urgeMet, !irregularityAlertIDs.contains(urgeAlertID) { dates.append(urge.escalationDate) }
        if redAlertID == nil {
            if yellowAlertID == nil { dates.append(clock.yellowDate(threshold: threshold(policy), calendar: calendar)) }
            dates.append(clock.firstOverdueDate(calendar: calendar))
        }
        return dates.compactMap { $0 }.min()
    }

    private func threshold(_ policy: SupervisionPolicy) -> YellowThreshold { policy.yellowThreshold(itemCode: itemCode, caseType: nil) }

    /// Records that `alerts` were raised for this stream.
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

    /// Folds a later event of the stream in (glossary name `name`, dated `day` in the region); returns the alerts
    /// it causes: those due before it, and the resolution of the deadline cards when it is the answer.
    mutating func observe(_ event: CloudEvent, name: String, day: CivilDate, calendar: WorkingDayCalendar, policy: SupervisionPolicy) -> [CloudEvent] {
        var alerts = dueAlerts(on: day, calendar: calendar, policy: policy)
        record(alerts)
        lastSequence = event.sequence ?? lastSequence
        let d = event.data
        clock.apply(name, data: d, on: day)
        switch name {
        case "LetterTransferred":
            if let to = d["toDepartmentCode"]?.stringValue { departmentCode = to }
        case "LetterReturned":
            departmentCode = mailbox ?? departmentCode
        case "LetterUrged":
            urge = d["deadline"]?.stringValue.flatMap({ CivilDate($0) }).map { Urge(urgedOn: day, deadline: $0) }
                ?? Urge(urgedOn: day, limit: policy.urgeLimit, calendar: calendar)
            urgeMet = false
        default:
            break
        }
        if Self.letterActions.contains(name), let urge, urge.isMet(byActionOn: day) { urgeMet = true }
        if name == Self.answeredBy[kind], answeredOn == nil {
            answeredOn = day
            for id in [yellowAlertID, redAlertID].compactMap({ $0 }) {
                guard let alertSubject = SupervisionAlerts.subject(ofAlertID: id, region: region) else { continue }
                alerts.append(SupervisionAlerts.resolution(of: (id, alertSubject, region), resolution: "answered (已答复)", time: event.time))
            }
        }
        return alerts
    }
}

extension ReplyWatch {
    /// A watch opened by the first event of a stream (``ReplyClock/opened(by:data:on:limits:)``); `nil` for any other.
    init?(opening event: CloudEvent, name: String, day: CivilDate, limits: InteractionLimits) {
        guard let stream = StreamID(event.subject), Self.answeredBy[stream.kind] != nil,
              let clock = ReplyClock.opened(by: name, data: event.data, on: day, limits: limits) else { return nil }
        let d = event.data
        self.init(subject: event.subject, region: event.region, kind: stream.kind,
                  departmentCode: d["departmentCode"]?.stringValue ?? d["mailbox"]?.stringValue ?? "unassigned",
                  mailbox: d["mailbox"]?.stringValue, itemCode: d["itemCode"]?.stringValue, clock: clock, lastSequence: event.sequence ?? 1)
    }
}
