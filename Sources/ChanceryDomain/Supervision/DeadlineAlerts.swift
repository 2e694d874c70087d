import Foundation

/// The red card for a case that passed its deadline unconcluded (GLOSSARY.md: red card 红牌, overdue 超期).
///
/// The alert is a pure function of the case and its deadline, so every replay and every restart produces
/// the same event: id `red/<case subject>`, subject `alert/<region>/<case number>-red`, time the start of
/// the first day after the deadline in the region's time zone.
public enum DeadlineAlerts {
    /// The `source` of alerts raised by the supervisor.
    public static let source = "/chancery/supervisor"

    /// The DeadlineBreached event for `caseSubject`.
    ///
    /// - Parameters:
    ///   - limit: the promised limit in working days.
    ///   - calendar: the region's working-day calendar (its zone gives the alert's time).
    ///   - overdueOn: the first overdue day when the caller knows it (``CaseClock/firstOverdueDate(_:calendar:)``,
    ///     right for limits in calendar days too); by default the working day after `deadline`.
    public static func breach(
        caseSubject: String, region: String, departmentCode: String, itemCode: String,
        deadline: CivilDate, limit: WorkingDays, calendar: WorkingDayCalendar, overdueOn: CivilDate? = nil
    ) -> CloudEvent {
        let overdueDay = overdueOn ?? (limit.count == 0 ? deadline.adding(days: 1) : calendar.date(addingWorkingDays: WorkingDays(1), after: deadline))
        let stream = StreamID(caseSubject)
        let number = stream?.number ?? caseSubject
        let type = EventCatalog.named("DeadlineBreached")
        return CloudEvent(
            id: "red/\(caseSubject)", source: source, type: type.type, subject: "alert/\(region)/\(number)-red",
            time: startOfDay(overdueDay, timeZoneIdentifier: calendar.timeZoneIdentifier), region: region,
            data: [
                "caseSubject": .string(caseSubject), "departmentCode": .string(departmentCode), "itemCode": .string(itemCode),
                "deadline": .string(deadline.description), "limit": .integer(Int64(limit.count)), "card": "red",
            ],
            dataschema: type.dataschema())
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
