import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Entity tags for the JSON and plain-text answers of `GET` and `HEAD` requests (RFC 9110 §8.8.3, §13.1.2).
///
/// A 200 answer whose `Content-Type` is `application/json` or `text/plain` gets a strong `ETag`: the first 32 hex
/// digits of the SHA-256 of its body, quoted. A request whose `If-None-Match` lists that tag (weak comparison, RFC 9110
/// §8.8.3.2: a `W/` prefix is ignored) or is `*` is answered `304 Not Modified` with the `ETag` and no body. Streamed
/// CSV exports and problem answers carry no tag. The tag changes whenever the read models change what the answer
/// holds, so a client polling a list re-downloads it only when it changed.
public struct ETagMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard request.method == .get || request.method == .head, response.status == .ok,
              let type = response.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(),
              type == "application/json" || type == "text/plain"
        else { return response }
        let box = CollectedBody()
        try await response.body.write(BodyCollector(box: box))
        let tag = "\"" + Digest.sha256Hex(Array(box.buffer.readableBytesView)).prefix(32) + "\""
        var headers = response.headers
        headers[.eTag] = tag
        if let condition = request.headers[.ifNoneMatch], Self.matches(condition, tag) {
            var notModified = HTTPFields()
            notModified[.eTag] = tag
            return Response(status: .notModified, headers: notModified, body: ResponseBody())
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: box.buffer))
    }

    /// Whether the `If-None-Match` field value lists `tag` or is `*` (weak comparison).
    static func matches(_ condition: String, _ tag: String) -> Bool {
        let listed = condition.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return listed.contains("*") || listed.contains { ($0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0) == tag }
    }
}

/// The bytes of a response body, gathered by ``BodyCollector``.
final class CollectedBody: @unchecked Sendable {
    // Written by one task only: the one that runs the middleware and awaits the body's writing.
    var buffer = ByteBuffer()
}

/// A ``ResponseBodyWriter`` that gathers the body into memory.
struct BodyCollector: ResponseBodyWriter {
    let box: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        box.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
