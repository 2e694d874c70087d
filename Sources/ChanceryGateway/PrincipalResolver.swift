import ChanceryDomain

/// Resolves a bearer token to the principal it stands for.
public protocol PrincipalResolver: Sendable {
    /// The principal of `bearer` (the token text after `Bearer `), or nil when the token is unknown,
    /// malformed or revoked.
    func principal(forBearer bearer: String) async throws -> Principal?
}
