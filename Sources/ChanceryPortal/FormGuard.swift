import Crypto
import Foundation

/// The abuse and forgery defences of the portal's forms (issue 13): CSRF tokens, a honeypot field and a per-address
/// rate limit. Server-side validation of the fields is ``SubmissionForm``'s.
///
/// CSRF: a signed double-submit cookie. A form page sets the cookie `portal_csrf` (32 random hex characters,
/// `HttpOnly`, `SameSite=Strict`, `Path=/portal`) when the browser has none, and puts
/// hex(HMAC-SHA256(key, cookie)) in the hidden field `csrf`; a submission is accepted only when the field matches the
/// cookie it came with. Another site can neither read the cookie nor compute the field. The key is random per
/// process: a form opened before a restart is refused once and shown again with a fresh token and the input kept.
struct FormGuard: Sendable {
    /// The name of the CSRF cookie.
    static let cookieName = "portal_csrf"
    /// The hidden field that must stay empty (a bot fills every field); its label tells people to leave it empty.
    static let honeypotField = "website"

    /// The HMAC key: 32 random bytes (kept as bytes: `SymmetricKey` is not `Sendable`).
    let key: [UInt8]
    let limiter: RateLimiter

    init(limiter: RateLimiter = RateLimiter(limit: 5, window: 600)) {
        var rng = SystemRandomNumberGenerator()
        self.key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        self.limiter = limiter
    }

    /// A new random cookie value (128 bits, hex).
    static func newCookie() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    /// The CSRF field value for `cookie`.
    func token(for cookie: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(cookie.utf8), using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `field` is the token of `cookie` (compared in constant time).
    func verify(field: String?, cookie: String?) -> Bool {
        guard let field, let cookie, cookie.utf8.count == 32 else { return false }
        let expected = Array(token(for: cookie).utf8), given = Array(field.utf8)
        guard expected.count == given.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<expected.count { diff |= expected[i] ^ given[i] }
        return diff == 0
    }

    /// The `portal_csrf` value of a `Cookie` header, if any.
    static func cookie(in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == cookieName, pair[1].utf8.count == 32, pair[1].allSatisfy(\.isHexDigit) {
                return pair[1]
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that stores `cookie`.
    static func setCookie(_ cookie: String) -> String {
        "\(cookieName)=\(cookie); Path=/portal; HttpOnly; SameSite=Strict"
    }
}

/// A sliding-window rate limit per client address: at most `limit` events in `window` seconds. In memory, per
/// process; the oldest addresses are forgotten past 10,000 so that the table stays bounded.
actor RateLimiter {
    let limit: Int
    let window: TimeInterval
    private var seen: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records one event of `address` at `now` and says whether it is within the limit (a refused one is not counted).
    func allow(_ address: String, now: Date = Date()) -> Bool {
        var times = (seen[address] ?? []).filter { now.timeIntervalSince($0) < window }
        guard times.count < limit else {
            seen[address] = times
            return false
        }
        times.append(now)
        if seen.count >= 10_000, seen[address] == nil {
            seen = seen.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
            if seen.count >= 10_000 { seen.removeAll() }
        }
        seen[address] = times
        return true
    }
}
