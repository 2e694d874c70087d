import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A list endpoint of the read API over one read-model table: its columns, its sort key (the keyset of its paging),
/// its filters and its fixed conditions. ``page(_:database:)`` answers one JSON page, ``csv(_:database:logger:)`` the
/// whole filtered list as CSV.
///
/// Paging (keyset, never offsets): at most `limit` rows (1…500) whose sort key follows the cursor `after` (precedes it
/// for a ``descending`` list); `next` is the opaque cursor (``ListCursor``) of the following page, null when no row
/// follows.
struct ListSpec: Sendable {
    /// One output column: the JSON member (and CSV header) and its SQL expression.
    struct Column: Sendable {
        var name: String
        var sql: String
    }

    /// The table (or join) the rows come from.
    var from: String
    /// Conditions every row meets (e.g. `retired_at IS NULL`).
    var fixed: [String] = []
    /// The columns, in the order of the JSON members and the CSV fields.
    var columns: [Column]
    /// SQL expression of the sort key (text, unique); the cursor holds its value.
    var key: String
    /// The filters, by query parameter.
    var filters: [ListFilter]
    /// The page size without `limit`; nil: the whole list unless `limit` is given.
    var defaultLimit: Int? = 50
    /// Whether `key` is a whole number (a `bigint` expression, e.g. a journal position) rather than text: the cursor then
    /// holds its decimal digits (``ListCursor/integerKey``).
    var integerKey = false
    /// Newest first: rows in descending key order, a page holding the rows before the cursor.
    var descending = false
    /// Values bound as `$1`, `$2` … before any filter's, for SQL in `columns`, `fixed` or `from` that refers to them.
    var bound: [String] = []

    /// Most rows on one page.
    static let maxLimit = 500
    /// Rows fetched per query while streaming CSV.
    static let csvChunk = 1_000

    /// The request's filters, checked, as SQL conditions (with the fixed ones).
    func conditions(_ request: Request) throws -> SQLConditions {
        var conditions = SQLConditions()
        conditions.parameters = bound.map { $0 as (any PostgresEncodable)? }
        conditions.clauses = fixed
        let q = request.uri.queryParameters
        for filter in filters {
            try filter.apply(q[Substring(filter.name)], to: &conditions)
        }
        return conditions
    }

