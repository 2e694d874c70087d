import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation

/// Tokens from `auth.tokens`, plus any configured by file, with a short cache so a busy door does not
/// query PostgreSQL per request. A revocation takes effect within `cacheSeconds`.
public final class PostgresTokenStore: PrincipalResolver, Sendable {
    /// A token as configured in a tokens file: `[{"id", "secretSha256", "role", "sources", "regions"}]`.
    public struct ConfiguredToken: Codable, Sendable {
        public var id: String
        public var secretSha256: String
        public var role: Principal.Role
        public var sources: [String]?
        public var regions: [String]?
    }

    private let database: PostgresClient
    private let configured: [String: ConfiguredToken]
    private let cacheSeconds: Double
    private let cache = NSLockedDictionary()

    /// - Parameters:
    ///   - tokensFile: optional JSON file of ``ConfiguredToken``s (secrets stored hashed there too).
    /// - Throws: when the file cannot be read or decoded.
    public init(database: PostgresClient, tokensFile: String? = nil, cacheSeconds: Double = 10) throws {
        self.database = database
        self.cacheSeconds = cacheSeconds
        if let tokensFile {
            let tokens = try JSONDecoder().decode([ConfiguredToken].self, from: Data(contentsOf: URL(fileURLWithPath: tokensFile)))
            configured = Dictionary(tokens.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        } else {
            configured = [:]
        }
    }

    public func principal(forBearer bearer: String) async throws -> Principal? {
        guard let token = AccessToken(bearer) else { return nil }
        if let c = configured[token.id] {
            guard AccessToken.digestsEqual(c.secretSha256, token.secretDigest) else { return nil }
            return Principal(tokenID: c.id, role: c.role, sources: c.sources ?? [], regions: c.regions ?? [])
        }
        let now = Date()
        let entry: NSLockedDictionary.Entry
        if let cached = cache.get(token.id), now.timeIntervalSince(cached.loadedAt) < cacheSeconds {
            entry = cached
        } else {
            let rows = try await database.query(
                "SELECT secret_sha256, role, sources, regions FROM auth.tokens WHERE id = \(token.id) AND revoked_at IS NULL")
            if let r = rows.first, let role = Principal.Role(rawValue: try r.decode(String.self, at: 1)) {
                entry = .init(digest: try r.decode(String.self, at: 0),
                              principal: Principal(tokenID: token.id, role: role, sources: try r.decode([String].self, at: 2), regions: try r.decode([String].self, at: 3)),
                              loadedAt: now)
            } else {
                entry = .init(digest: nil, principal: nil, loadedAt: now)
            }
            cache.set(token.id, entry)
        }
        guard let digest = entry.digest, AccessToken.digestsEqual(digest, token.secretDigest) else { return nil }
        return entry.principal
    }

    /// Stores a new token and returns it (its text is shown once; only its digest is kept).
    public static func add(role: Principal.Role, sources: [String], regions: [String], description: String?, database: PostgresClient) async throws -> AccessToken {
        let token = AccessToken.generate()
        try await database.execute(
            "INSERT INTO auth.tokens (id, secret_sha256, role, sources, regions, description) VALUES (\(token.id), \(token.secretDigest), \(role.rawValue), \(sources), \(regions), \(description))")
        return token
    }

    /// A lock-protected cache of token lookups.
    final class NSLockedDictionary: @unchecked Sendable {
        struct Entry: Sendable {
            var digest: String?
            var principal: Principal?
            var loadedAt: Date
        }
        private let lock = NSLock()
        private var entries: [String: Entry] = [:]
        func get(_ id: String) -> Entry? { lock.withLock { entries[id] } }
        func set(_ id: String, _ entry: Entry) { lock.withLock { entries[id] = entry } }
    }
}
