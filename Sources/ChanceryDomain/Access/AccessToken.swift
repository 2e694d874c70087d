/// A bearer token: `chancery_<id>.<secret>`. Only the SHA-256 of the secret is stored.
public struct AccessToken: Sendable, Hashable {
    public var id: String
    public var secret: String

    /// The token as given to its holder.
    public var text: String { "chancery_\(id).\(secret)" }

    /// Parses `chancery_<id>.<secret>`; nil for another shape.
    public init?(_ text: String) {
        guard text.hasPrefix("chancery_"), let dot = text.firstIndex(of: ".") else { return nil }
        let id = String(text[text.index(text.startIndex, offsetBy: 9)..<dot])
        let secret = String(text[text.index(after: dot)...])
        guard !id.isEmpty, secret.utf8.count >= 16, id.utf8.allSatisfy({ Self.isTokenCharacter($0) }),
              secret.utf8.allSatisfy({ Self.isTokenCharacter($0) }) else { return nil }
        self.id = id
        self.secret = secret
    }

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// A new token with a 12-character id and a 40-character secret from the system's random source.
    public static func generate() -> AccessToken {
        var rng = SystemRandomNumberGenerator()
        return AccessToken(id: random(12, using: &rng), secret: random(40, using: &rng))
    }

    /// Hex SHA-256 of the secret: what is stored.
    public var secretDigest: String { Digest.sha256Hex(Array(secret.utf8)) }

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static func random(_ count: Int, using rng: inout SystemRandomNumberGenerator) -> String {
        String(decoding: (0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }, as: UTF8.self)
    }

    static func isTokenCharacter(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }

    /// Compares two digests in time independent of where they differ.
    public static func digestsEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
