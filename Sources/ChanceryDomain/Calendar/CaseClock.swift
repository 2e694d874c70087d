/// The time-limit clock of one case (办件), counted in working days of a
/// ``WorkingDayCalendar``.
///
/// Rules (GLOSSARY.md "working day", "supplement request", "immediate"):
///
/// - **Start.** Counting starts the day after acceptance (受理): the acceptance date
///   itself never counts. A day *counts* when it is a working day, is after
///   ``acceptedOn``, and is not excluded by a supplement pause.
/// - **Supplement request (补正).** ``pause(on:)`` with the request's date `R`: `R` itself
///   still counts; from `R + 1` the clock is stopped.
/// - **Supplement received.** ``resume(on:)`` with the arrival date `S`: the days
///   `R + 1 … S` are excluded (the arrival day itself does not count); counting restarts
///   on `S + 1` ("restarts the day after they arrive").
/// - **Used.** ``workingDaysUsed(through:calendar:)`` counts the counted days in
///   (`acceptedOn`, `date`]; while paused it is frozen at its value on `R`.
/// - **Deadline.** ``deadline(calendar:)`` is the last day allowed: the earliest date on
///   which the used count reaches ``promisedLimit``. It is always a counted working day,
///   so `workingDaysUsed(through: deadline) == promisedLimit`. It is unknown (`nil`)
///   while paused, because the arrival date is not known yet.
/// - **Overdue (超期).** ``isOverdue(on:calendar:)``: "working days used exceed the
///   limit", i.e. `workingDaysUsed(through: date) > promisedLimit`. A non-working day right
///   after the deadline is therefore not yet overdue; the next counted working day is.
/// - **Immediate cases (即办件, limit 0)** must conclude on the day of acceptance: the
///   deadline is ``acceptedOn`` and the case is overdue on any later calendar date,
///   whatever the pauses.
///
/// Worked example (CN calendar): accepted Friday 2025-09-26, limit 5 working days.
/// 09-27 Saturday does not count; 09-28 Sunday is an adjusted working day (1); 09-29 (2);
/// 09-30 (3); 10-01…10-08 National Day and Mid-autumn holidays; 10-09 (4); 10-10 (5) →
/// deadline 2025-10-10. 10-11 is an adjusted working Saturday, so the case is overdue on
/// 10-11 (used 6). With a supplement requested on 09-29 (used 2, frozen) and received on
/// 10-09, days 09-30…10-09 are excluded and counting restarts on 10-10: 10-10 (3),
/// 10-11 (4), 10-13 (5) → deadline 2025-10-13.
public struct CaseClock: Sendable, Hashable, Codable {
    /// The date of acceptance (受理), in the region's time zone.
    public var acceptedOn: CivilDate
    /// The promised limit (承诺办结时限); 0 for an immediate case (即办件). Negative
    /// values are treated as 0.
    public var promisedLimit: WorkingDays
    /// The date of the outstanding supplement request, while the clock is stopped.
    public var pausedSince: CivilDate?
    /// Excluded days of finished pauses: `R + 1 … S` for each request `R` answered on `S`
    /// (a pause answered on its own request date excludes nothing and is not recorded).
    public var pauses: [ClosedRange<CivilDate>]

    public init(acceptedOn: CivilDate, promisedLimit: WorkingDays) {
        self.acceptedOn = acceptedOn
        self.promisedLimit = promisedLimit
        self.pausedSince = nil
        self.pauses = []
    }

    /// Whether a supplement request is outstanding.
    public var isPaused: Bool { pausedSince != nil }

    /// A supplement was requested on `date` (`date` itself still counts). Ignored while
    /// already paused (the first request stands).
    public mutating func pause(on date: CivilDate) {
        guard pausedSince == nil else { return }
        pausedSince = date
    }

    /// The supplement arrived on `date`: days after the request through `date` do not
    /// count; counting restarts the day after. Ignored when not paused; an arrival dated
    /// before the request is treated as arriving on the request date.
    public mutating func resume(on date: CivilDate) {
        guard let since = pausedSince else { return }
        pausedSince = nil
        if date > since {
            pauses.append(since.adding(days: 1)...date)
        }
    }

    /// Working days used in (``acceptedOn``, `date`], excluding paused days; while paused,
    /// frozen at the value on the request date. Zero for dates up to ``acceptedOn``.
    public func workingDaysUsed(through date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        var end = date
        if let since = pausedSince, since < end { end = since }
        guard end > acceptedOn else { return .zero }
        var used = calendar.workingDays(after: acceptedOn, through: end).count
        for range in excludedRanges() {
            let lo = max(range.lowerBound, acceptedOn.adding(days: 1))
            let hi = min(range.upperBound, end)
            if lo <= hi {
                used -= calendar.workingDays(after: lo.adding(days: -1), through: hi).count
            }
        }
        return WorkingDays(used)
    }

    /// The last day allowed: the earliest date on which ``workingDaysUsed(through:calendar:)``
    /// reaches ``promisedLimit``, shifted by the finished pauses. `nil` while paused;
    /// ``acceptedOn`` for an immediate case (limit 0).
    public func deadline(calendar: WorkingDayCalendar) -> CivilDate? {
        guard promisedLimit.count > 0 else { return acceptedOn }
        guard pausedSince == nil else { return nil }
        var cursor = acceptedOn
        var remaining = promisedLimit
        for range in excludedRanges() where range.upperBound > cursor {
            let candidate = calendar.date(addingWorkingDays: remaining, after: cursor)
            if candidate < range.lowerBound { return candidate }
            // Counted days before the pause: (cursor, range.lowerBound - 1].
            remaining = remaining - calendar.workingDays(after: cursor, through: range.lowerBound.adding(days: -1))
            cursor = range.upperBound
        }
        return calendar.date(addingWorkingDays: remaining, after: cursor)
    }

    /// Whether the case is overdue (超期) on `date`: more working days used than promised.
    /// Immediate case (limit 0): any date after ``acceptedOn``.
    public func isOverdue(on date: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        guard promisedLimit.count > 0 else { return date > acceptedOn }
        return workingDaysUsed(through: date, calendar: calendar) > promisedLimit
    }

    /// Working days still available on `date` (negative once overdue).
    public func workingDaysRemaining(on date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        WorkingDays(max(0, promisedLimit.count)) - workingDaysUsed(through: date, calendar: calendar)
    }

    /// ``pauses`` sorted and merged, so that overlapping ranges (events out of order) are
    /// not excluded twice.
    private func excludedRanges() -> [ClosedRange<CivilDate>] {
        guard pauses.count > 1 else { return pauses }
        let sorted = pauses.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<CivilDate>] = [sorted[0]]
        for r in sorted.dropFirst() {
            let last = out[out.count - 1]
            if r.lowerBound <= last.upperBound.adding(days: 1) {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
