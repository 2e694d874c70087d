import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The read API over the PostgreSQL read models (DESIGN.md, "api"). Every answer is JSON built by
/// PostgreSQL (`json_build_object`), with personal data masked (guarantee 8) by ``PersonalDataMask``: names keep their first
/// character and one `*`.
/// Items and disclosures are public; cases and metrics need an analyst, auditor or admin token.
///
/// The lists (items, cases, the documents of disclosures) share one contract (``ListSpec``): filters by query
/// parameter (a bad value is a 400 `invalid-parameter` problem naming it); keyset paging with an opaque cursor —
/// `limit` (1…500) rows after `after`, `next` the cursor of the following page or null on the last; `Accept: text/csv`
/// gives the whole filtered list as RFC 4180 CSV (UTF-8, header row, streamed; `limit` and `after` do not apply); and
/// every JSON answer carries an `ETag` (``ETagMiddleware``), so `If-None-Match` gets 304 when nothing changed.
///
/// - `GET /v1/items?region=&department=&kind=&caseType=&q=&limit=&after=` — catalogued items (retired ones left
///   out), by stream id `item/<region>/<code>` (region, then item code); without `limit` the whole list (`next` null).
/// - `GET /v1/cases?region=&department=&item=&status=&caseType=&outcome=&overdue=&acceptedFrom=&acceptedTo=&concludedFrom=&concludedTo=&q=&limit=&after=`
///   — cases by subject (`limit` default 50): `{"cases": […], "next": "<cursor>"|null}`.
/// - `GET /v1/cases/{region}/{number}` — one case with its timeline; both path parameters percent-decoded.
/// - `GET /v1/disclosures?region=&category=&department=&publishedFrom=&publishedTo=&q=&request=&limit=&after=` — the
///   disclosure catalogue (withdrawn documents left out, paged and filtered as above; `region` also filters the counts
///   and the requests), counts by category and the disclosure requests (`request=<subject>`: that one only). With an
///   analyst, auditor or admin token each request also carries its timeliness: `receivedOn`, `deadline` (the
///   statutory reply limit from receipt or from the supplement's arrival, without any extension), `extensionLimit` and
///   `extendedDeadline` (when extended) and `answeredInTime` (null until answered); deadlines are null while a
///   correction is awaited. CSV: the documents. The requests are not paged here: `GET /v1/disclosure-requests`
///   (``DisclosureRequestsController``) is their list on the list contract.
/// - `GET /v1/metrics/departments?region=&from=YYYY-MM&to=YYYY-MM` — efficiency metrics per department over
///   the months `from`…`to` (inclusive): accepted (by acceptance date), concluded, on time, early and overdue
///   (by conclusion date), overdue still open, on-time and early rates, mean and median working days used.
public struct ReadController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("items", use: items)
        group.get("cases", use: cases)
        group.get("cases/:region/:number", use: caseDetail)
        group.get("disclosures", use: disclosures)
        group.get("metrics/departments", use: departmentMetrics)
    }

    /// SQL that masks a name by the portal's rule set (``PersonalDataMask/name(_:)``: first character then one `*`).
    static func masked(_ column: String) -> String {
        PersonalDataMask.nameSQL(column)
    }

    /// The day of timestamp `column` in its row's region's time zone (``RegionCalendars/timeZoneSQL(regionColumn:)``).
    static func regionDay(_ column: String) -> String {
        "(\(column) AT TIME ZONE \(RegionCalendars.shared.timeZoneSQL(regionColumn: "region")))::date"
    }

    /// The values of the enumerations of schemas/openapi.yaml that filters take.
    enum Values {
        static let caseStatus = ["submitted", "accepted", "supplementing", "reported-upward", "decided", "concluded", "delivered", "refused", "withdrawn"]
        static let caseType = ["immediate", "promised", "reported-upward", "joint"]
        static let caseOutcome = ["early", "on-time", "overdue"]
        static let itemKind = ["licensing", "non-licensing-approval", "public-service", "other-power"]
        static let disclosureCategory = ["overview", "notices", "work-updates", "normative-documents", "plans", "business-work", "major-construction",
                                         "fiscal-information", "emergency-management", "statistics", "personnel", "other"]
    }

    /// `GET /v1/items`: `catalog.items` without retired items, by stream id (region, then item code).
    static let itemList = ListSpec(
        from: "catalog.items", fixed: ["retired_at IS NULL"],
        columns: [
            .init(name: "region", sql: "region"), .init(name: "itemCode", sql: "item_code"), .init(name: "itemName", sql: "item_name"),
            .init(name: "itemKind", sql: "item_kind"), .init(name: "departmentCode", sql: "department_code"),
            .init(name: "departmentName", sql: "department_name"), .init(name: "statutoryLimit", sql: "statutory_limit"),
            .init(name: "promisedLimit", sql: "promised_limit"), .init(name: "caseType", sql: "case_type"),
            .init(name: "confirmedAt", sql: "confirmed_at"),
        ],
        key: "subject",
        filters: [.region(), .equals("department", "department_code"), .oneOf("kind", "item_kind", Values.itemKind),
                  .oneOf("caseType", "case_type", Values.caseType), .contains("q", "item_name")],
        defaultLimit: nil)

    /// `GET /v1/cases`: `approval.cases` by subject; the applicant's name masked.
    static let caseList = ListSpec(
        from: "approval.cases",
        columns: [
            .init(name: "subject", sql: "subject"), .init(name: "region", sql: "region"), .init(name: "caseNumber", sql: "case_number"),
            .init(name: "itemCode", sql: "item_code"), .init(name: "departmentCode", sql: "department_code"), .init(name: "status", sql: "status"),
            .init(name: "caseType", sql: "case_type"), .init(name: "applicantName", sql: masked("applicant_name")),
            .init(name: "submittedAt", sql: "submitted_at"), .init(name: "acceptedOn", sql: "accepted_on"),
            .init(name: "concludedOn", sql: "concluded_on"), .init(name: "promisedLimit", sql: "promised_limit"),
            .init(name: "deadline", sql: "deadline"), .init(name: "workingDaysUsed", sql: "working_days_used"), .init(name: "outcome", sql: "outcome"),
        ],
        key: "subject",
        filters: [
            .region(), .equals("department", "department_code"), .equals("item", "item_code"),
            .oneOf("status", "status", Values.caseStatus), .oneOf("caseType", "case_type", Values.caseType),
            .oneOf("outcome", "outcome", Values.caseOutcome),
            .flag("overdue", "coalesce(outcome = 'overdue', false) OR (concluded_on IS NULL AND coalesce(deadline < current_date, false))"),
            .onOrAfter("acceptedFrom", "accepted_on"), .onOrBefore("acceptedTo", "accepted_on"),
            .onOrAfter("concludedFrom", "concluded_on"), .onOrBefore("concludedTo", "concluded_on"),
            .contains("q", "case_number"),
        ])

    /// The documents of `GET /v1/disclosures`: `disclosure.documents` without withdrawn ones, by subject.
    static let documentList = ListSpec(
        from: "disclosure.documents", fixed: ["withdrawn_at IS NULL"],
        columns: [
            .init(name: "subject", sql: "subject"), .init(name: "region", sql: "region"), .init(name: "title", sql: "title"),
            .init(name: "category", sql: "category"), .init(name: "departmentCode", sql: "department_code"),
            .init(name: "documentNumber", sql: "document_number"), .init(name: "publishedAt", sql: "published_at"),
            .init(name: "reportedAt", sql: "reported_at"),
        ],
        key: "subject",
        filters: [
            .region(), .oneOf("category", "category", Values.disclosureCategory), .equals("department", "department_code"),
            .onOrAfter("publishedFrom", regionDay("published_at")), .onOrBefore("publishedTo", regionDay("published_at")),
            .contains("q", "title"),
        ])

    @Sendable func items(request: Request, context: Context) async throws -> Response {
        try await list(Self.itemList, wrap: "items", request: request, context: context)
    }

    @Sendable func cases(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        return try await list(Self.caseList, wrap: "cases", request: request, context: context)
    }

    /// A list as JSON (`{"<wrap>": […], "next": …}`) or, for `Accept: text/csv`, CSV.
    private func list(_ spec: ListSpec, wrap key: String, request: Request, context: Context) async throws -> Response {
        if ListSpec.wantsCSV(request) { return try await spec.csv(request, database: database, logger: context.logger) }
        let page = try await spec.page(request, database: database)
        return Self.raw("{\"\(key)\":\(page.rows),\"next\":\(ListSpec.nextJSON(page.next))}")
    }

    @Sendable func caseDetail(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let region = try PathParameter.decoded("region", in: context)
        let number = try PathParameter.decoded("number", in: context)
        guard Region(region) != nil else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "region must be a six-digit (China) or seven-digit (Canada) division code, not '\(region.prefix(100))'")
        }
        let subject = "case/\(region)/\(number)"
        let sql = """
            SELECT json_build_object(
              'case', (SELECT row_to_json(c) FROM (
                  SELECT subject, region, case_number AS "caseNumber", item_code AS "itemCode", department_code AS "departmentCode",
                         status, case_type AS "caseType", \(Self.masked("applicant_name")) AS "applicantName",
                         submitted_at AS "submittedAt", accepted_at AS "acceptedAt", decided_at AS "decidedAt", decision,
                         concluded_at AS "concludedAt", promised_limit AS "promisedLimit", statutory_limit AS "statutoryLimit",
                         deadline, working_days_used AS "workingDaysUsed", outcome
                  FROM approval.cases WHERE subject = $1) c),
              'timeline', (SELECT coalesce(json_agg(json_build_object('sequence', sequence, 'type', type, 'time', time_text,
                                   'id', id, 'source', source, 'hash', hash) ORDER BY sequence), '[]')
                           FROM audit.events WHERE subject = $1))::text
            """
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: [subject]))
        guard let text = try rows.first?.decode(String.self, at: 0), !text.contains("\"case\" : null") else {
            throw Problem(.notFound, code: "not-found", title: "Not Found", detail: "no case \(subject)")
        }
        return Self.raw(text)
    }

    @Sendable func disclosures(request: Request, context: Context) async throws -> Response {
        let q = request.uri.queryParameters
        let region = try ReadController.region(q["region"])
        let requestSubject = q["request"].map(String.init)
        if let requestSubject, StreamID(requestSubject)?.kind != "request" || requestSubject.utf8.contains(0) {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "request must be a disclosure request's stream id, request/<region>/<number>, not '\(requestSubject.prefix(100))'")
        }
        if ListSpec.wantsCSV(request) { return try await Self.documentList.csv(request, database: database, logger: context.logger) }
        let documents = try await Self.documentList.page(request, database: database)
        // Timeliness for analysts; the public sees the request, its receipt, reply and outcome.
        let timeliness = context.identity?.mayAnalyse == true
        let baseDeadlines = timeliness ? try await DisclosureDeadlines.unextended(region: region, request: requestSubject, database: database) : [:]
        let timelinessColumns = timeliness ? """
            , received_on AS "receivedOn",
                         CASE WHEN extended_at IS NULL THEN deadline ELSE ($3::jsonb ->> subject)::date END AS deadline,
                         extension_limit AS "extensionLimit", CASE WHEN extended_at IS NOT NULL THEN deadline END AS "extendedDeadline",
                         answered_in_time AS "answeredInTime"
            """ : ""
        let sql = """
            SELECT json_build_object(
              'byCategory', (SELECT coalesce(json_agg(json_build_object('region', region, 'category', category,
                                  'published', published, 'reported', reported) ORDER BY region, category), '[]')
                             FROM disclosure.catalog_by_category WHERE ($1::text IS NULL OR region = $1)),
              'requests', (SELECT coalesce(json_agg(r ORDER BY r.subject), '[]') FROM (
                  SELECT subject, region, department_code AS "departmentCode", \(Self.masked("requester_name")) AS "requesterName",
                         requester_kind AS "requesterKind", received_at AS "receivedAt", answered_at AS "answeredAt", outcome\(timelinessColumns)
                  FROM disclosure.requests WHERE ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR subject = $2)) r))::text
            """
        var parameters: [(any PostgresEncodable)?] = [region, requestSubject]
        if timeliness {
            parameters.append(String(decoding: try JSONEncoder().encode(baseDeadlines), as: UTF8.self))
        }
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: parameters))
        let text = try rows.first?.decode(String.self, at: 0) ?? "{}"
        // Splice the documents page into the object PostgreSQL built: `{…}` → `{…, "documents": […], "next": …}`.
        guard text.hasSuffix("}"), text.count > 2 else { return Self.raw(text) }
        return Self.raw(String(text.dropLast()) + ", \"documents\" : \(documents.rows), \"next\" : \(ListSpec.nextJSON(documents.next))}")
    }

    @Sendable func departmentMetrics(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        func month(_ name: String) throws -> String? { try MetricsController.month(q[Substring(name)].map(String.init), name) }
        // Straight from the supervisor's case clocks, so medians are true medians over the whole period.
        let sql = """
            SELECT coalesce(json_agg(t ORDER BY t.region, t."departmentCode"), '[]')::text FROM (
              SELECT region, department_code AS "departmentCode",
                     count(*) FILTER (WHERE accepted_on >= coalesce($2::date, '-infinity') AND accepted_on < coalesce(($3::date + interval '1 month')::date, 'infinity')) AS accepted,
                     count(*) FILTER (WHERE in_period) AS concluded,
                     count(*) FILTER (WHERE in_period AND outcome IN ('early', 'on-time')) AS "concludedOnTime",
                     count(*) FILTER (WHERE in_period AND outcome = 'early') AS "concludedEarly",
                     count(*) FILTER (WHERE in_period AND outcome = 'overdue') AS "overdueConcluded",
                     count(*) FILTER (WHERE concluded_on IS NULL AND red_alert_id IS NOT NULL) AS "overdueOpen",
                     round(count(*) FILTER (WHERE in_period AND outcome IN ('early', 'on-time'))::numeric / nullif(count(*) FILTER (WHERE in_period), 0), 4) AS "onTimeRate",
                     round(count(*) FILTER (WHERE in_period AND outcome = 'early')::numeric / nullif(count(*) FILTER (WHERE in_period), 0), 4) AS "earlyRate",
                     round(avg(working_days_used) FILTER (WHERE in_period), 2) AS "meanWorkingDays",
                     percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days_used) FILTER (WHERE in_period) AS "medianWorkingDays"
              FROM (SELECT *, concluded_on IS NOT NULL AND concluded_on >= coalesce($2::date, '-infinity')
                              AND concluded_on < coalesce(($3::date + interval '1 month')::date, 'infinity') AS in_period
                    FROM supervision.case_clocks WHERE accepted_on IS NOT NULL AND ($1::text IS NULL OR region = $1)) c
              GROUP BY region, department_code) t
            """
        return try await jsonText(sql, [try ReadController.region(q["region"]), try month("from"), try month("to")], wrap: "departments")
    }

    private func jsonText(_ sql: String, _ parameters: [(any PostgresEncodable)?], wrap key: String) async throws -> Response {
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: parameters))
        let text = try rows.first?.decode(String.self, at: 0) ?? "[]"
        return Self.raw("{\"\(key)\":\(text)}")
    }

    static func raw(_ json: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    /// The `region` filter, or nil when absent.
    /// - Throws: a 400 `invalid-parameter` problem when it is not a six- or seven-digit division code.
    static func region(_ text: Substring?) throws -> String? {
        guard let text else { return nil }
        guard Region(String(text)) != nil else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "region must be a six-digit (China) or seven-digit (Canada) division code, not '\(text)'")
        }
        return String(text)
    }

    static func limit(_ text: Substring?) throws -> Int64 {
        guard let text else { return 50 }
        guard let n = Int64(text), (1...500).contains(n) else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "limit must be an integer from 1 to 500")
        }
        return n
    }
}
