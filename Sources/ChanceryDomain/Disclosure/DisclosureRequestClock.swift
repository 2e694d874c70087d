/// The reply clock of a disclosure request (依申请公开), in working days of the region's
/// ``WorkingDayCalendar``. A pure value: every date is a parameter.
///
/// Rules (《政府信息公开条例》, State Council order 711, unless ``regime`` is order 492 —
/// see ``DisclosureRegime`` for the other numbers):
///
/// - **Regime.** Chosen by the receipt date: received before 2019-05-15 → order 492
///   (15 + 15), from 2019-05-15 → order 711 (20 + 20).
/// - **Start.** "自收到申请之日起20个工作日内予以答复" (第三十三条第二款): the receipt day does not
///   count, counting starts the next day (民法典 第二百零一条: 开始的当日不计入).
/// - **Extension (延长答复期限).** Once, at most 20 working days (15 under order 492)
///   (第三十三条第二款). A second extension is ignored; a longer one counts only up to the cap
///   (``extensionExceedsCap`` tells the supervisor).
/// - **Supplement (补正).** At most once, within 7 working days of receipt (第三十条: 自收到
///   申请之日起7个工作日内一次性告知申请人作出补正); "答复期限自行政机关收到补正的申请之日起计算":
///   when the supplement arrives on `S`, the clock restarts with the full limit, counting
///   from `S + 1`. While the supplement is outstanding the clock is stopped (the request day
///   still counts) and the deadline is unknown. A request made after the 7th working day is
///   recorded but is not a 补正 under 第三十条: it neither stops nor restarts the clock
///   (``isSupplementRequestTimely(calendar:)`` is `false`). Order 492 set no window, so any
///   request is timely there and the restart is applied the same way.
/// - **Third-party consultation (征求第三方意见).** "征求第三方和其他机关意见所需时间不计算在前款规定
///   的期限内" (第三十三条第三款). Same day rule as a supplement: the consultation day counts,
///   the days after it through the reply day are excluded, counting restarts the day after.
///   Under order 711 the third party has 15 working days (第三十二条), so the exclusion ends at
///   the reply or on the 15th working day after the consultation, whichever is first — until
///   a reply is recorded the deadline assumes the full 15. Order 492 set no such limit: the
///   clock stops until the reply is recorded.
/// - **Deadline / overdue.** The deadline is the earliest day on which the working days used
///   reach limit + extension; the request is overdue on a day when more have been used; a
///   reply is in time when the request is not overdue on the reply day (so a reply on the
///   weekend right after a Friday deadline is still in time).
///
/// Worked example (CN calendar): received Friday 2025-09-19 (order 711): 20 working days →
/// 09-22…09-26 (5), Sunday 09-28 (6), 09-29 (7), 09-30 (8), National Day 10-01…10-08, 10-09
/// (9), 10-10 (10), Saturday 10-11 (11), 10-13…10-17 (16), 10-20…10-23 (20) → deadline
/// 2025-10-23.
public struct DisclosureRequestClock: Sendable, Hashable, Codable {
    /// The receipt date (收到申请之日, 第三十一条), in the region's time zone.
    public var receivedOn: CivilDate
    /// The governing regulation, fixed by ``receivedOn`` at creation.
    public var regime: DisclosureRegime
    /// The day the (first) supplement request was made, if any.
    public var supplementRequestedOn: CivilDate?
    /// The day the supplement arrived, if it did.
    public var supplementReceivedOn: CivilDate?
    /// The extension as granted by DisclosureRequestExtended (`extensionLimit`), before the cap.
    public var extensionGranted: WorkingDays?
    /// Third-party consultations in order.
    public var consultations: [ThirdPartyConsultation]

    /// A clock for a request received on `receivedOn`; the regime follows from the date.
    public init(receivedOn: CivilDate) {
        self.receivedOn = receivedOn
        self.regime = DisclosureRegime.forRequest(receivedOn: receivedOn)
        self.supplementRequestedOn = nil
        self.supplementReceivedOn = nil
        self.extensionGranted = nil
        self.consultations = []
    }

    // MARK: Events

    /// DisclosureSupplementRequested on `date`. Only the first request counts (一次性告知);
    /// later ones are ignored.
    public mutating func requestSupplement(on date: CivilDate) {
        guard supplementRequestedOn == nil else { return }
        supplementRequestedOn = date
    }

    /// DisclosureSupplementReceived on `date`. Ignored without an outstanding request; an
    /// arrival dated before the request is taken as arriving on the request date.
    public mutating func receiveSupplement(on date: CivilDate) {
        guard let requested = supplementRequestedOn, supplementReceivedOn == nil else { return }
        supplementReceivedOn = max(date, requested)
    }

    /// DisclosureRequestExtended with `extensionLimit` working days. Only the first extension
    /// counts (延长 once); it counts up to ``DisclosureRegime/maximumExtension``.
    public mutating func extend(by days: WorkingDays) {
        guard extensionGranted == nil else { return }
        extensionGranted = days
    }

