import ChanceryDomain
import ChanceryPostgres

/// Projects catalog item events (事项, ``ItemEvent``) into `catalog.items`: the item's terms as registered and revised,
/// and when it was confirmed and retired. An event the lifecycle rules refuse is not given to it.
struct ItemProjection {
    func apply(_ itemEvent: ItemEvent, _ event: CloudEvent, on db: PostgresConnection) async throws {
        switch itemEvent {
        case .registered(let itemCode, let departmentCode, let t):
            try await db.execute(
                """
                INSERT INTO catalog.items (subject, region, item_code, item_name, item_kind, department_code, department_name,
                                           statutory_limit, promised_limit, case_type, legal_basis, registered_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz) ON CONFLICT DO NOTHING
                """,
                [event.subject, event.region, itemCode, t.itemName, t.itemKind, departmentCode, t.departmentName, t.statutoryLimit, t.promisedLimit,
                 t.caseType, t.legalBasis, event.time])
        case .confirmed:
            try await db.execute("UPDATE catalog.items SET confirmed_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
        case .revised(let t):
            try await db.execute(
                """
                UPDATE catalog.items SET revised_at = $2::timestamptz, item_name = coalesce($3, item_name), item_kind = coalesce($4, item_kind),
                       department_name = coalesce($5, department_name), statutory_limit = coalesce($6, statutory_limit),
                       promised_limit = coalesce($7, promised_limit), case_type = coalesce($8, case_type), legal_basis = coalesce($9, legal_basis)
                WHERE subject = $1
                """, [event.subject, event.time, t.itemName, t.itemKind, t.departmentName, t.statutoryLimit, t.promisedLimit, t.caseType, t.legalBasis])
        case .retired(let kind):
            try await db.execute("UPDATE catalog.items SET retired_at = $2::timestamptz, retirement_kind = $3 WHERE subject = $1",
                                 [event.subject, event.time, kind])
        }
    }
}
