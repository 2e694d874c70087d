import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The opaque keyset cursor of a paged list (`next` in an answer, `after` in the following request).
///
/// It holds the sort key of the last row of a page (the subject for cases and documents, `item/<region>/<item code>`
/// for items) as base64url (RFC 4648 §5, no padding) of its UTF-8. Clients pass it back as they got it; its content is
/// not part of the contract. Any well-formed base64url text (`^([A-Za-z0-9_-]{4})*([A-Za-z0-9_-]{2,3})?$`, at most
/// ``maxLength`` characters) is a cursor: it names a place in the sort order, and the page holds the rows after it
/// (bytes that are not UTF-8 are read as U+FFFD, NUL is dropped), so only malformed text is refused.
struct ListCursor: Sendable, Equatable {
    /// The sort key of the last row.
    var key: String

    /// Most characters of a cursor.
    static let maxLength = 4096

    /// The key read as a whole number, for a list whose sort key is one (a journal position, a tree size, a sequence):
    /// the number its leading ASCII digits spell (at most 18 of them), 0 when it does not begin with a digit. A cursor this
    /// server made holds exactly the decimal digits of the last row's key; any other text still names a place in the order.
    var integerKey: Int64 {
        Int64(String(key.unicodeScalars.prefix { $0.value >= 48 && $0.value <= 57 }.prefix(18))) ?? 0
    }

    /// The cursor as sent in `next`.
    var token: String {
        Data(key.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(key: String) {
        self.key = key
    }

    /// Decodes `after`.
    /// - Throws: a 400 `invalid-parameter` problem naming `parameter` when the text is not base64url of a valid length.
    init(token text: Substring, parameter: String = "after") throws {
        guard let bytes = Self.decodeBase64URL(text) else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "\(parameter) must be the `next` of a previous page (base64url text of at most \(Self.maxLength) characters), not '\(text.prefix(100))'")
        }
        self.key = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\0", with: "")
    }

    /// The bytes of unpadded base64url text (RFC 4648 §5; the unused low bits of the last character are ignored), or
    /// nil for another character, a length of 4n + 1, an empty text or one over ``maxLength``.
    static func decodeBase64URL(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= maxLength, utf8.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for c in utf8 {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "_"): v = 63
            default: return nil
            }
            buffer = (buffer << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
