import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The read API over the PostgreSQL read models (DESIGN.md, "api"). Every answer is JSON built by
/// PostgreSQL (`json_agg`), with personal data masked (guarantee 8) by ``PersonalDataMask``: names keep their first character and one `*`.
/// Items and disclosures are public; cases and metrics need an analyst, auditor or admin token.
///
/// - `GET /v1/items?region=&department=` — catalogued items (retired ones left out).
/// - `GET /v1/cases?region=&department=&status=&item=&limit=&after=` — cases, keyset-paginated by subject
///   (`limit` 1…500, default 50): `{"cases": […], "next": "<subject>"|null}`; pass `next` as `after`.
/// - `GET /v1/cases/{region}/{number}` — one case with its timeline.
/// - `GET /v1/disclosures?region=&category=&request=&limit=&after=` — the disclosure catalogue (withdrawn documents
///   left out, keyset-paginated by subject with `next` as for cases), counts by category and the disclosure requests
///   (`request=<subject>`: that one only). With an analyst, auditor or admin token each request also carries its
///   timeliness: `receivedOn`, `deadline` (the statutory reply limit from receipt or from the supplement's arrival,
///   without any extension), `extensionLimit` and `extendedDeadline` (when extended) and `answeredInTime` (null until
///   answered); deadlines are null while a correction is awaited.
/// - `GET /v1/metrics/departments?region=&from=YYYY-MM&to=YYYY-MM` — efficiency metrics per department over
///   the months `from`…`to` (inclusive): accepted (by acceptance date), concluded, on time, early and overdue
///   (by conclusion date), overdue still open, on-time and early rates, mean and median working days used.
public struct ReadController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    /// The calendars the projector counts reply limits on (the bundled ones; `nil` if they cannot be loaded, and
    /// then extended requests show no un-extended deadline).
    let calendars: RegionCalendars?

    public init(database: PostgresClient) {
        self.database = database
        self.calendars = try? RegionCalendars.bundled()
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

    @Sendable func items(request: Request, context: Context) async throws -> Response {
        let q = request.uri.queryParameters
        let sql = """
            SELECT coalesce(json_agg(t ORDER BY t.region, t."itemCode"), '[]')::text FROM (
              SELECT region, item_code AS "itemCode", item_name AS "itemName", item_kind AS "itemKind",
                     department_code AS "departmentCode", department_name AS "departmentName",
                     statutory_limit AS "statutoryLimit", promised_limit AS "promisedLimit", case_type AS "caseType",
                     confirmed_at AS "confirmedAt"
              FROM catalog.items WHERE retired_at IS NULL AND ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR department_code = $2)) t
            """
        return try await jsonText(sql, [try ReadController.region(q["region"]), q["department"].map(String.init)], wrap: "items")
    }

    @Sendable func cases(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let limit = try Self.limit(q["limit"])
        let sql = """
            SELECT coalesce(json_agg(t ORDER BY t.subject), '[]')::text FROM (
              SELECT subject, region, case_number AS "caseNumber", item_code AS "itemCode", department_code AS "departmentCode",
                     status, case_type AS "caseType", \(Self.masked("applicant_name")) AS "applicantName",
                     submitted_at AS "submittedAt", accepted_on AS "acceptedOn", concluded_on AS "concludedOn",
                     promised_limit AS "promisedLimit", deadline, working_days_used AS "workingDaysUsed", outcome
              FROM approval.cases
              WHERE ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR department_code = $2)
                AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR item_code = $4) AND ($5::text IS NULL OR subject > $5)
              ORDER BY subject LIMIT $6) t
            """
        let rows = try await database.query(sql, [try ReadController.region(q["region"]), q["department"].map(String.init), q["status"].map(String.init),
                                                  q["item"].map(String.init), q["after"].map(String.init), limit])
        let text = try rows.first?.decode(String.self, at: 0) ?? "[]"
        return Self.raw("{\"cases\":\(text),\"next\":\(try await nextCursor(text, limit: limit))}")
    }

    @Sendable func caseDetail(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let region = try context.parameters.require("region")
        let number = try context.parameters.require("number")
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
        let rows = try await database.query(sql, [subject])
        guard let text = try rows.first?.decode(String.self, at: 0), !text.contains("\"case\" : null") else {
            throw Problem(.notFound, code: "not-found", title: "Not Found", detail: "no case \(subject)")
        }
        return Self.raw(text)
    }

    @Sendable func disclosures(request: Request, context: Context) async throws -> Response {
        let q = request.uri.queryParameters
        let limit = try Self.limit(q["limit"])
        let region = try ReadController.region(q["region"])
        let requestSubject = q["request"].map(String.init)
        if let requestSubject, StreamID(requestSubject)?.kind != "request" {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "request must be a disclosure request's stream id, request/<region>/<number>, not '\(requestSubject)'")
        }
        // Timeliness for analysts; the public sees the request, its receipt, reply and outcome.
        let timeliness = context.identity?.mayAnalyse == true
        let baseDeadlines = timeliness ? try await unextendedDeadlines(region: region, request: requestSubject) : [:]
        let timelinessColumns = timeliness ? """
            , received_on AS "receivedOn",
                         CASE WHEN extended_at IS NULL THEN deadline ELSE ($6::jsonb ->> subject)::date END AS deadline,
                         extension_limit AS "extensionLimit", CASE WHEN extended_at IS NOT NULL THEN deadline END AS "extendedDeadline",
                         answered_in_time AS "answeredInTime"
            """ : ""
        let sql = """
            WITH page AS (
              SELECT subject, region, title, category, department_code AS "departmentCode", document_number AS "documentNumber",
                     published_at AS "publishedAt", reported_at AS "reportedAt"
              FROM disclosure.documents WHERE withdrawn_at IS NULL AND ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR category = $2)
                AND ($3::text IS NULL OR subject > $3) ORDER BY subject LIMIT $4)
            SELECT json_build_object(
              'byCategory', (SELECT coalesce(json_agg(json_build_object('region', region, 'category', category,
                                  'published', published, 'reported', reported) ORDER BY region, category), '[]')
                             FROM disclosure.catalog_by_category WHERE ($1::text IS NULL OR region = $1)),
              'documents', (SELECT coalesce(json_agg(d ORDER BY d.subject), '[]') FROM page d),
              'next', (SELECT CASE WHEN count(*) = $4 THEN max(subject) END FROM page),
              'requests', (SELECT coalesce(json_agg(r ORDER BY r.subject), '[]') FROM (
                  SELECT subject, region, department_code AS "departmentCode", \(Self.masked("requester_name")) AS "requesterName",
                         requester_kind AS "requesterKind", received_at AS "receivedAt", answered_at AS "answeredAt", outcome\(timelinessColumns)
                  FROM disclosure.requests WHERE ($1::text IS NULL OR region = $1) AND ($5::text IS NULL OR subject = $5)) r))::text
            """
        var parameters: [(any PostgresEncodable)?] = [region, q["category"].map(String.init), q["after"].map(String.init), limit, requestSubject]
        if timeliness {
            parameters.append(String(decoding: try JSONEncoder().encode(baseDeadlines), as: UTF8.self))
        }
        let rows = try await database.query(sql, parameters)
        return Self.raw(try rows.first?.decode(String.self, at: 0) ?? "{}")
    }

    /// The deadline each extended request would have without its extension, by subject (`YYYY-MM-DD`), from the
    /// reply clock the projector keeps (``DisclosureRequestClock``) on the region's calendar; requests whose clock is
    /// stopped (a correction awaited) are left out.
    private func unextendedDeadlines(region: String?, request: String?) async throws -> [String: String] {
        guard let calendars else { return [:] }
        let rows = try await database.query(
            """
            SELECT subject, region, clock::text FROM disclosure.requests
            WHERE extended_at IS NOT NULL AND clock IS NOT NULL AND ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR subject = $2)
            """, [region, request])
        var out: [String: String] = [:]
        for row in rows {
            let subject = try row.decode(String.self, at: 0)
            guard let calendar = calendars.calendar(for: try row.decode(String.self, at: 1)),
                  var clock = try? JSONDecoder().decode(DisclosureRequestClock.self, from: Data(try row.decode(String.self, at: 2).utf8))
            else { continue }
            clock.extensionGranted = nil
            if let deadline = clock.deadline(calendar: calendar) { out[subject] = deadline.description }
        }
        return out
    }

    @Sendable func departmentMetrics(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        func month(_ name: String) throws -> String? {
            guard let v = q[Substring(name)].map(String.init) else { return nil }
            guard v.count == 7, let date = ISO8601Month(v) else {
                throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "\(name) must be YYYY-MM", pointer: nil)
            }
            return date
        }
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

    /// The `after` value for the next page (the last subject) when the page is full, else `null`.
    private func nextCursor(_ pageJSON: String, limit: Int64) async throws -> String {
        let rows = try await database.query(
            "SELECT CASE WHEN json_array_length($1::json) = $2 THEN to_json(($1::json -> -1) ->> 'subject')::text ELSE 'null' END", [pageJSON, limit])
        return try rows.first?.decode(String.self, at: 0) ?? "null"
    }

    private func jsonText(_ sql: String, _ parameters: [(any PostgresEncodable)?], wrap key: String) async throws -> Response {
        let rows = try await database.query(sql, parameters)
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

/// `YYYY-MM` → `YYYY-MM-01`, or nil.
func ISO8601Month(_ text: String) -> String? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
          parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
          let m = Int(parts[1]), (1...12).contains(m) else { return nil }
    return "\(text)-01"
}
