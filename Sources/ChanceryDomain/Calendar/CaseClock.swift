/// The time-limit clock of one case (办件), counted over a ``WorkingDayCalendar``.
///
/// A case has two limits (``CaseLimit``): the promised limit (承诺办结时限, in
/// ``promisedLimitUnit``: working days by default, or calendar days 自然日) and the
/// statutory limit (法定办结时限, always working days: 行政许可法 第八十二条). Both run on
/// the same clock: the same start, the same pauses.
///
/// Rules (GLOSSARY.md "working day", "supplement request", "special procedure"):
///
/// - **Start.** Counting starts the day after acceptance (受理): the acceptance date
///   itself never counts. A day *counts* for a limit when it is a day of the limit's unit
///   (a working day, or any day for calendar days), is after ``acceptedOn``, and is not
///   excluded by a pause.
/// - **Supplement request (补正).** ``pause(on:)`` with the request's date `R`: `R` itself
///   still counts; from `R + 1` the clock is stopped.
/// - **Supplement received.** ``resume(on:)`` with the arrival date `S`: the days
///   `R + 1 … S` are excluded (the arrival day itself does not count); counting restarts
///   on `S + 1` ("restarts the day after they arrive").
/// - **Special procedure (特别程序: hearing, expert review, inspection, public notice,
///   extension).** The same day rule: ``startSpecialProcedure(_:on:)`` on `P` — `P` still
///   counts; ``endSpecialProcedure(on:)`` on `E` — `P + 1 … E` are excluded and counting
///   restarts on `E + 1` (行政许可法 第四十五条: the time these procedures need is not
///   counted in the limit). A supplement and a procedure may overlap; a day excluded by
///   both is excluded once.
/// - **Used.** ``workingDaysUsed(through:calendar:)`` counts the counted working days in
///   (`acceptedOn`, `date`]; ``daysUsed(_:through:calendar:)`` the same in a limit's unit.
///   While a pause is open the count is frozen at its value on the pause's start date.
/// - **Deadline.** ``deadline(_:calendar:)`` is the last day allowed: the earliest date on
///   which the used count reaches the limit. It is always a counted day, so
///   `daysUsed(through: deadline) == limit`. While a pause is open it is unknown (`nil`),
///   unless the limit was already reached on or before the pause's start date.
/// - **Overdue (超期).** ``isOverdue(_:on:calendar:)``: "working days used exceed the
///   limit", i.e. `daysUsed(through: date) > limit`. A non-working day right after a
///   working-day deadline is therefore not yet overdue; the next counted working day is.
/// - **Immediate cases (即办件, limit 0)** must conclude on the day of acceptance: the
///   deadline is ``acceptedOn`` and the case is overdue on any later calendar date,
///   whatever the pauses. The rule applies to each limit that is 0.
///
/// Worked example (CN calendar): accepted Friday 2025-09-26, limit 5 working days.
/// 09-27 Saturday does not count; 09-28 Sunday is an adjusted working day (1); 09-29 (2);
/// 09-30 (3); 10-01…10-08 National Day and Mid-autumn holidays; 10-09 (4); 10-10 (5) →
/// deadline 2025-10-10. 10-11 is an adjusted working Saturday, so the case is overdue on
/// 10-11 (used 6). With a supplement requested on 09-29 (used 2, frozen) and received on
/// 10-09, days 09-30…10-09 are excluded and counting restarts on 10-10: 10-10 (3),
/// 10-11 (4), 10-13 (5) → deadline 2025-10-13. With 5 *calendar* days instead, 09-27 … 10-01
/// count → deadline 2025-10-01, a holiday.
///
/// JSON: `{"acceptedOn":"2025-09-26","promisedLimit":5,"promisedLimitUnit":"working-days",
/// "statutoryLimit":20,"pausedSince":null,"pauses":[["2025-09-30","2025-10-09"]],
/// "specialProcedures":[]}`. Clocks stored before the unit, the statutory limit and
/// special procedures existed (`acceptedOn`, `promisedLimit`, `pausedSince`, `pauses`)
/// still decode: the new fields default to working days, no statutory limit, none.
public struct CaseClock: Sendable, Hashable, Codable {
    /// The date of acceptance (受理), in the region's time zone.
    public var acceptedOn: CivilDate
    /// The promised limit (承诺办结时限) in ``promisedLimitUnit`` (the type is `WorkingDays`
    /// for the stored JSON's sake: with calendar days it holds calendar days); 0 for an
    /// immediate case (即办件). Negative values are treated as 0.
    public var promisedLimit: WorkingDays
    /// How ``promisedLimit`` is counted; working days unless the department promised
    /// calendar days (CaseAccepted v2 `promisedLimitUnit`).
    public var promisedLimitUnit: LimitUnit
    /// The statutory limit (法定办结时限) in working days, when the acceptance gave one.
    /// Negative values are treated as 0.
    public var statutoryLimit: WorkingDays?
    /// The date of the outstanding supplement request, while one is outstanding.
    public var pausedSince: CivilDate?
    /// Excluded days of answered supplement requests: `R + 1 … S` for each request `R`
    /// answered on `S` (a supplement arriving on its request date excludes nothing and is
    /// not recorded).
    public var pauses: [ClosedRange<CivilDate>]
    /// The case's special procedures in order, the last one possibly still running.
    public var specialProcedures: [SpecialProcedurePeriod]

