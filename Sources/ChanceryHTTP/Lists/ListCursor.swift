import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The opaque keyset cursor of a paged list (`next` in an answer, `after` in the following request).
///
/// It holds the sort key of the last row of a page — one string per key column, e.g. the subject for cases and
/// documents, the region and the item code for items — as base64url (RFC 4648 §5, no padding) of a JSON array of
/// strings. Clients pass it back as it is; its content is not part of the contract and may change.
struct ListCursor: Sendable, Equatable {
    /// The key values of the last row, in the list's sort order.
    var keys: [String]

    /// The cursor as sent in `next`.
    var token: String {
        let data = (try? JSONEncoder().encode(keys)) ?? Data("[]".utf8)
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(keys: [String]) {
        self.keys = keys
    }

    /// Decodes `after`.
    /// - Parameter count: how many key values the list's cursor holds.
    /// - Throws: a 400 `invalid-parameter` problem naming `parameter` when the text is not a cursor of this list.
    init(token text: Substring, count: Int, parameter: String = "after") throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard text.utf8.count <= 8192, text.utf8.allSatisfy({ $0 < 0x80 }), let data = Data(base64Encoded: base64),
              let keys = try? JSONDecoder().decode([String].self, from: data), keys.count == count,
              keys.allSatisfy({ !$0.utf8.contains(0) })
        else {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "\(parameter) must be the `next` of a previous page of this list, not '\(text.prefix(100))'")
        }
        self.keys = keys
    }
}
