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
                VALUES (\(event.subject), \(event.region), \(title), \(category), \(departmentCode), \(documentNumber), \(event.time)::timestamptz) ON CONFLICT DO NOTHING
                """)
        case .revised(let title, let category, let documentNumber):
            try await db.execute(
                """
                UPDATE disclosure.documents SET revisions = \(Int64(state.revisions)), revised_at = \(event.time)::timestamptz, title = coalesce(\(title), title),
                       category = coalesce(\(category), category), document_number = coalesce(\(documentNumber), document_number)
                WHERE subject = \(event.subject)
                """)
        case .reported(let reportedTo):
            try await db.execute("UPDATE disclosure.documents SET reported_at = \(event.time)::timestamptz, reported_to = \(reportedTo) WHERE subject = \(event.subject)")
        case .withdrawn:
            try await db.execute("UPDATE disclosure.documents SET withdrawn_at = \(event.time)::timestamptz WHERE subject = \(event.subject)")
        }
    }
}
