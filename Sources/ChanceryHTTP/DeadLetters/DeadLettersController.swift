import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The dead letters — records of the Kafka door (`gov.inbound`) that the gateway refused, with their reason — read from
/// the log of record (`audit.journal`, rows without subject), for auditors and administrators (auditor or admin token).
///
/// - `GET /v1/dead-letters?topic=&code=&committedFrom=&committedTo=&retried=&q=&limit=&after=` — on the list contract of
///   the read API (``ListSpec``): by `id` (the journal position, which unlike a Kafka offset never changes), keyset
///   paging with an opaque cursor, `Accept: text/csv`, ETags. Each row: `id`, `committedAt`, the dead-letter `topic`
///   and `partition`, `key` (UTF-8 text, null when it is not), the reason (`code`, `message`, `pointer`), where the
///   record came from (`originalTopic`, `originalPartition`, `originalOffset`), `valueBytes`, `retries` and
///   `lastRetriedAt` (retries recorded with the dead letter's position: `chancery deadletter retry`). Filters:
///   `topic` (the original topic), `code` (the reason's code, e.g. `invalid-data`), `committedFrom`/`committedTo`
///   (`YYYY-MM-DD`, UTC days), `retried=true|false`, `q` (substring of the message).
/// - `GET /v1/dead-letters/{id}` — one dead letter with its headers and its payload shown safely
///   (``DeadLetterPayload``: JSON with personal data masked, text, or base64) and its retries; 404 for an id that is
///   not a dead letter.
///
/// - `POST /v1/dead-letters/{id}/retry` — admin only, served when the process can reach the broker (``retry(request:context:)``).
///
/// Errors (problem+json): 400 `invalid-parameter` naming the parameter, 401 without a token, 403 unless auditor or admin.
public struct DeadLettersController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    /// Sends dead letters again; nil: `POST /v1/dead-letters/{id}/retry` is not served.
    let retrier: DeadLetterRetrier?

    public init(database: PostgresClient, retrier: DeadLetterRetrier? = nil) {
        self.database = database
        self.retrier = retrier
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("dead-letters", use: list)
        group.get("dead-letters/:id", use: detail)
        if retrier != nil { group.post("dead-letters/:id/retry", use: retry) }
    }

    /// Most bytes of a corrected value.
    static let maxCorrectedBytes = 1 << 20

    /// The id path parameter, checked.
    static func id(_ context: Context) throws -> Int64 {
        let text = try PathParameter.decoded("id", in: context)
        guard let id = Int64(text), id >= 1 else {
            throw ListFilter.invalid("id", "must be a dead letter's id (a journal position, an integer of at least 1), not '\(text.prefix(100))'")
        }
        return id
    }

    /// `POST /v1/dead-letters/{id}/retry` (admin token): sends the dead letter to the inbound topic again — the body, when
    /// not empty, as a corrected value (at most 1 MiB) — with the caller's bearer token, as `chancery deadletter retry`
    /// does (``DeadLetterRetrier``). 200 with the ``DeadLetterRetryReceipt`` once the broker acknowledged the record and
    /// the retry is recorded; 404 for an id that is not a dead letter; 409 `not-in-broker` when the broker no longer holds
    /// it; 413 for a larger body; 503 when the broker or PostgreSQL did not confirm (try again).
    @Sendable func retry(request: Request, context: Context) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role == .admin else {
            throw Problem(.forbidden, code: "forbidden", title: "Forbidden",
                          detail: "token \(principal.tokenID) (role \(principal.role.rawValue)) may not retry dead letters; it needs admin")
        }
        let id = try Self.id(context)
        guard let retrier else { throw Problem(.notFound, code: "not-found", title: "Not Found", detail: "dead letters are not retried here") }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxCorrectedBytes)
        } catch {
            throw Problem(.contentTooLarge, code: "payload-too-large", title: "Content Too Large",
                          detail: "a corrected value has at most \(Self.maxCorrectedBytes) bytes")
        }
        let value = body.readableBytes > 0 ? Array(body.readableBytesView) : nil
        let header = request.headers[.authorization] ?? ""
        let token = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : header
        let receipt: DeadLetterRetryReceipt
        do {
            receipt = try await retrier.retry(position: id, value: value, bearerToken: token, by: principal.tokenID)
        } catch DeadLetterRetryError.notADeadLetter {
            throw Problem(.notFound, code: "not-found", title: "Not Found", detail: "no dead letter \(id) in the log of record")
        } catch DeadLetterRetryError.notInBroker {
            throw Problem(.conflict, code: "not-in-broker", title: "Not in the broker",
                          detail: "dead letter \(id) is in the log of record but no longer in the broker's dead-letter topic, so it cannot be re-sent from there")
        } catch let problem as Problem {
            throw problem
        } catch {
            context.logger.error("dead letter retry failed", metadata: ["id": "\(id)", "error": "\(error)"])
            throw Problem(.serviceUnavailable, code: "unavailable", title: "Service Unavailable",
                          detail: "the retry of dead letter \(id) was not confirmed (\(error)); it may have been sent: look at GET /v1/dead-letters/\(id) before trying again")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(receipt))))
    }

    /// SQL: the text of header `name` of the journal row `j` (migration 0022, `audit.journal_header`).
    static func header(_ name: String) -> String { "audit.journal_header(j.headers, '\(name)')" }
    /// SQL: a header holding a decimal number of at most `digits` digits, as `type`; null otherwise.
    static func number(_ name: String, digits: Int, type: String) -> String {
        "(CASE WHEN \(header(name)) ~ '^[0-9]{1,\(digits)}$' THEN \(header(name))::\(type) END)"
    }
    static let retried = "EXISTS (SELECT 1 FROM audit.deadletter_retries r WHERE r.deadletter_position = j.position)"
    static let utcDay = "(j.committed_at AT TIME ZONE 'UTC')::date"

    /// The columns of a dead letter in the list and, with more, in the detail.
    static let columns: [ListSpec.Column] = [
        .init(name: "id", sql: "j.position"), .init(name: "committedAt", sql: "j.committed_at"),
        .init(name: "topic", sql: "j.topic"), .init(name: "partition", sql: "j.partition"),
        .init(name: "key", sql: "audit.utf8_or_null(j.key)"),
        .init(name: "code", sql: header("error.code")), .init(name: "message", sql: header("error.message")),
        .init(name: "pointer", sql: header("error.pointer")), .init(name: "originalTopic", sql: header("original.topic")),
        .init(name: "originalPartition", sql: number("original.partition", digits: 9, type: "integer")),
        .init(name: "originalOffset", sql: number("original.offset", digits: 18, type: "bigint")),
        .init(name: "valueBytes", sql: "octet_length(j.value)"),
        .init(name: "retries", sql: "(SELECT count(*) FROM audit.deadletter_retries r WHERE r.deadletter_position = j.position)"),
        .init(name: "lastRetriedAt", sql: "(SELECT max(r.retried_at) FROM audit.deadletter_retries r WHERE r.deadletter_position = j.position)"),
    ]

    static let deadLetterList = ListSpec(
        from: "audit.journal j", fixed: ["j.subject IS NULL"], columns: columns, key: "j.position",
        filters: [
            .equals("topic", header("original.topic")), .equals("code", header("error.code")),
            .onOrAfter("committedFrom", utcDay), .onOrBefore("committedTo", utcDay),
            .flag("retried", retried), .contains("q", "coalesce(\(header("error.message")), '')"),
        ],
        integerKey: true)

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAuditor()
        if ListSpec.wantsCSV(request) { return try await Self.deadLetterList.csv(request, database: database, logger: context.logger) }
        let page = try await Self.deadLetterList.page(request, database: database)
        return ReadController.raw("{\"deadLetters\":\(page.rows),\"next\":\(ListSpec.nextJSON(page.next))}")
    }

    @Sendable func detail(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAuditor()
        let id = try Self.id(context)
        let summary = "json_build_object(" + Self.columns.map { "'\($0.name)', \($0.sql)" }.joined(separator: ", ") + ")::text"
        let rows = try await database.query(
            """
            SELECT \(unescaped: summary), j.value, j.headers::text,
                   (SELECT coalesce(json_agg(json_build_object('retriedAt', r.retried_at, 'retriedBy', r.retried_by, 'corrected', r.corrected,
                                                               'inboundTopic', r.inbound_topic, 'inboundPartition', r.inbound_partition,
                                                               'inboundOffset', r.inbound_offset) ORDER BY r.retried_at), '[]')::text
                    FROM audit.deadletter_retries r WHERE r.deadletter_position = j.position)
            FROM audit.journal j WHERE j.position = \(id) AND j.subject IS NULL
            """)
        guard let row = rows.first else {
            throw Problem(.notFound, code: "not-found", title: "Not Found", detail: "no dead letter \(id) in the log of record")
        }
        let decoder = JSONDecoder()
        var object = try decoder.decode(JSONValue.self, from: Data(try row.decode(String.self, at: 0).utf8)).objectValue ?? [:]
        let pairs = (try? decoder.decode([[String?]].self, from: Data(try row.decode(String.self, at: 2).utf8))) ?? []
        let headers = pairs.compactMap { pair -> DeadLetterHeaderView? in
            guard pair.count == 2, let name = pair[0] else { return nil }
            return DeadLetterHeaderView(name: name, bytes: pair[1].flatMap { Data(base64Encoded: $0) }.map { Array($0) })
        }
        let binaryType = headers.last { $0.name == "ce_type" && $0.encoding == "text" }?.value
        let payload = DeadLetterPayload(try row.decode([UInt8].self, at: 1), headerType: binaryType)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) throws -> JSONValue { try decoder.decode(JSONValue.self, from: try encoder.encode(value)) }
        object["headers"] = try json(headers)
        object["payload"] = try json(payload)
        object["retryHistory"] = try decoder.decode(JSONValue.self, from: Data(try row.decode(String.self, at: 3).utf8))
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(JSONValue.object(object)))))
    }
}
