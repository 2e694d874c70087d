/// The reply clock of a supervised stream that is not a case: a disclosure request's
/// (``DisclosureRequestClock``, State Council order 711 or 492) or a letter's, consultation's or
/// complaint's (``InteractionClock``, limits from the event or ``InteractionLimits``). Pure: the
/// stream's file (``ReplyFile/evolve(_:_:on:calendar:rules:)``) opens it and folds the stream's events into it, in
/// stream order, with each event's date in the region's time zone.
///
/// JSON: `{"request":{…DisclosureRequestClock…}}` or `{"interaction":{…InteractionClock…}}`.
public enum ReplyClock: Sendable, Hashable, Codable {
    /// A disclosure request (依申请公开).
    case request(DisclosureRequestClock)
    /// A mailbox letter, consultation or complaint.
    case interaction(InteractionClock)

    /// The limit in force, in working days (base limit plus the extensions that count).
    public var limit: WorkingDays {
        switch self {
        case .request(let c): c.limit
        case .interaction(let c): c.totalLimit
        }
    }

    /// The last day allowed; `nil` while a stopped clock (an outstanding supplement) holds it open.
    public func deadline(calendar: WorkingDayCalendar) -> CivilDate? {
        switch self {
        case .request(let c): c.deadline(calendar: calendar)
        case .interaction(let c): c.deadline(calendar: calendar)
        }
    }

    /// The first day on which it is overdue if unanswered; `nil` while the clock is stopped short of it.
    public func firstOverdueDate(calendar: WorkingDayCalendar) -> CivilDate? {
        switch self {
        case .request(let c): c.firstOverdueDate(calendar: calendar)
        case .interaction(let c): c.firstOverdueDate(calendar: calendar)
        }
    }

    /// Working days left on `date` (negative once overdue).
    public func workingDaysRemaining(on date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        switch self {
        case .request(let c): c.workingDaysRemaining(on: date, calendar: calendar)
        case .interaction(let c): c.workingDaysRemaining(on: date, calendar: calendar)
        }
    }

    /// The day the yellow card is due by `threshold` (``DeadlineCards/yellowDate(limit:threshold:reaching:)``).
    public func yellowDate(threshold: YellowThreshold, calendar: WorkingDayCalendar) -> CivilDate? {
        DeadlineCards.yellowDate(limit: limit.count, threshold: threshold) { used in
            switch self {
            case .request(let c): c.date(reaching: used, calendar: calendar)
            case .interaction(let c): c.date(reaching: used, calendar: calendar)
            }
        }
    }
}
