import ChanceryDomain
import ChanceryGateway
import Hummingbird
import HummingbirdAuth

/// Resolves `Authorization: Bearer …` to a ``Principal``. No header: the request goes on anonymous
/// (public endpoints serve it; others answer 401). An unknown, malformed or revoked token: 401 at once.
public struct BearerTokenAuthenticator: AuthenticatorMiddleware {
    public typealias Context = ChanceryRequestContext
    public typealias Identity = Principal

    let resolver: any PrincipalResolver

    public init(resolver: any PrincipalResolver) {
        self.resolver = resolver
    }

    public func authenticate(request: Request, context: ChanceryRequestContext) async throws -> Principal? {
        guard let bearer = request.headers.bearer else { return nil }
        guard let principal = try await resolver.principal(forBearer: bearer.token) else {
            throw Problem(.unauthorized, code: "unauthorized", title: "Unauthorized", detail: "the bearer token is unknown, malformed or revoked")
        }
        return principal
    }
}
