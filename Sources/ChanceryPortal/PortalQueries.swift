import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The portal's read queries over the read models (catalog, approval, disclosure, interaction, supervision, audit
/// schemas; see Sources/ChanceryProjections/Migrations). Each answers one JSON text built by PostgreSQL, turned into
/// template values by ``TemplateJSON``. Personal columns that a query returns (`applicant_name`) are masked by the
/// caller before anything is rendered; no query returns an identity number, telephone, address or e-mail.
struct PortalQueries: Sendable {
    let database: PostgresClient

    /// The time zone of a region's civil dates (``RegionCalendars/timeZoneIdentifier(for:)``).
    static func timeZone(_ region: String) -> String { RegionCalendars.shared.timeZoneIdentifier(for: region) }

    private func json(_ sql: String, _ parameters: [(any PostgresEncodable)?]) async throws -> Any {
        let rows = try await database.query(sql, parameters)
        return try TemplateJSON.parse(try rows.first?.decode(String?.self, at: 0) ?? "null")
    }

    /// Every region with anything to show: items, documents, cases or letters.
    func regions() async throws -> [String] {
        let sql = """
            SELECT coalesce(json_agg(r ORDER BY r), '[]')::text FROM (
              SELECT region FROM catalog.items UNION SELECT region FROM disclosure.documents
              UNION SELECT DISTINCT region FROM approval.cases UNION SELECT region FROM interaction.letters) x(r)
            """
        return try await json(sql, []) as? [String] ?? []
    }

    /// The region's departments, `[{code, name}]`, named from the item catalogue (a department known only from its
    /// documents is named by its code).
    func departments(region: String) async throws -> [[String: Any]] {
        let sql = """
            SELECT coalesce(json_agg(d ORDER BY d.name, d.code), '[]')::text FROM (
              SELECT department_code AS code, max(department_name) AS name FROM catalog.items WHERE region = $1 GROUP BY department_code
              UNION ALL
              SELECT DISTINCT department_code, department_code FROM disclosure.documents
              WHERE region = $1 AND department_code NOT IN (SELECT department_code FROM catalog.items WHERE region = $1)) d
            """
        return try await json(sql, [region]) as? [[String: Any]] ?? []
    }

    /// One page of the disclosure catalogue, newest first: `{total, documents: [{number, title, category,
    /// departmentCode, documentNumber, indexNumber, publishedOn, withdrawn, revised}]}`. `search` matches title,
    /// document number (文号) or index number (索引号), case-insensitively, as a substring.
    func catalogue(region: String, category: String?, department: String?, year: Int?, search: String?, limit: Int, offset: Int) async throws -> [String: Any] {
        let tz = Self.timeZone(region)
        let pattern = search.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%" }
        let sql = """
            WITH docs AS (
              SELECT d.subject, split_part(d.subject, '/', 3) AS number, d.title, d.category, d.department_code AS "departmentCode",
                     d.document_number AS "documentNumber", p.event -> 'data' ->> 'indexNumber' AS "indexNumber",
                     to_char(d.published_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "publishedOn",
                     d.withdrawn_at IS NOT NULL AS withdrawn, d.revisions > 0 AS revised, d.published_at
              FROM disclosure.documents d
              LEFT JOIN LATERAL (SELECT event FROM audit.events e WHERE e.subject = d.subject AND e.type = 'gov.disclosure.document.published'
                                 ORDER BY e.sequence LIMIT 1) p ON true
              WHERE d.region = $1 AND ($2::text IS NULL OR d.category = $2) AND ($3::text IS NULL OR d.department_code = $3)
                AND ($4::int IS NULL OR extract(year FROM d.published_at AT TIME ZONE '\(tz)')::int = $4)
                AND ($5::text IS NULL OR d.title ILIKE $5 OR d.document_number ILIKE $5 OR p.event -> 'data' ->> 'indexNumber' ILIKE $5))
            SELECT json_build_object('total', (SELECT count(*) FROM docs),
              'documents', (SELECT coalesce(json_agg(x), '[]') FROM (
                 SELECT number, title, category, "departmentCode", "documentNumber", "indexNumber", "publishedOn", withdrawn, revised
                 FROM docs ORDER BY published_at DESC, subject LIMIT $6 OFFSET $7) x))::text
            """
        return try await json(sql, [region, category, department, year, pattern, limit, offset]) as? [String: Any] ?? [:]
    }

