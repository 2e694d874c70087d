/// Red cards for a handling step that passes its own limit (GLOSSARY.md "red card": "when a
/// step passes its own limit"). A step's time is counted on the case's clock — working days,
/// pauses (supplements, special procedures) excluded — from the day the step started (it does
/// not count itself): handling from acceptance, review from the day handling was completed,
/// decision from the day review was completed. The step's limit comes from
/// ``SupervisionPolicy/stepLimits(itemCode:caseType:)``.
///
/// Example (CN): accepted Friday 2025-09-26, review limit 2 working days, handling completed
/// Monday 09-29: review time counts 09-30 (1), 10-09 (2) — National Day is off — so review is
/// overdue from Friday 10-10 if not completed by then.
public enum StepCards {
    /// Working days the step has used through `date` (or through its completion, if earlier).
    public static func workingDaysUsed(
        clock: CaseClock, startedOn: CivilDate, completedOn: CivilDate? = nil, through date: CivilDate, calendar: WorkingDayCalendar
    ) -> WorkingDays {
        let end = min(date, completedOn ?? date)
        guard end > startedOn else { return .zero }
        return clock.workingDaysUsed(through: end, calendar: calendar) - clock.workingDaysUsed(through: startedOn, calendar: calendar)
    }

    /// Whether the step is over its `limit` on `date`: more working days used than the limit
    /// (a step completed late stays over its limit).
    public static func isOverdue(
        limit: WorkingDays, clock: CaseClock, startedOn: CivilDate, completedOn: CivilDate? = nil,
        on date: CivilDate, calendar: WorkingDayCalendar
    ) -> Bool {
        workingDaysUsed(clock: clock, startedOn: startedOn, completedOn: completedOn, through: date, calendar: calendar) > limit
    }

    /// The last day of the step's `limit`: the day its count reaches the limit; `nil` while an open pause
    /// holds the count short of it.
    public static func deadline(limit: WorkingDays, clock: CaseClock, startedOn: CivilDate, calendar: WorkingDayCalendar) -> CivilDate? {
        let before = clock.workingDaysUsed(through: startedOn, calendar: calendar).count
        return clock.count.date(reaching: before + max(0, limit.count), DayCounting(unit: .workingDays, calendar: calendar))
    }

    /// The first day on which an uncompleted step is over its `limit`; `nil` while an open
    /// pause holds the count short of it.
    public static func firstOverdueDate(
        limit: WorkingDays, clock: CaseClock, startedOn: CivilDate, calendar: WorkingDayCalendar
    ) -> CivilDate? {
        let before = clock.workingDaysUsed(through: startedOn, calendar: calendar).count
        return clock.count.date(reaching: before + max(0, limit.count) + 1, DayCounting(unit: .workingDays, calendar: calendar))
    }
}
