/// Who is calling, as established from a bearer token (issue "The integrators' contract", access control).
public struct Principal: Sendable, Hashable, Codable {
    /// What a principal may do.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// A department system, the portal or a legacy loader: publishes events for its granted sources and regions.
        case integrator
        /// Queries projections (cases, metrics).
        case analyst
        /// Reads history and verifies the log.
        case auditor
        /// Everything, including publishing for any source.
        case admin
    }

    /// The token id (not the secret).
    public var tokenID: String
    public var role: Role
    /// `source` prefixes an integrator may publish for, e.g. `/430424/departments/planning`; a prefix matches
    /// the source itself and anything below it (`/430424/departments` grants `/430424/departments/planning`).
    public var sources: [String]
    /// Region codes an integrator may publish for; `*` grants every region.
    public var regions: [String]

    public init(tokenID: String, role: Role, sources: [String] = [], regions: [String] = []) {
        self.tokenID = tokenID
        self.role = role
        self.sources = sources
        self.regions = regions
    }

    /// Whether this principal may read analyst endpoints (cases, metrics).
    public var mayAnalyse: Bool { role != .integrator }

    /// Why this principal may not publish `event`, or nil when it may.
    /// - Returns: an ``EventRejection`` with code `forbidden` and pointer `/source` or `/region`.
    public func refusal(toPublish event: CloudEvent) -> EventRejection? {
        if role == .admin { return nil }
        guard role == .integrator else {
            return EventRejection(code: "forbidden", pointer: "", message: "a token with role \(role.rawValue) may not publish events")
        }
        guard sources.contains(where: { Self.source(event.source, isUnder: $0) }) else {
            return EventRejection(code: "forbidden", pointer: "/source", message: "token \(tokenID) may not publish for source \(event.source)")
        }
        guard regions.contains("*") || regions.contains(event.region) else {
            return EventRejection(code: "forbidden", pointer: "/region", message: "token \(tokenID) may not publish for region \(event.region)")
        }
        return nil
    }

    /// Whether `source` equals `prefix` or lies below it (path segments, not characters).
    static func source(_ source: String, isUnder prefix: String) -> Bool {
        if prefix == "/" { return source.hasPrefix("/") }
        let p = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return source == p || source.hasPrefix(p + "/")
    }
}
