import ChanceryDomain
import ChanceryPostgres

/// Projects the supervision alerts of a batch into `supervision.alerts`: every raised card and irregularity of the
/// batch in one INSERT, then every resolution in one UPDATE (an alert is resolved only after it was raised, in this
/// batch or an earlier one; ``AlertLifecycle``). Rows travel as one JSON array (`jsonb_to_recordset`).
struct AlertProjection {
    /// Projects `events` (alert events in log order, each with its typed value).
    func apply(_ events: [(event: CloudEvent, alertEvent: AlertEvent)], on db: PostgresConnection) async throws {
        var raised: [JSONValue] = []
        var resolved: [JSONValue] = []
        for (event, alertEvent) in events {
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            switch alertEvent {
            case .raised(let a):
                raised.append(.object([
                    "subject": .string(event.subject), "id": .string(event.id), "region": .string(event.region),
                    "case_subject": text(a.caseSubject), "department_code": text(a.departmentCode), "item_code": text(a.itemCode),
                    "card": text(a.card), "deadline": text(a.deadline.flatMap { CivilDate($0) }?.description), "raised_at": .string(event.time),
                    "alert_type": .string(a.typeName), "irregularity_kind": text(a.irregularityKind), "step": text(a.step),
                ]))
            case .resolved(let resolution):
                resolved.append(.object(["subject": .string(event.subject), "resolved_at": .string(event.time), "resolution": text(resolution)]))
            case .quarantined:
                // About the consumers, not a case: the record itself is listed in `audit.quarantine`, not as an alert row.
                continue
            }
        }
        if !raised.isEmpty {
            try await db.execute(
                """
                INSERT INTO supervision.alerts (subject, id, region, case_subject, department_code, item_code, card, deadline, raised_at,
                                                alert_type, irregularity_kind, step)
                SELECT subject, id, region, case_subject, department_code, item_code, card, deadline, raised_at, alert_type, irregularity_kind, step
                FROM jsonb_to_recordset(\(jsonText(JSONValue.array(raised)))::jsonb) AS r(subject text, id text, region text, case_subject text, department_code text,
                                                         item_code text, card text, deadline date, raised_at timestamptz, alert_type text,
                                                         irregularity_kind text, step text)
                ON CONFLICT DO NOTHING
                """)
        }
        if !resolved.isEmpty {
            try await db.execute(
                """
                UPDATE supervision.alerts a SET resolved_at = r.resolved_at, resolution = r.resolution
                FROM jsonb_to_recordset(\(jsonText(JSONValue.array(resolved)))::jsonb) AS r(subject text, resolved_at timestamptz, resolution text)
                WHERE a.subject = r.subject
                """)
        }
    }
}
