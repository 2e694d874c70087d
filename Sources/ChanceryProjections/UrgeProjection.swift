import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The latest urge (督办) of a case (`approval.cases`) or a mailbox letter (`interaction.letters`): its day, its
/// deadline and whether it was met, by the ``Urge`` rule (UrgeRule.swift): met by an action of the department on a day
/// from the urge day through the deadline, both included; a new urge replaces the previous one and starts unmet.
struct UrgeProjection {
    /// `approval.cases` or `interaction.letters`.
    let table: String
    /// Working days an urge without its own `deadline` gives the department (``SupervisionPolicy/urgeLimit``).
    let urgeLimit: WorkingDays

    /// The tables that keep an urge.
    static let tables: Set<String> = ["approval.cases", "interaction.letters"]

    /// The urge of a CaseUrged or LetterUrged with `data` on `day`: the event's `deadline`, else `urgeLimit` working days
    /// after `day` on `calendar` (as the supervisor does). Nil when the event names no usable deadline and no calendar
    /// covers the region (the deadline is then unknown). A `deadline` that is not a real date counts as none.
    static func urge(_ data: JSONValue, on day: CivilDate, limit: WorkingDays, calendar: WorkingDayCalendar?) -> Urge? {
        if let deadline = data["deadline"]?.stringValue.flatMap({ CivilDate($0) }) { return Urge(urgedOn: day, deadline: deadline) }
        return calendar.map { Urge(urgedOn: day, limit: limit, calendar: $0) }
    }

    /// Records `event`, an urge on `day`, as the latest one: not yet met.
    func urged(_ event: CloudEvent, on day: CivilDate, calendar: WorkingDayCalendar?, on db: PostgresConnection) async throws {
        precondition(Self.tables.contains(table))
        let urge = Self.urge(event.data, on: day, limit: urgeLimit, calendar: calendar)
        try await db.execute(
            "UPDATE \(table) SET urged_at = $2::timestamptz, urged_on = $3::date, urge_deadline = $4::date, urge_met = false WHERE subject = $1",
            [event.subject, event.time, day.description, urge?.deadline.description])
    }

    /// The SQL assignment that meets the latest urge when an action of the department on the day bound to
    /// `dayParameter` (e.g. `$5`, a `YYYY-MM-DD` text) falls in its window — ``Urge/isMet(byActionOn:)`` in SQL: from
    /// the urge day through the deadline, both included. The action's own UPDATE sets it, so meeting an urge costs no
    /// extra round trip; a row never urged (`urge_met` null) or without a deadline keeps its value. The metrics test
    /// checks it against the rule on hand-computed days.
    static func meets(_ dayParameter: String) -> String {
        """
        urge_met = CASE WHEN urge_met = false AND \(dayParameter)::date BETWEEN urged_on AND urge_deadline THEN true ELSE urge_met END
        """
    }
}