    /// The years in which the region published documents or received disclosure requests, newest first.
    func years(region: String) async throws -> [Int] {
        let tz = Self.timeZone(region)
        let sql = """
            SELECT coalesce(json_agg(y ORDER BY y DESC), '[]')::text FROM (
              SELECT extract(year FROM published_at AT TIME ZONE '\(tz)')::int FROM disclosure.documents WHERE region = $1
              UNION SELECT extract(year FROM received_at AT TIME ZONE '\(tz)')::int FROM disclosure.requests WHERE region = $1) t(y)
            """
        return try await json(sql, [region]) as? [Int] ?? []
    }

    /// One document with its history, or nil: `{doc: {…}, history: [{type, time, reason, title, documentNumber,
    /// category}]}`. The history lists every event of the document's stream, without the reviewer's name.
    func document(region: String, number: String) async throws -> [String: Any]? {
        let tz = Self.timeZone(region)
        let sql = """
            SELECT json_build_object(
              'doc', (SELECT row_to_json(x) FROM (
                 SELECT split_part(d.subject, '/', 3) AS number, d.title, d.category, d.department_code AS "departmentCode",
                        d.document_number AS "documentNumber",
                        (SELECT event -> 'data' ->> 'indexNumber' FROM audit.events e WHERE e.subject = d.subject
                           AND e.type = 'gov.disclosure.document.published' ORDER BY sequence LIMIT 1) AS "indexNumber",
                        (SELECT event -> 'data' ->> 'url' FROM audit.events e WHERE e.subject = d.subject
                           AND e.type = 'gov.disclosure.document.published' ORDER BY sequence LIMIT 1) AS url,
                        to_char(d.published_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "publishedOn",
                        to_char(d.reported_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "reportedOn",
                        to_char(d.revised_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "revisedOn",
                        to_char(d.withdrawn_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "withdrawnOn",
                        d.withdrawn_at IS NOT NULL AS withdrawn, d.revisions > 0 AS revised
                 FROM disclosure.documents d WHERE d.subject = $1) x),
              'history', (SELECT coalesce(json_agg(json_build_object(
                    'type', type, 'time', to_char(time AT TIME ZONE '\(tz)', 'YYYY-MM-DD HH24:MI'),
                    'reason', event -> 'data' ->> 'reason', 'newTitle', CASE WHEN type = 'gov.disclosure.document.revised' THEN event -> 'data' ->> 'title' END,
                    'documentNumber', CASE WHEN type = 'gov.disclosure.document.revised' THEN event -> 'data' ->> 'documentNumber' END,
                    'category', CASE WHEN type = 'gov.disclosure.document.revised' THEN event -> 'data' ->> 'category' END)
                  ORDER BY sequence), '[]') FROM audit.events WHERE subject = $1))::text
            """
        let out = try await json(sql, ["document/\(region)/\(number)"]) as? [String: Any]
        return out?["doc"] == nil ? nil : out
    }

    /// The newest `limit` documents of a category (nil: every category) for a feed, withdrawn ones included:
    /// `[{number, title, category, documentNumber, published, updated, withdrawn}]`, times in RFC 3339 UTC.
    func feed(region: String, category: String?, limit: Int) async throws -> [[String: Any]] {
        let sql = """
            SELECT coalesce(json_agg(x ORDER BY x.updated DESC, x.number), '[]')::text FROM (
              SELECT split_part(subject, '/', 3) AS number, title, category, document_number AS "documentNumber",
                     to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS published,
                     to_char(greatest(published_at, revised_at, withdrawn_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated,
                     withdrawn_at IS NOT NULL AS withdrawn
              FROM disclosure.documents WHERE region = $1 AND ($2::text IS NULL OR category = $2)
              ORDER BY greatest(published_at, revised_at, withdrawn_at) DESC, subject LIMIT $3) x
            """
        return try await json(sql, [region, category, limit]) as? [[String: Any]] ?? []
    }

