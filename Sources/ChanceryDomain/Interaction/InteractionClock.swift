/// The reply clock of a letter, consultation, complaint or bad-rating rectification, in
/// working days of the region's ``WorkingDayCalendar``.
///
/// Rules: counting starts the day after ``startedOn`` (the day the limit started: receipt,
/// or acceptance for a letter whose LetterAccepted carries the limit; the bad rating for a
/// rectification); the limit is ``limit`` plus every granted extension (LetterExtensionGranted
/// `extensionLimit`); the deadline is the day the count reaches it; overdue when more working
/// days have been used; a reply is in time when the interaction is not overdue on the reply
/// day. A limit of 0 means "the same day": overdue on any later date.
///
/// Example (CN): a letter received Monday 2025-01-20 with 15 working days: 01-21…01-24 (4),
/// Sunday 01-26 (5), 01-27 (6), Spring Festival 01-28…02-04, 02-05…02-07 (9), Saturday
/// 02-08 (10), 02-10…02-14 (15) → deadline 2025-02-14; with a 5-day extension → 2025-02-21.
///
/// JSON: `{"kind":"letter","startedOn":"2025-01-20","limit":15,"extensions":[5]}`.
public struct InteractionClock: Sendable, Hashable, Codable {
    /// What is being answered.
    public var kind: InteractionKind
    /// The day the limit started (it does not count itself).
    public var startedOn: CivilDate
    /// The base limit in working days (from the event, else from ``InteractionLimits``).
    public var limit: WorkingDays
    /// Extensions granted, in working days, in order.
    public var extensions: [WorkingDays]

    /// A clock with an explicit limit (e.g. the event's `replyLimit`).
    public init(kind: InteractionKind, startedOn: CivilDate, limit: WorkingDays) {
        self.kind = kind
        self.startedOn = startedOn
        self.limit = limit
        self.extensions = []
    }

    /// A clock with the configured limit for `kind`.
    public init(kind: InteractionKind, startedOn: CivilDate, limits: InteractionLimits) {
        self.init(kind: kind, startedOn: startedOn, limit: limits.limit(for: kind))
    }

    /// An extension of `days` working days was granted (negative values count as 0).
    public mutating func extend(by days: WorkingDays) {
        extensions.append(WorkingDays(max(0, days.count)))
    }

    /// ``limit`` plus all extensions (never negative).
    public var totalLimit: WorkingDays {
        WorkingDays(max(0, limit.count) + extensions.reduce(0) { $0 + $1.count })
    }

    /// Working days used in (``startedOn``, `date`].
    public func workingDaysUsed(through date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        calendar.workingDays(after: startedOn, through: date)
    }

    /// The last day allowed: the ``totalLimit``-th working day after ``startedOn``.
    public func deadline(calendar: WorkingDayCalendar) -> CivilDate {
        calendar.date(addingWorkingDays: totalLimit, after: startedOn)
    }

    /// The first day on which `used` working days have been used (``startedOn`` itself for 0 or less).
    public func date(reaching used: Int, calendar: WorkingDayCalendar) -> CivilDate {
        used <= 0 ? startedOn : calendar.date(addingWorkingDays: WorkingDays(used), after: startedOn)
    }

    /// The first day on which it is overdue if unanswered.
    public func firstOverdueDate(calendar: WorkingDayCalendar) -> CivilDate {
        totalLimit.count == 0 ? startedOn.adding(days: 1) : calendar.date(addingWorkingDays: totalLimit + WorkingDays(1), after: startedOn)
    }

    /// Whether it is overdue on `date`: more working days used than ``totalLimit`` (limit 0: any later date).
    public func isOverdue(on date: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        totalLimit.count == 0 ? date > startedOn : workingDaysUsed(through: date, calendar: calendar) > totalLimit
    }

    /// Whether an answer on `answeredOn` is in time.
    public func answeredInTime(answeredOn: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        !isOverdue(on: answeredOn, calendar: calendar)
    }

    /// Working days left on `date` (negative once overdue).
    public func workingDaysRemaining(on date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        totalLimit - workingDaysUsed(through: date, calendar: calendar)
    }
}
