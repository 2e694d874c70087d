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
                VALUES (\(event.subject), \(event.region), \(itemCode), \(t.itemName), \(t.itemKind), \(departmentCode), \(t.departmentName), \(t.statutoryLimit), \(t.promisedLimit), \(t.caseType), \(t.legalBasis), \(event.time)::timestamptz) ON CONFLICT DO NOTHING
                """)
        case .confirmed:
            try await db.execute("UPDATE catalog.items SET confirmed_at = \(event.time)::timestamptz WHERE subject = \(event.subject)")
        case .revised(let t):
            try await db.execute(
                """
                UPDATE catalog.items SET revised_at = \(event.time)::timestamptz, item_name = coalesce(\(t.itemName), item_name), item_kind = coalesce(\(t.itemKind), item_kind),
                       department_name = coalesce(\(t.departmentName), department_name), statutory_limit = coalesce(\(t.statutoryLimit), statutory_limit),
                       promised_limit = coalesce(\(t.promisedLimit), promised_limit), case_type = coalesce(\(t.caseType), case_type), legal_basis = coalesce(\(t.legalBasis), legal_basis)
                WHERE subject = \(event.subject)
                """)
        case .retired(let kind):
            try await db.execute("UPDATE catalog.items SET retired_at = \(event.time)::timestamptz, retirement_kind = \(kind) WHERE subject = \(event.subject)")
        }
    }
}
