import ChanceryDomain
import ChanceryGateway
import Hummingbird
import HummingbirdAuth

/// Resolves `Authorization: Bearer …` to a ``Principal``. No header: the request goes on anonymous
/// (public endpoints serve it; others answer 401). An unknown, malformed or revoked token: 401 at once.
///
/// Under ``DashboardSession/pathPrefix`` (`/dashboard`: the dashboard and its reports pages) a request without the
/// header may instead carry the token in the ``DashboardSession/cookieName`` cookie that `/dashboard/login` sets; an
/// unknown or revoked cookie leaves the request anonymous (the page sends the browser to the login form). The JSON API
/// (`/v1/…`) never reads the cookie, so a page elsewhere cannot spend it there.
public struct BearerTokenAuthenticator: AuthenticatorMiddleware {
    public typealias Context = ChanceryRequestContext
    public typealias Identity = Principal

    let resolver: any PrincipalResolver

    public init(resolver: any PrincipalResolver) {
        self.resolver = resolver
    }

    public func authenticate(request: Request, context: ChanceryRequestContext) async throws -> Principal? {
        guard let bearer = request.headers.bearer else {
            guard DashboardSession.covers(path: request.uri.path), let token = request.cookies[DashboardSession.cookieName]?.value,
                  !token.isEmpty else { return nil }
            return try? await resolver.principal(forBearer: token)
        }
        guard let principal = try await resolver.principal(forBearer: bearer.token) else {
            throw Problem(.unauthorized, code: "unauthorized", title: "Unauthorized", detail: "the bearer token is unknown, malformed or revoked")
        }
        return principal
    }
}

/// The dashboard's login session: the browser keeps the token it logged in with in an HttpOnly, SameSite=Strict cookie
/// (Secure when served over https), scoped to ``pathPrefix``.
public enum DashboardSession {
    /// The cookie's name.
    public static let cookieName = "chancery_dashboard"
    /// The paths where the cookie is accepted (and its `Path` attribute): the dashboard and `/dashboard/reports`.
    public static let pathPrefix = "/dashboard"

    /// Whether `path` lies under ``pathPrefix`` (the prefix itself or below it).
    public static func covers(path: String) -> Bool {
        path == pathPrefix || path.hasPrefix(pathPrefix + "/")
    }
}
