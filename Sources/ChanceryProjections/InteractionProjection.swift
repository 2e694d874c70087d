import ChanceryDomain
import ChanceryPostgres

/// Projects the interaction topic (`gov.interaction`) into `interaction.letters`, `interaction.consultations`
/// and `interaction.complaints`: facts only (when received, accepted, transferred, escalated, urged, returned,
/// extended, replied); whether a reply came in time is the supervisor's to judge.
struct InteractionProjection {
    func apply(_ name: String, _ event: CloudEvent, on db: PostgresConnection) async throws {
        let d = event.data
        func s(_ key: String) -> String? { d[key]?.stringValue }
        func i(_ key: String) -> Int64? { d[key]?.integerValue }
        switch name {
        case "LetterReceived":
            try await db.execute(
                """
                INSERT INTO interaction.letters (subject, region, mailbox, letter_kind, title, writer_name, status, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, 'received', $7::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("mailbox"), s("letterKind"), s("title"), s("writerName"), event.time])
        case "LetterAccepted":
            try await db.execute(
                "UPDATE interaction.letters SET status = 'accepted', accepted_at = $2::timestamptz, reply_limit = coalesce($3, reply_limit) WHERE subject = $1",
                [event.subject, event.time, i("replyLimit")])
        case "LetterTransferred":
            try await db.execute(
                """
                UPDATE interaction.letters SET transfers = transfers + 1, department_code = $2, reply_limit = coalesce($3, reply_limit)
                WHERE subject = $1
                """, [event.subject, s("toDepartmentCode"), i("replyLimit")])
        case "LetterEscalated":
            try await db.execute("UPDATE interaction.letters SET escalations = escalations + 1 WHERE subject = $1", [event.subject])
        case "LetterUrged":
            try await db.execute("UPDATE interaction.letters SET urges = urges + 1 WHERE subject = $1", [event.subject])
        case "LetterReturned":
            try await db.execute("UPDATE interaction.letters SET returns = returns + 1, department_code = NULL WHERE subject = $1", [event.subject])
        case "LetterExtensionGranted":
            try await db.execute("UPDATE interaction.letters SET extension_limit = $2 WHERE subject = $1", [event.subject, i("extensionLimit")])
        case "LetterReplied":
            try await db.execute(
                "UPDATE interaction.letters SET status = 'replied', replied_at = $2::timestamptz, published = $3 WHERE subject = $1",
                [event.subject, event.time, d["published"]?.boolValue])
        case "ConsultationReceived":
            try await db.execute(
                """
                INSERT INTO interaction.consultations (subject, region, department_code, item_code, channel, reply_limit, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("itemCode"), s("channel"), i("replyLimit"), event.time])
        case "ConsultationAnswered":
            try await db.execute("UPDATE interaction.consultations SET answered_at = $2::timestamptz WHERE subject = $1", [event.subject, event.time])
        case "ComplaintReceived":
            try await db.execute(
                """
                INSERT INTO interaction.complaints (subject, region, department_code, item_code, case_subject, channel, reply_limit, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz) ON CONFLICT DO NOTHING
                """, [event.subject, event.region, s("departmentCode"), s("itemCode"), s("caseSubject"), s("channel"), i("replyLimit"), event.time])
        case "ComplaintAnswered":
            try await db.execute(
                "UPDATE interaction.complaints SET answered_at = $2::timestamptz, substantiated = $3 WHERE subject = $1",
                [event.subject, event.time, d["substantiated"]?.boolValue])
        default:
            break
        }
    }
}
