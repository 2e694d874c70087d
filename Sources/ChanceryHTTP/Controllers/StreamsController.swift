import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/streams/{subject}?type=&timeFrom=&timeTo=&recordedFrom=&recordedTo=&limit=&after=`: a stream's whole history from the log of record (`audit.journal`), for
/// auditors (auditor or admin token).
///
/// `subject` is the stream id, `<kind>/<region>/<number>`, percent-encoded as a whole (`case%2F430424%2F…`) or with its
/// slashes left as they are (`case/430424/…`); the number may hold any characters, slashes and Chinese included. The
/// answer (200, `application/json`) lists the events in sequence order with their place in the log (topic, partition,
/// offset once projected, journal position), sequence, times, prevhash, hash and `linkOK` — the stored bytes hash to the
/// hash they carry, the journal's columns agree, and prevhash names the previous event's hash — with `problems` saying
/// why a link fails, `data` as appended and, when an upcaster changes it, `upcastData` and `upcastDataschema` beside it
/// (``StreamHistoryEvent``). The list contract of the read API (``StreamHistoryQuery``): keyset paging by sequence —
/// `limit` 1…10,000 (default 1,000) events after the opaque cursor `after` (a sequence in decimal is also taken), `next`
/// the cursor of the following page, null on the last; filters `type`, `timeFrom`/`timeTo` (business time) and
/// `recordedFrom`/`recordedTo` (days in the region's time zone); `Accept: text/csv` for the whole filtered history
/// (the columns of ``StreamHistoryEvent/csvHeader``); an `ETag` on every JSON page (``ETagMiddleware``).
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

    /// A page of the history as JSON: `{"subject", "events", "next": <cursor>|null}`.
    struct Page: Encodable {
        var subject: String
        var events: [StreamHistoryEvent]
        var next: String?
        enum CodingKeys: String, CodingKey { case subject, events, next }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(subject, forKey: .subject)
            try c.encode(events, forKey: .events)
            try c.encode(next, forKey: .next)  // null on the last page
        }
    }

    @Sendable func history(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAuditor()
        let subject = try Self.subject(inPath: request.uri.path)
        let query = try StreamHistoryQuery(request, region: StreamID(subject)?.region ?? "")
        let notFound = Problem(.notFound, code: "not-found", title: "Not Found", detail: "the log of record holds no stream \(subject)")
        if ListSpec.wantsCSV(request) {
            // The whole filtered history (limit and after of the page do not apply), read before the answer starts.
            var whole = query
            whole.after = 0
            guard let all = try await whole.events(subject: subject, limit: nil, database: database) else { throw notFound }
            var text = CSVText.record(StreamHistoryEvent.csvHeader)
            for event in all.events { text += CSVText.record(event.csvFields) }
            return Response(status: .ok, headers: [.contentType: CSVText.contentType, .contentDisposition: "inline"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        guard let page = try await query.events(subject: subject, limit: query.limit, database: database) else { throw notFound }
        let next = page.more ? page.events.last?.sequence.map { ListCursor(key: String($0)).token } : nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(Page(subject: subject, events: page.events, next: next)))))
    }
}
