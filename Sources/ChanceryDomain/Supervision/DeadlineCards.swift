/// Which deadline card (GLOSSARY.md "yellow card / red card") is due for a running case, and
/// when the next one falls due — pure functions of the clock, a date and the threshold, so a
/// replay and a live supervisor agree, and the live one can sleep until
/// ``nextCardDate(for:after:threshold:limit:calendar:)``.
///
/// Rules, for a case not yet concluded, against one limit (the promised one unless asked):
/// - **Red** on `date` when the case is overdue against the limit (``CaseClock/isOverdue(_:on:calendar:)``):
///   more days used than the limit; for a limit of 0 (即办件) any day after acceptance.
/// - **Yellow** on `date`, when not red and the limit is above 0, as soon as a condition of
///   the ``YellowThreshold`` holds: `used ≥ ⌈fractionUsed × limit⌉`, or `limit − used ≤ daysLeft` — and at
///   least one day is used (a case is never yellow on its acceptance day).
/// - **None** otherwise. While a pause is open the count is frozen, so no new card falls due.
///
/// Example (CN, standard threshold 80 % or 2 days left): accepted Monday 2025-01-20 with 10
/// working days (deadline Saturday 2025-02-08, an adjusted working day). 80 % = 8 used on
/// 02-06; 2 days left = 8 used as well → yellow from 2025-02-06; red from Monday 02-10.
public enum DeadlineCards {
    /// The card due on `date` for a running case (see the type's rules).
    public static func card(
        for clock: CaseClock, on date: CivilDate, threshold: YellowThreshold,
        limit: CaseLimit = .promised, calendar: WorkingDayCalendar
    ) -> Card {
        guard let n = clock.value(of: limit) else { return .none }
        if clock.isOverdue(limit, on: date, calendar: calendar) { return .red }
        guard n > 0, let k = yellowCount(limit: n, threshold: threshold) else { return .none }
        return clock.daysUsed(limit, through: date, calendar: calendar) >= k ? .yellow : .none
    }

    /// The first date on which the yellow card is due, if nothing changes (no new pause, not
    /// concluded); `nil` when the threshold has no condition, the limit is 0 or unknown, or
    /// an open pause holds the count short of it.
    public static func yellowDate(
        for clock: CaseClock, threshold: YellowThreshold, limit: CaseLimit = .promised, calendar: WorkingDayCalendar
    ) -> CivilDate? {
        guard let n = clock.value(of: limit), n > 0, let k = yellowCount(limit: n, threshold: threshold) else { return nil }
        return clock.date(reaching: k, limit, calendar: calendar)
    }

    /// The first date on which the yellow card is due for any clock counting toward `limit` (a disclosure
    /// request's or an interaction's reply limit, in working days): the day `reaching` gives for the used count
    /// the threshold asks for (see the type's rules); `nil` when the threshold has no condition, the limit is 0,
    /// or the clock is stopped short of it.
    public static func yellowDate(limit: Int, threshold: YellowThreshold, reaching: (Int) -> CivilDate?) -> CivilDate? {
        guard limit > 0, let k = yellowCount(limit: limit, threshold: threshold) else { return nil }
        return reaching(k)
    }

    /// The date after `date` on which a more severe card falls due, if nothing changes:
    /// the yellow date while no card is due, the first overdue day while yellow; `nil` once red,
    /// or while an open pause holds the count (call again when it resumes).
    public static func nextCardDate(
        for clock: CaseClock, after date: CivilDate, threshold: YellowThreshold,
        limit: CaseLimit = .promised, calendar: WorkingDayCalendar
    ) -> CivilDate? {
        switch card(for: clock, on: date, threshold: threshold, limit: limit, calendar: calendar) {
        case .red:
            return nil
        case .yellow:
            return clock.firstOverdueDate(limit, calendar: calendar)
        case .none:
            if let yellow = yellowDate(for: clock, threshold: threshold, limit: limit, calendar: calendar), yellow > date {
                return yellow
            }
            return clock.firstOverdueDate(limit, calendar: calendar)
        }
    }

    /// The used count at which the yellow card is due: the smaller of ⌈fraction × limit⌉ and
    /// limit − daysLeft (at least 0); `nil` when neither condition is set or both would only
    /// be met after the limit.
    static func yellowCount(limit n: Int, threshold: YellowThreshold) -> Int? {
        var counts: [Int] = []
        if let f = threshold.fractionUsed, f > 0 {
            // Tolerance: 0.8 × 10 must give 8, not 9 after rounding up a binary error.
            let k = Int((f * Double(n) - 1e-9).rounded(.up))
            if k <= n { counts.append(max(k, 0)) }
        }
        if let d = threshold.daysLeft, d >= 0 {
            counts.append(max(n - d, 0))
        }
        // A card warns of a deadline that nears: never on the acceptance day itself, so a short limit (1 or 2 days
        // with "two days left") goes yellow once the first day is used, not the moment it is accepted.
        return counts.min().map { max($0, 1) }
    }
}
