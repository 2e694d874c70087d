/// The yellow card, step card, irregularity and resolution alerts, besides the red card of ``DeadlineAlerts``.
///
/// An alert is about one supervised stream (监察对象): a case, a disclosure request, a mailbox letter, a
/// consultation or a complaint — the `caseSubject` of its data. Every alert is a pure function of that stream
/// and what triggered it, so a replay, a restart or a live supervisor produce the same events with the same
/// ids, and the gateway appends each once:
///
/// | alert | id | alert stream |
/// | --- | --- | --- |
/// | DeadlineWarningRaised (yellow) | `yellow/<subject>` | `alert/<region>/<tag>-yellow` |
/// | DeadlineBreached (red) | `red/<subject>` | `alert/<region>/<tag>-red` |
/// | DeadlineBreached of a step (red) | `step/<step>/<subject>` | `alert/<region>/<tag>-<step>-red` |
/// | IrregularityFlagged | `irregularity/<irregularity>/<subject>` | `alert/<region>/<tag>-<irregularity>` |
/// | AlertResolved | `resolved/<alert id>` | the alert's stream |
///
/// `<tag>` is a case's number (`case/430424/2025-000123` → `2025-000123`), or kind and number for any other
/// stream (`letter/430424/2025-X-0007` → `letter-2025-X-0007`), so alerts of different kinds never share a
/// stream.
public enum SupervisionAlerts {
    /// The DeadlineWarningRaised (yellow card, 黄牌) for `subject`, dated the start of `day` (the day the
    /// threshold of the ``SupervisionPolicy`` is reached) in the region's zone.
    ///
    /// - Parameters:
    ///   - itemCode: the item (事项编码) of a case, consultation or complaint; `nil` for a request or letter.
    ///   - limit: the limit in force, in `unit`; `remaining`: days left on `day`, in `unit`.
    public static func warning(
        caseSubject subject: String, region: String, departmentCode: String, itemCode: String?,
        deadline: CivilDate, limit: Int, unit: LimitUnit = .workingDays, remaining: Int, on day: CivilDate, calendar: WorkingDayCalendar
    ) -> CloudEvent {
        let type = EventCatalog.named("DeadlineWarningRaised")
        var data: [String: JSONValue] = [
            "caseSubject": .string(subject), "departmentCode": .string(departmentCode),
            "deadline": .string(deadline.description), "limit": .integer(Int64(limit)), "limitUnit": .string(unit.rawValue), "card": "yellow",
            "remainingDays": .integer(Int64(max(0, remaining))),
        ]
        if let itemCode { data["itemCode"] = .string(itemCode) }
        return CloudEvent(
            id: "yellow/\(subject)", source: DeadlineAlerts.source, type: type.type, subject: "alert/\(region)/\(tag(subject))-yellow",
            time: DeadlineAlerts.startOfDay(day, timeZoneIdentifier: calendar.timeZoneIdentifier), region: region,
            data: .object(data), dataschema: type.dataschema())
    }

    /// The IrregularityFlagged for `subject`, at `time` (the offending event's time, or the start of the day
    /// an omission became a fact).
    public static func irregularity(
        _ irregularity: Irregularity, caseSubject subject: String, region: String, departmentCode: String, itemCode: String?,
        description: String, time: String
    ) -> CloudEvent {
        let type = EventCatalog.named("IrregularityFlagged")
        let name = irregularity.rawValue
        var data: [String: JSONValue] = [
            "caseSubject": .string(subject), "departmentCode": .string(departmentCode),
            "irregularityKind": .string(irregularity.alertKind), "card": .string(irregularity.card.rawValue), "description": .string(description),
        ]
        if let itemCode { data["itemCode"] = .string(itemCode) }
        return CloudEvent(
            id: "irregularity/\(name)/\(subject)", source: DeadlineAlerts.source, type: type.type,
            subject: "alert/\(region)/\(tag(subject))-\(name)", time: time, region: region, data: .object(data), dataschema: type.dataschema())
    }

    /// The AlertResolved closing `alert` (an alert event raised by the supervisor) at `time` with `resolution`.
    public static func resolution(of alert: (id: String, subject: String, region: String), resolution: String, time: String) -> CloudEvent {
        let type = EventCatalog.named("AlertResolved")
        return CloudEvent(
            id: "resolved/\(alert.id)", source: DeadlineAlerts.source, type: type.type, subject: alert.subject, time: time,
            region: alert.region, data: ["resolution": .string(resolution), "resolvedBy": "chancery-supervisor"], dataschema: type.dataschema())
    }

    /// The alert stream of a card, step card or irregularity id (inverse of the table above); `nil` for another id.
    public static func subject(ofAlertID id: String, region: String) -> String? {
        func split(_ rest: Substring) -> (String, String)? {
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
        }
        if id.hasPrefix("yellow/") { return "alert/\(region)/\(tag(String(id.dropFirst(7))))-yellow" }
        if id.hasPrefix("red/") { return "alert/\(region)/\(tag(String(id.dropFirst(4))))-red" }
        if id.hasPrefix("step/"), let (step, subject) = split(id.dropFirst(5)) { return "alert/\(region)/\(tag(subject))-\(step)-red" }
        if id.hasPrefix("irregularity/"), let (name, subject) = split(id.dropFirst(13)) { return "alert/\(region)/\(tag(subject))-\(name)" }
        return nil
    }

    /// The `<tag>` of the alert streams of `subject` (see the table).
    static func tag(_ subject: String) -> String {
        guard let stream = StreamID(subject) else { return subject }
        return stream.kind == "case" ? stream.number : "\(stream.kind)-\(stream.number)"
    }
}