    /// The page size asked for (`limit`), or the default.
    /// - Throws: 400 `invalid-parameter` unless an integer from 1 to ``maxLimit``.
    func limit(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters["limit"] else { return defaultLimit }
        guard let n = Int(text), (1...Self.maxLimit).contains(n) else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "limit must be an integer from 1 to \(Self.maxLimit)")
        }
        return n
    }

    /// The cursor `after`, checked.
    func cursor(_ request: Request) throws -> ListCursor? {
        try request.uri.queryParameters["after"].map { try ListCursor(token: $0) }
    }

    /// `key > cursor` (`<` newest first), the cursor bound as the next parameter of `conditions`.
    private func afterClause(_ cursor: ListCursor, _ conditions: inout SQLConditions) -> String {
        let value: any PostgresEncodable = integerKey ? cursor.integerKey : cursor.key
        return "\(key) \(descending ? "<" : ">") \(conditions.placeholder(value))"
    }

    /// `ORDER BY key` in the list's direction. The key's text is selected `AS list_sort_key`: left unnamed, it would be
    /// an output column named like a bare key column (`tree_size`), which `ORDER BY` takes first, sorting numbers as text.
    private var order: String { "ORDER BY \(key)\(descending ? " DESC" : "")" }

    /// The rows after `cursor` (at most `limit`; all without), as JSON object texts with their sort keys.
    func rows(_ conditions: SQLConditions, after cursor: ListCursor?, limit: Int?, database: PostgresClient) async throws -> [(json: String, key: String)] {
        try await query(conditions, after: cursor, limit: limit, database: database,
                        select: "json_build_object(" + columns.map { "'\($0.name)', \($0.sql)" }.joined(separator: ", ") + ")::text")
    }

    /// The CSV fields of the rows after `cursor` (at most `limit`), each column as the text of its JSON value (`to_json`;
    /// null for SQL NULL), with their sort keys.
    func csvRows(_ conditions: SQLConditions, after cursor: ListCursor?, limit: Int, database: PostgresClient) async throws -> [(fields: [String?], key: String)] {
        let select = columns.map { "to_json(\($0.sql)) #>> '{}'" }.joined(separator: ", ")
        var c = conditions
        if let cursor { c.clauses.append(afterClause(cursor, &c)) }
        let sql = "SELECT \(select), (\(key))::text AS list_sort_key FROM \(from) \(c.whereClause) \(order) LIMIT \(c.placeholder(Int64(limit)))"
        return try await database.query(PostgresQuery(unsafeSQL: sql, binds: c.parameters)).map { row in
            (try (0..<columns.count).map { try row.decode(String?.self, at: $0) }, try row.decode(String.self, at: columns.count))
        }
    }

    private func query(_ conditions: SQLConditions, after cursor: ListCursor?, limit: Int?, database: PostgresClient,
                       select: String) async throws -> [(json: String, key: String)] {
        var c = conditions
        if let cursor { c.clauses.append(afterClause(cursor, &c)) }
        var sql = "SELECT \(select), (\(key))::text AS list_sort_key FROM \(from) \(c.whereClause) \(order)"
        if let limit { sql += " LIMIT \(c.placeholder(Int64(limit)))" }
        return try await database.query(PostgresQuery(unsafeSQL: sql, binds: c.parameters)).map { row in
            (try row.decode(String.self, at: 0), try row.decode(String.self, at: 1))
        }
    }

    /// One page: the rows as a JSON array text and the cursor of the next page (nil on the last).
    func page(_ request: Request, database: PostgresClient) async throws -> (rows: String, next: ListCursor?) {
        let conditions = try conditions(request)
        let limit = try limit(request)
        let cursor = try cursor(request)
        // One row more than the page tells whether another page follows.
        let rows = try await rows(conditions, after: cursor, limit: limit.map { $0 + 1 }, database: database)
        let shown = limit.map { Array(rows.prefix($0)) } ?? rows
        let next = (limit.map { rows.count > $0 } ?? false) ? shown.last.map { ListCursor(key: $0.key) } : nil
        return ("[" + shown.map(\.json).joined(separator: ",") + "]", next)
    }

    /// `"<token>"` or `null`.
    static func nextJSON(_ next: ListCursor?) -> String {
        next.map { "\"\($0.token)\"" } ?? "null"
    }

    /// The whole filtered list as RFC 4180 CSV (``CSVText``), streamed in chunks of ``csvChunk`` rows read by keyset;
    /// `limit` and `after` do not apply. The filters are checked and the first chunk read before the answer starts, so
    /// a bad parameter is still a 400 problem; a failure later ends the body early (the error is logged).
    func csv(_ request: Request, database: PostgresClient, logger: Logger) async throws -> Response {
        let conditions = try conditions(request)
        let first = try await csvRows(conditions, after: nil, limit: Self.csvChunk, database: database)
        let spec = self
        let path = request.uri.path
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: CSVText.record(spec.columns.map(\.name))))
            var chunk = first
            while true {
                var text = ""
                for row in chunk { text += CSVText.record(row.fields.map { $0 ?? "" }) }
                if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                guard chunk.count == Self.csvChunk, let last = chunk.last else { break }
                do {
                    chunk = try await spec.csvRows(conditions, after: ListCursor(key: last.key), limit: Self.csvChunk, database: database)
                } catch {
                    logger.error("CSV export of \(path) ended early: \(error)")
                    throw error
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: CSVText.contentType, .contentDisposition: "inline"], body: body)
    }

    /// Whether the client asks for CSV: an `Accept` media range `text/csv` (parameters ignored) without `q=0`.
    static func wantsCSV(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.split(separator: ",").contains { range in
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "text/csv" else { return false }
            return !parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "").hasPrefix("q=0") && !$0.contains(where: { "123456789".contains($0) }) }
        }
    }
}