    /// One page of concluded cases (办件公示), newest conclusion first: `{total, cases: [{caseNumber, itemCode,
    /// itemName, department, decision, acceptedOn, concludedOn, applicantName, applicantKind}]}`.
    /// `applicantName` is the raw name and `applicantIdType`/`applicantIdNumber` the applicant's document, which only
    /// tells whether the applicant is an organisation: the caller masks the name and renders neither.
    func results(region: String, limit: Int, offset: Int) async throws -> [String: Any] {
        let sql = """
            SELECT json_build_object(
              'total', (SELECT count(*) FROM approval.cases WHERE region = $1 AND concluded_at IS NOT NULL),
              'cases', (SELECT coalesce(json_agg(x), '[]') FROM (
                 SELECT c.case_number AS "caseNumber", c.item_code AS "itemCode", i.item_name AS "itemName",
                        coalesce(i.department_name, c.department_code) AS department, c.decision,
                        to_char(c.accepted_on, 'YYYY-MM-DD') AS "acceptedOn", to_char(c.concluded_on, 'YYYY-MM-DD') AS "concludedOn",
                        c.applicant_name AS "applicantName", e.event -> 'data' ->> 'applicantKind' AS "applicantKind",
                        e.event -> 'data' ->> 'applicantIdType' AS "applicantIdType", e.event -> 'data' ->> 'applicantIdNumber' AS "applicantIdNumber"
                 FROM approval.cases c
                 LEFT JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
                 LEFT JOIN audit.events e ON e.subject = c.subject AND e.sequence = 1
                 WHERE c.region = $1 AND c.concluded_at IS NOT NULL
                 ORDER BY c.concluded_at DESC, c.subject LIMIT $2 OFFSET $3) x))::text
            """
        return try await json(sql, [region, limit, offset]) as? [String: Any] ?? [:]
    }

    /// The region's current items (retired ones left out), by department then code.
    func items(region: String) async throws -> [[String: Any]] {
        let sql = """
            SELECT coalesce(json_agg(x ORDER BY x."departmentName", x."itemCode"), '[]')::text FROM (
              SELECT item_code AS "itemCode", item_name AS "itemName", item_kind AS "itemKind", department_name AS "departmentName",
                     statutory_limit AS "statutoryLimit", promised_limit AS "promisedLimit", case_type AS "caseType"
              FROM catalog.items WHERE region = $1 AND retired_at IS NULL) x
            """
        return try await json(sql, [region]) as? [[String: Any]] ?? []
    }

    /// One item (retired or not), or nil.
    func item(region: String, code: String) async throws -> [String: Any]? {
        let sql = """
            SELECT row_to_json(x)::text FROM (
              SELECT item_code AS "itemCode", item_name AS "itemName", item_kind AS "itemKind", department_name AS "departmentName",
                     statutory_limit AS "statutoryLimit", promised_limit AS "promisedLimit", case_type AS "caseType", legal_basis AS "legalBasis",
                     retired_at IS NOT NULL AS retired
              FROM catalog.items WHERE region = $1 AND item_code = $2) x
            """
        return try await json(sql, [region, code]) as? [String: Any]
    }

