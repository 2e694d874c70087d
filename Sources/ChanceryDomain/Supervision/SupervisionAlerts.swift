/// The yellow card, irregularity and resolution alerts of a case, besides the red card of ``DeadlineAlerts``.
///
/// Every alert is a pure function of the case and what triggered it, so a replay, a restart or a live
/// supervisor produce the same events with the same ids, and the gateway appends each once:
///
/// | alert | id | subject |
/// | --- | --- | --- |
/// | DeadlineWarningRaised (yellow) | `yellow/<case subject>` | `alert/<region>/<case number>-yellow` |
/// | DeadlineBreached (red) | `red/<case subject>` | `alert/<region>/<case number>-red` |
/// | IrregularityFlagged | `irregularity/<irregularity>/<case subject>` | `alert/<region>/<case number>-<irregularity>` |
/// | AlertResolved | `resolved/<alert id>` | the alert's subject |
public enum SupervisionAlerts {
    /// The DeadlineWarningRaised (yellow card, 黄牌) for `caseSubject`, dated the start of `day` (the day the
    /// threshold of the ``SupervisionPolicy`` is reached) in the region's zone.
    ///
    /// - Parameters:
    ///   - limit: the promised limit (in its unit); `remaining`: days left on `day`.
    public static func warning(
        caseSubject: String, region: String, departmentCode: String, itemCode: String,
        deadline: CivilDate, limit: Int, remaining: Int, on day: CivilDate, calendar: WorkingDayCalendar
    ) -> CloudEvent {
        let type = EventCatalog.named("DeadlineWarningRaised")
        return CloudEvent(
            id: "yellow/\(caseSubject)", source: DeadlineAlerts.source, type: type.type, subject: "alert/\(region)/\(number(caseSubject))-yellow",
            time: DeadlineAlerts.startOfDay(day, timeZoneIdentifier: calendar.timeZoneIdentifier), region: region,
            data: [
                "caseSubject": .string(caseSubject), "departmentCode": .string(departmentCode), "itemCode": .string(itemCode),
                "deadline": .string(deadline.description), "limit": .integer(Int64(limit)), "card": "yellow",
                "remainingDays": .integer(Int64(max(0, remaining))),
            ],
            dataschema: type.dataschema())
    }

    /// The IrregularityFlagged for `caseSubject`, at `time` (the offending event's time).
    public static func irregularity(
        _ irregularity: Irregularity, caseSubject: String, region: String, departmentCode: String, itemCode: String,
        description: String, time: String
    ) -> CloudEvent {
        let type = EventCatalog.named("IrregularityFlagged")
        let name = irregularity.rawValue
        return CloudEvent(
            id: "irregularity/\(name)/\(caseSubject)", source: DeadlineAlerts.source, type: type.type,
            subject: "alert/\(region)/\(number(caseSubject))-\(name)", time: time, region: region,
            data: [
                "caseSubject": .string(caseSubject), "departmentCode": .string(departmentCode), "itemCode": .string(itemCode),
                "irregularityKind": .string(irregularity.alertKind), "card": .string(irregularity.card.rawValue), "description": .string(description),
            ],
            dataschema: type.dataschema())
    }

    /// The AlertResolved closing `alert` (an alert event raised by the supervisor) at `time` with `resolution`.
    public static func resolution(of alert: (id: String, subject: String, region: String), resolution: String, time: String) -> CloudEvent {
        let type = EventCatalog.named("AlertResolved")
        return CloudEvent(
            id: "resolved/\(alert.id)", source: DeadlineAlerts.source, type: type.type, subject: alert.subject, time: time,
            region: alert.region, data: ["resolution": .string(resolution), "resolvedBy": "chancery-supervisor"], dataschema: type.dataschema())
    }

    /// The alert subject of a card or irregularity id raised for `caseSubject` (inverse of the table above).
    public static func subject(ofAlertID id: String, region: String) -> String? {
        if id.hasPrefix("yellow/") { return "alert/\(region)/\(number(String(id.dropFirst(7))))-yellow" }
        if id.hasPrefix("red/") { return "alert/\(region)/\(number(String(id.dropFirst(4))))-red" }
        if id.hasPrefix("irregularity/") {
            let rest = id.dropFirst("irregularity/".count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            return "alert/\(region)/\(number(String(rest[rest.index(after: slash)...])))-\(rest[..<slash])"
        }
        return nil
    }

    static func number(_ caseSubject: String) -> String { StreamID(caseSubject)?.number ?? caseSubject }
}
