/// One of the two limits a case's clock tracks (GLOSSARY.md "statutory limit", "promised limit").
public enum CaseLimit: String, Sendable, Hashable, Codable, CaseIterable {
    /// The department's promise (承诺办结时限), in the clock's ``CaseClock/promisedLimitUnit``.
    case promised
    /// The legal limit (法定办结时限), in working days (行政许可法 第八十二条).
    case statutory
}

extension CaseClock {
    /// The value of `limit` (never negative), or `nil` for a statutory limit the acceptance
    /// did not give. In ``unit(of:)``.
    public func value(of limit: CaseLimit) -> Int? {
        switch limit {
        case .promised: max(0, promisedLimit.count)
        case .statutory: statutoryLimit.map { max(0, $0.count) }
        }
    }

    /// How `limit` is counted: ``promisedLimitUnit`` for the promise, working days for the law.
    public func unit(of limit: CaseLimit) -> LimitUnit {
        limit == .promised ? promisedLimitUnit : .workingDays
    }

    /// Days of `limit`'s unit used in (``acceptedOn``, `date`], excluding paused days;
    /// frozen while a pause is open.
    public func daysUsed(_ limit: CaseLimit, through date: CivilDate, calendar: WorkingDayCalendar) -> Int {
        count.used(through: date, DayCounting(unit: unit(of: limit), calendar: calendar))
    }

    /// The last day allowed by `limit`: the earliest date on which
    /// ``daysUsed(_:through:calendar:)`` reaches it; ``acceptedOn`` when it is 0 (即办件).
    /// `nil` when the limit is unknown, or while a pause is open and the limit was not
    /// reached by the pause's start date.
    public func deadline(_ limit: CaseLimit, calendar: WorkingDayCalendar) -> CivilDate? {
        guard let n = value(of: limit) else { return nil }
        guard n > 0 else { return acceptedOn }
        return date(reaching: n, limit, calendar: calendar)
    }

    /// The earliest date on which ``daysUsed(_:through:calendar:)`` for `limit`'s unit
    /// reaches `used` (``acceptedOn`` for `used <= 0`), counting the pauses recorded so far;
    /// `nil` while a pause is open and the count stops short of it. The supervisor uses it
    /// to schedule a wake-up (e.g. `used = limit + 1`: the first overdue day).
    public func date(reaching used: Int, _ limit: CaseLimit, calendar: WorkingDayCalendar) -> CivilDate? {
        count.date(reaching: used, DayCounting(unit: unit(of: limit), calendar: calendar))
    }

    /// Whether the case is overdue (超期) on `date` against `limit`: more days used than the
    /// limit; for a limit of 0 (即办件), any date after ``acceptedOn``. `false` for an
    /// unknown limit.
    public func isOverdue(_ limit: CaseLimit, on date: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        guard let n = value(of: limit) else { return false }
        guard n > 0 else { return date > acceptedOn }
        return daysUsed(limit, through: date, calendar: calendar) > n
    }

    /// The first date on which the case is overdue against `limit` if it is not concluded
    /// and no new pause starts: `acceptedOn + 1` for a limit of 0, otherwise the date the used
    /// count reaches `limit + 1`. `nil` for an unknown limit or while a pause holds the
    /// count below it.
    public func firstOverdueDate(_ limit: CaseLimit, calendar: WorkingDayCalendar) -> CivilDate? {
        guard let n = value(of: limit) else { return nil }
        guard n > 0 else { return acceptedOn.adding(days: 1) }
        return date(reaching: n + 1, limit, calendar: calendar)
    }

    /// Days of `limit` still available on `date`: limit − used (negative once overdue), in
    /// ``unit(of:)``; `nil` for an unknown limit.
    public func daysRemaining(_ limit: CaseLimit, on date: CivilDate, calendar: WorkingDayCalendar) -> Int? {
        guard let n = value(of: limit) else { return nil }
        return n - daysUsed(limit, through: date, calendar: calendar)
    }
}
