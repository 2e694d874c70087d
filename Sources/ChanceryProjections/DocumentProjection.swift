import ChanceryDomain
import ChanceryPostgres

/// Projects disclosure document events (主动公开, ``DocumentEvent``) into `disclosure.documents`: the document as
/// published and revised, when it was reported to the city portal and withdrawn. Its count of revisions is the
/// lifecycle's (``DocumentState``, the stream head's fold), given after the event; an event the rules refuse is not
/// given to it.
struct DocumentProjection {
    func apply(_ documentEvent: DocumentEvent, _ event: CloudEvent, state: DocumentState, on db: PostgresConnection) async throws {
        switch documentEvent {
        case .reviewed:
            break
        case .published(let title, let category, let departmentCode, let documentNumber):
            try await db.execute(
                """
                INSERT INTO disclosure.documents (subject, region, title, category, department_code, document_number, published_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, title, category, departmentCode, documentNumber, event.time])
        case .revised(let title, let category, let documentNumber):
            try await db.execute(
                """
                UPDATE disclosure.documents SET revisions = $6, revised_at = $2::timestamptz, title = coalesce($3, title),
                       category = coalesce($4, category), document_number = coalesce($5, document_number)
                WHERE subject = $1
                """, [event.subject, event.time, title, category, documentNumber, Int64(state.revisions)])
        case .reported(let reportedTo):
            try await db.execute("UPDATE disclosure.documents SET reported_at = $2::timestamptz, reported_to = $3 WHERE subject = $1",
                                 [event.subject, event.time, reportedTo])
        case .withdrawn:
            try await db.execute("UPDATE disclosure.documents SET withdrawn_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
        }
    }
}