    /// A clock started by acceptance on `acceptedOn`.
    ///
    /// - Parameters:
    ///   - promisedLimit: the promised limit in `promisedLimitUnit` (0: immediate case).
    ///   - promisedLimitUnit: working days (default) or calendar days.
    ///   - statutoryLimit: the statutory limit in working days, if known.
    public init(
        acceptedOn: CivilDate, promisedLimit: WorkingDays,
        promisedLimitUnit: LimitUnit = .workingDays, statutoryLimit: WorkingDays? = nil
    ) {
        self.acceptedOn = acceptedOn
        self.promisedLimit = promisedLimit
        self.promisedLimitUnit = promisedLimitUnit
        self.statutoryLimit = statutoryLimit
        self.pausedSince = nil
        self.pauses = []
        self.specialProcedures = []
    }

    // MARK: Pauses

    /// Whether the clock is stopped: a supplement request is outstanding or a special
    /// procedure is running.
    public var isPaused: Bool { pausedSince != nil || runningSpecialProcedure != nil }

    /// Whether a supplement request is outstanding.
    public var isAwaitingSupplement: Bool { pausedSince != nil }

    /// The special procedure running now, if any.
    public var runningSpecialProcedure: SpecialProcedurePeriod? {
        guard let last = specialProcedures.last, last.endedOn == nil else { return nil }
        return last
    }

    /// A supplement was requested on `date` (`date` itself still counts). Ignored while a
    /// request is already outstanding (the first request stands).
    public mutating func pause(on date: CivilDate) {
        guard pausedSince == nil else { return }
        pausedSince = date
    }

    /// The supplement arrived on `date`: days after the request through `date` do not
    /// count; counting restarts the day after. Ignored when no request is outstanding; an
    /// arrival dated before the request is treated as arriving on the request date.
    public mutating func resume(on date: CivilDate) {
        guard let since = pausedSince else { return }
        pausedSince = nil
        if date > since {
            pauses.append(since.adding(days: 1)...date)
        }
    }

    /// A special procedure of `kind` started on `date` (`date` itself still counts).
    /// Ignored while another procedure is running (the first one stands).
    public mutating func startSpecialProcedure(_ kind: SpecialProcedureKind, on date: CivilDate) {
        guard runningSpecialProcedure == nil else { return }
        specialProcedures.append(SpecialProcedurePeriod(kind: kind, startedOn: date))
    }

    /// The running special procedure ended on `date`: the days after its start through
    /// `date` do not count; counting restarts the day after. Ignored when none is running;
    /// an end dated before the start is treated as ending on the start date.
    public mutating func endSpecialProcedure(on date: CivilDate) {
        guard let running = runningSpecialProcedure else { return }
        specialProcedures[specialProcedures.count - 1].endedOn = max(date, running.startedOn)
    }

    // MARK: The promised limit (the API every caller used before statutory limits)

    /// Working days used in (``acceptedOn``, `date`], excluding paused days; while paused,
    /// frozen at the value on the pause's start date. Zero for dates up to ``acceptedOn``.
    /// Always working days, whatever ``promisedLimitUnit`` is.
    public func workingDaysUsed(through date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        WorkingDays(count.used(through: date, DayCounting(unit: .workingDays, calendar: calendar)))
    }

    /// The last day allowed by the promised limit: ``deadline(_:calendar:)`` with
    /// ``CaseLimit/promised``.
    public func deadline(calendar: WorkingDayCalendar) -> CivilDate? {
        deadline(.promised, calendar: calendar)
    }

    /// Whether the case is overdue (超期) on `date` against the promised limit:
    /// ``isOverdue(_:on:calendar:)`` with ``CaseLimit/promised``.
    public func isOverdue(on date: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        isOverdue(.promised, on: date, calendar: calendar)
    }

    /// Days of the promised limit still available on `date` (negative once overdue), in
    /// ``promisedLimitUnit`` — working days unless the promise is in calendar days.
    public func workingDaysRemaining(on date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        WorkingDays(daysRemaining(.promised, on: date, calendar: calendar) ?? 0)
    }

    // MARK: Internals

    /// The counting state: start, finished pauses of both kinds, and the open pause.
    var count: StoppableCount {
        var excluded = pauses
        excluded += specialProcedures.compactMap(\.excludedDays)
        let stops = [pausedSince, runningSpecialProcedure?.startedOn].compactMap { $0 }
        return StoppableCount(start: acceptedOn, excluded: excluded, stoppedAfter: stops.min())
    }

    private enum CodingKeys: String, CodingKey {
        case acceptedOn, promisedLimit, promisedLimitUnit, statutoryLimit, pausedSince, pauses, specialProcedures
    }

    /// Decodes the current shape and the shape stored before `promisedLimitUnit`,
    /// `statutoryLimit` and `specialProcedures` existed (missing: working days, none, none).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        acceptedOn = try c.decode(CivilDate.self, forKey: .acceptedOn)
        promisedLimit = try c.decode(WorkingDays.self, forKey: .promisedLimit)
        promisedLimitUnit = try c.decodeIfPresent(LimitUnit.self, forKey: .promisedLimitUnit) ?? .workingDays
        statutoryLimit = try c.decodeIfPresent(WorkingDays.self, forKey: .statutoryLimit)
        pausedSince = try c.decodeIfPresent(CivilDate.self, forKey: .pausedSince)
        pauses = try c.decodeIfPresent([ClosedRange<CivilDate>].self, forKey: .pauses) ?? []
        specialProcedures = try c.decodeIfPresent([SpecialProcedurePeriod].self, forKey: .specialProcedures) ?? []
    }
}
