import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Path parameters, percent-decoded (RFC 3986 §2.1).
///
/// Hummingbird's router matches the raw path, so `context.parameters` holds each segment as sent: a case number
/// `16-006557-580` sent as `16%2D006557%2D580`, a number with a slash sent as `%2F`, or a Chinese one sent as UTF-8
/// percent-escapes, must be decoded before it is looked up.
enum PathParameter {
    /// The decoded value of the path parameter `name`.
    /// - Throws: 400 `invalid-parameter` naming the parameter when it is not valid percent-encoding of UTF-8, holds NUL,
    ///   or has more than ``StorageLimits/maxIdentifierBytes`` bytes.
    static func decoded(_ name: String, in context: some RequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        guard let value = raw.removingPercentEncoding else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "the path parameter \(name) is not valid percent-encoded UTF-8: '\(raw.prefix(100))'")
        }
        guard !value.utf8.contains(0), value.utf8.count <= StorageLimits.maxIdentifierBytes else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "the path parameter \(name) must have at most \(StorageLimits.maxIdentifierBytes) bytes of UTF-8 and no NUL")
        }
        return value
    }
}
