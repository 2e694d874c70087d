import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem details response (`application/problem+json`).
///
/// `type` is a relative URI `/problems/<code>` whose code matches the dead-letter `error.code` header;
/// `pointer` is the RFC 6901 JSON Pointer of the offending member of the request body.
public struct Problem: Error, HTTPResponseError, Sendable, Encodable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String
    public var pointer: String?

    /// - Parameters:
    ///   - code: stable problem code, e.g. `invalid-data`.
    public init(_ status: HTTPResponse.Status, code: String, title: String, detail: String, pointer: String? = nil) {
        self.type = "/problems/\(code)"
        self.title = title
        self.status = status
        self.detail = detail
        self.pointer = pointer
    }

    /// Seconds in the `Retry-After` header of every 503 problem.
    public static let retryAfterSeconds = 5

    enum CodingKeys: String, CodingKey { case type, title, status, detail, pointer }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(title, forKey: .title)
        try c.encode(status.code, forKey: .status)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(pointer, forKey: .pointer)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(self)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        // RFC 9110 §10.2.3: a 503 says when to try again.
        if status == .serviceUnavailable { headers[.retryAfter] = String(Problem.retryAfterSeconds) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