    /// ThirdPartyConsulted on `date`.
    public mutating func consultThirdParty(on date: CivilDate) {
        consultations.append(ThirdPartyConsultation(consultedOn: date))
    }

    /// The opinion of the earliest unanswered consultation arrived on `date` (dated before
    /// the consultation: taken as the consultation day). Ignored when none is unanswered.
    public mutating func thirdPartyReplied(on date: CivilDate) {
        guard let i = consultations.firstIndex(where: { $0.repliedOn == nil }) else { return }
        consultations[i].repliedOn = max(date, consultations[i].consultedOn)
    }

    // MARK: Checks

    /// The last day on which a supplement may be requested: the 7th working day after
    /// receipt (第三十条); `nil` under order 492, which sets no window.
    public func supplementRequestDeadline(calendar: WorkingDayCalendar) -> CivilDate? {
        regime.supplementRequestWindow.map { calendar.date(addingWorkingDays: $0, after: receivedOn) }
    }

    /// Whether the supplement request was made in time (on or before
    /// ``supplementRequestDeadline(calendar:)``; always under order 492); `nil` without a request.
    public func isSupplementRequestTimely(calendar: WorkingDayCalendar) -> Bool? {
        guard let requested = supplementRequestedOn else { return nil }
        guard let last = supplementRequestDeadline(calendar: calendar) else { return true }
        return requested <= last
    }

    /// The extension that counts: the granted days, at most ``DisclosureRegime/maximumExtension``
    /// (negative grants count as 0); zero without an extension.
    public var extensionCounted: WorkingDays {
        guard let granted = extensionGranted else { return .zero }
        return WorkingDays(min(max(0, granted.count), regime.maximumExtension.count))
    }

    /// Whether the granted extension is longer than the regulation allows.
    public var extensionExceedsCap: Bool {
        (extensionGranted?.count ?? 0) > regime.maximumExtension.count
    }

    /// The limit in force: ``DisclosureRegime/replyLimit`` + ``extensionCounted``.
    public var limit: WorkingDays { regime.replyLimit + extensionCounted }

    /// Whether a timely supplement request is outstanding (the clock is stopped).
    public func isAwaitingSupplement(calendar: WorkingDayCalendar) -> Bool {
        supplementReceivedOn == nil && isSupplementRequestTimely(calendar: calendar) == true
    }

    /// The day after which counting (re)starts: the arrival of a timely supplement, else the receipt.
    public func countingStartsAfter(calendar: WorkingDayCalendar) -> CivilDate {
        if let received = supplementReceivedOn, isSupplementRequestTimely(calendar: calendar) == true { return received }
        return receivedOn
    }

    // MARK: Queries

    /// Working days used in (``countingStartsAfter(calendar:)``, `date`], excluding
    /// third-party time; frozen while the clock is stopped.
    public func workingDaysUsed(through date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        WorkingDays(count(calendar).used(through: date, DayCounting(unit: .workingDays, calendar: calendar)))
    }

    /// The last day allowed for the reply (答复期限届满之日); `nil` while the clock is stopped short of it.
    public func deadline(calendar: WorkingDayCalendar) -> CivilDate? {
        count(calendar).date(reaching: limit.count, DayCounting(unit: .workingDays, calendar: calendar))
    }

    /// The first day on which the request is overdue if unanswered; `nil` while stopped short of it.
    public func firstOverdueDate(calendar: WorkingDayCalendar) -> CivilDate? {
        count(calendar).date(reaching: limit.count + 1, DayCounting(unit: .workingDays, calendar: calendar))
    }

    /// The first day on which `used` working days have been used; `nil` while the clock is stopped short of it.
    public func date(reaching used: Int, calendar: WorkingDayCalendar) -> CivilDate? {
        count(calendar).date(reaching: used, DayCounting(unit: .workingDays, calendar: calendar))
    }

    /// Whether an unanswered request is overdue (逾期未答复) on `date`: more working days used than ``limit``.
    public func isOverdue(on date: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        workingDaysUsed(through: date, calendar: calendar) > limit
    }

    /// Whether a reply (DisclosureRequestAnswered) on `answeredOn` is in time: the request is not overdue that day.
    public func answeredInTime(answeredOn: CivilDate, calendar: WorkingDayCalendar) -> Bool {
        !isOverdue(on: answeredOn, calendar: calendar)
    }

    /// Working days left on `date`: ``limit`` − used (negative once overdue).
    public func workingDaysRemaining(on date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        limit - workingDaysUsed(through: date, calendar: calendar)
    }

    /// The counting state: restart point, third-party exclusions, open stops.
    private func count(_ calendar: WorkingDayCalendar) -> StoppableCount {
        var stops: [CivilDate] = []
        if isAwaitingSupplement(calendar: calendar), let requested = supplementRequestedOn { stops.append(requested) }
        stops += consultations.filter { $0.isOpenEnded(regime: regime) }.map(\.consultedOn)
        return StoppableCount(
            start: countingStartsAfter(calendar: calendar),
            excluded: consultations.compactMap { $0.excludedDays(regime: regime, calendar: calendar) },
            stoppedAfter: stops.min())
    }
}
