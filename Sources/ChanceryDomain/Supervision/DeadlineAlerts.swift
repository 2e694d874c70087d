import Foundation

/// The red card (GLOSSARY.md: red card 红牌, overdue 超期) for a supervised stream — a case, disclosure request,
/// letter, consultation or complaint — that passed its deadline unanswered, or for a case's handling step that
/// passed its own limit (``StepCards``).
///
/// The alert is a pure function of the stream and its deadline, so every replay and every restart produces
/// the same event: id `red/<subject>` (a step's: `step/<step>/<subject>`), stream as in ``SupervisionAlerts``,
/// time the start of the first overdue day in the region's time zone.
public enum DeadlineAlerts {
    /// The `source` of alerts raised by the supervisor.
    public static let source = "/chancery/supervisor"

    /// The DeadlineBreached event for `caseSubject` (any supervised stream).
    ///
    /// - Parameters:
    ///   - itemCode: the item of a case, consultation or complaint; `nil` for a request or letter.
    ///   - limit: the limit counted, in `unit` (for a step, the step's own limit in working days).
    ///   - step: the handling step that passed its own limit; `nil` for the stream's own deadline.
    ///   - calendar: the region's working-day calendar (its zone gives the alert's time).
    ///   - overdueOn: the first overdue day when the caller knows it (``CaseClock/firstOverdueDate(_:calendar:)``,
    ///     right for limits in calendar days too); by default the working day after `deadline`.
    public static func breach(
        caseSubject subject: String, region: String, departmentCode: String, itemCode: String?,
        deadline: CivilDate, limit: WorkingDays, unit: LimitUnit = .workingDays, step: CaseStep? = nil,
        calendar: WorkingDayCalendar, overdueOn: CivilDate? = nil
    ) -> CloudEvent {
        let overdueDay = overdueOn ?? (limit.count == 0 ? deadline.adding(days: 1) : calendar.date(addingWorkingDays: WorkingDays(1), after: deadline))
        let type = EventCatalog.named("DeadlineBreached")
        var data: [String: JSONValue] = [
            "caseSubject": .string(subject), "departmentCode": .string(departmentCode),
            "deadline": .string(deadline.description), "limit": .integer(Int64(limit.count)), "limitUnit": .string(unit.rawValue), "card": "red",
        ]
        if let itemCode { data["itemCode"] = .string(itemCode) }
        if let step { data["step"] = .string(step.rawValue) }
        let id = step.map { "step/\($0.rawValue)/\(subject)" } ?? "red/\(subject)"
        return CloudEvent(
            id: id, source: source, type: type.type, subject: SupervisionAlerts.subject(ofAlertID: id, region: region) ?? "alert/\(region)/\(subject)",
            time: startOfDay(overdueDay, timeZoneIdentifier: calendar.timeZoneIdentifier), region: region,
            data: .object(data), dataschema: type.dataschema())
    }

    /// `YYYY-MM-DDT00:00:00±hh:mm` for midnight starting `day` in the zone (IANA identifier; UTC when unknown).
    public static func startOfDay(_ day: CivilDate, timeZoneIdentifier: String) -> String {
        let zone = TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(secondsFromGMT: 0)!
        let utcMidnight = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400)
        // The offset in force at that local midnight (first guess from UTC midnight, then corrected).
        var offset = zone.secondsFromGMT(for: utcMidnight)
        offset = zone.secondsFromGMT(for: utcMidnight.addingTimeInterval(TimeInterval(-offset)))
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day)T00:00:00\(sign)\(pad(a / 3600)):\(pad(a % 3600 / 60))"
    }
}
