import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/streams/{subject}?after=&limit=`: a stream's whole history from the log of record (`audit.journal`), for
/// auditors (auditor or admin token).
///
/// `subject` is the stream id, `<kind>/<region>/<number>`, percent-encoded as a whole (`case%2F430424%2F…`) or with its
/// slashes left as they are (`case/430424/…`); the number may hold any characters, slashes and Chinese included. The
/// answer (200, `application/json`) lists the events in sequence order with their place in the log (topic, partition,
/// offset once projected, journal position), sequence, times, prevhash, hash and `linkOK` — the stored bytes hash to the
/// hash they carry, the journal's columns agree, and prevhash names the previous event's hash — with `problems` saying
/// why a link fails, `data` as appended and, when an upcaster changes it, `upcastData` and `upcastDataschema` beside it
/// (``StreamHistoryEvent``). Paging: `limit` 1…10,000 (default 1,000) events after sequence `after` (default 0); `next`
/// is the `after` of the next page, null on the last.
///
/// Errors (problem+json): 400 `invalid-subject` (not a stream id, or bad percent-encoding) or `invalid-parameter`,
/// 401 without a token, 403 for a token that is neither auditor nor admin, 404 `not-found` for a stream the log does not
/// hold.
public struct StreamsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        // A catch-all: a subject's number may contain slashes, sent encoded (%2F, one path component) or not.
        group.get("streams/**", use: history)
    }

    /// The subject in a request path `…/v1/streams/<subject>`, percent-decoded.
    static func subject(inPath path: String) throws -> String {
        let marker = "/v1/streams/"
        guard let range = path.range(of: marker) else {
            throw Problem(.badRequest, code: "invalid-subject", title: "Invalid subject", detail: "the path names no stream")
        }
        let raw = String(path[range.upperBound...])
        guard let subject = raw.removingPercentEncoding else {
            throw Problem(.badRequest, code: "invalid-subject", title: "Invalid subject", detail: "the stream id is not validly percent-encoded")
        }
        guard StreamID(subject) != nil, !subject.utf8.contains(0), subject.utf8.count <= StorageLimits.maxIdentifierBytes else {
            throw Problem(.badRequest, code: "invalid-subject", title: "Invalid subject",
                          detail: "'\(subject)' is not a stream id <kind>/<region>/<number> (region: six or seven digits)")
        }
        return subject
    }

    @Sendable func history(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAuditor()
        let subject = try Self.subject(inPath: request.uri.path)
        let q = request.uri.queryParameters
        var after: Int64 = 0
        if let text = q["after"] {
            guard let n = Int64(text), n >= 0 else {
                throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "after must be a sequence, 0 or more")
            }
            after = n
        }
        var limit = 1_000
        if let text = q["limit"] {
            guard let n = Int(text), (1...StreamHistory.maxLimit).contains(n) else {
                throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "limit must be an integer from 1 to \(StreamHistory.maxLimit)")
            }
            limit = n
        }
        guard let page = try await StreamHistory.read(subject: subject, after: after, limit: limit, database: database) else {
            throw Problem(.notFound, code: "not-found", title: "Not Found", detail: "the log of record holds no stream \(subject)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(page))))
    }
}
