/// An urge (督办, CaseUrged / LetterUrged): a supervisor's formal order to act, with its own
/// deadline (the event's `deadline`, 督办期限). Missing it escalates (GLOSSARY.md "urge").
///
/// Rule: the urge is met by any action of the department on the case from the urge day
/// through the deadline day, both included — a completed step, a decision or the
/// conclusion (for a letter: a transfer, escalation, extension or reply). With no such action
/// the urge is escalated from the day after the deadline (a calendar day: the deadline is a
/// date, and missing it is a fact the next morning, holiday or not). Actions before the urge
/// do not meet it. JSON: `{"urgedOn":"2025-09-29","deadline":"2025-10-10"}`.
public struct Urge: Sendable, Hashable, Codable {
    /// The day of the urge.
    public var urgedOn: CivilDate
    /// The last day to act (督办期限).
    public var deadline: CivilDate

    public init(urgedOn: CivilDate, deadline: CivilDate) {
        self.urgedOn = urgedOn
        self.deadline = deadline
    }

    /// An urge that names no deadline: the department has `limit` working days after the urge day
    /// (``SupervisionPolicy/urgeLimit``). Example (CN): urged Monday 2025-09-29 with 5 working days →
    /// 09-30 (1), then National Day (10-01…10-08 off), 10-09 (2), 10-10 (3), Saturday 10-11 (4, an
    /// adjusted working day), 10-13 (5) → deadline 2025-10-13.
    public init(urgedOn: CivilDate, limit: WorkingDays, calendar: WorkingDayCalendar) {
        self.init(urgedOn: urgedOn, deadline: calendar.date(addingWorkingDays: limit, after: urgedOn))
    }

    /// The day on which a missed urge escalates: the day after ``deadline``.
    public var escalationDate: CivilDate { deadline.adding(days: 1) }

    /// Whether an action on `actionDay` meets the urge (from ``urgedOn`` through ``deadline``).
    public func isMet(byActionOn actionDay: CivilDate) -> Bool {
        actionDay >= urgedOn && actionDay <= deadline
    }

    /// Whether the urge is escalated on `date`, given the days the case acted on: `date` is
    /// after the deadline and no action met the urge.
    public func isEscalated(on date: CivilDate, actionDays: [CivilDate]) -> Bool {
        date >= escalationDate && !actionDays.contains(where: isMet(byActionOn:))
    }
}