    /// The region's headline figures, aggregates only: cases accepted and concluded, on-time rate (%), letters
    /// answered in time (%), satisfaction (% of ratings 1–3), documents published, disclosure requests received.
    func statistics(region: String) async throws -> [String: Any] {
        let sql = """
            SELECT json_build_object(
              'accepted', (SELECT count(*) FROM approval.cases WHERE region = $1 AND accepted_at IS NOT NULL),
              'concluded', (SELECT count(*) FROM approval.cases WHERE region = $1 AND concluded_at IS NOT NULL),
              'onTimeRate', (SELECT round(100.0 * count(*) FILTER (WHERE outcome IN ('early', 'on-time')) / nullif(count(*), 0), 1)
                             FROM supervision.case_clocks WHERE region = $1 AND concluded_on IS NOT NULL),
              'lettersInTime', (SELECT round(100.0 * count(*) FILTER (WHERE replied_in_time) / nullif(count(replied_in_time), 0), 1)
                                FROM interaction.letters WHERE region = $1),
              'satisfaction', (SELECT round(100.0 * count(*) FILTER (WHERE satisfaction_code <= 3) / nullif(count(satisfaction_code), 0), 1)
                               FROM approval.cases WHERE region = $1),
              'documents', (SELECT count(*) FROM disclosure.documents WHERE region = $1 AND withdrawn_at IS NULL),
              'requests', (SELECT count(*) FROM disclosure.requests WHERE region = $1))::text
            """
        return try await json(sql, [region]) as? [String: Any] ?? [:]
    }

    /// The stream a receipt code follows, or nil: (subject, kind, region).
    func receipt(digest: String) async throws -> (subject: String, kind: String, region: String)? {
        let rows = try await database.query("SELECT subject, kind, region FROM portal.receipts WHERE code_sha256 = \(digest)")
        guard let row = rows.first else { return nil }
        return (try row.decode(String.self, at: 0), try row.decode(String.self, at: 1), try row.decode(String.self, at: 2))
    }

    /// Stores a receipt code's digest for `subject`.
    func storeReceipt(digest: String, subject: String, kind: String, region: String) async throws {
        _ = try await database.execute("INSERT INTO portal.receipts (code_sha256, subject, kind, region) VALUES (\(digest), \(subject), \(kind), \(region))")
    }

    /// Forgets a receipt code (its append failed).
    func deleteReceipt(digest: String) async throws {
        _ = try await database.execute("DELETE FROM portal.receipts WHERE code_sha256 = \(digest)")
    }

    /// The progress of one request or letter, for its own requester only (the caller has checked the receipt code):
    /// `{row: {…}, history: [{type, time}]}`; `row` is absent until the projector has applied the first event.
    func progress(subject: String, kind: String, region: String) async throws -> [String: Any] {
        let tz = Self.timeZone(region)
        let row = kind == "request" ? """
            SELECT row_to_json(x) FROM (SELECT description AS text, department_code AS "departmentCode",
                   to_char(received_on, 'YYYY-MM-DD') AS "receivedOn", to_char(deadline, 'YYYY-MM-DD') AS deadline, outcome,
                   to_char(answered_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "answeredOn", extension_limit AS "extensionLimit"
                   FROM disclosure.requests WHERE subject = $1) x
            """ : """
            SELECT row_to_json(x) FROM (SELECT title AS text, department_code AS "departmentCode", mailbox,
                   to_char(received_on, 'YYYY-MM-DD') AS "receivedOn", to_char(deadline, 'YYYY-MM-DD') AS deadline, NULL::text AS outcome,
                   to_char(replied_at AT TIME ZONE '\(tz)', 'YYYY-MM-DD') AS "answeredOn", extension_limit AS "extensionLimit"
                   FROM interaction.letters WHERE subject = $1) x
            """
        let sql = """
            SELECT json_build_object('row', (\(row)),
              'history', (SELECT coalesce(json_agg(json_build_object('type', type, 'time', to_char(time AT TIME ZONE '\(tz)', 'YYYY-MM-DD HH24:MI'))
                          ORDER BY sequence), '[]') FROM audit.events WHERE subject = $1))::text
            """
        return try await json(sql, [subject]) as? [String: Any] ?? [:]
    }
}
