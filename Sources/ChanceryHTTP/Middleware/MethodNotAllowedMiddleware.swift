import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// 405 Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6) for a path the router serves with other methods,
/// instead of Hummingbird's 404: `DELETE /v1/items` is 405 `method-not-allowed` with `Allow: GET`. Paths the router
/// does not serve stay 404.
///
/// Added last in ``buildRouter(database:gateway:appender:registry:resolver:efficiencyFormula:health:faults:)`` with the
/// router's own routes: the router puts every middleware in front of its not-found responder, which is where a request
/// whose path matches but whose method does not ends up.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each route's path components (`v1`, `cases`, `{region}`, `**`) and its method.
    let routes: [(components: [Substring], method: HTTPRequest.Method)]

    /// - Parameter routes: the router's routes (`Router.routes`).
    public init(routes: [(path: String, method: HTTPRequest.Method)]) {
        self.routes = routes.map { ($0.path.split(separator: "/"), $0.method) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(path: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            var response = try Problem(.methodNotAllowed, code: "method-not-allowed", title: "Method Not Allowed",
                                       detail: "\(request.method.rawValue) is not served at \(request.uri.path); use \(allow)")
                .response(from: request, context: context)
            response.headers[.allow] = allow
            return response
        }
    }

    /// The methods of the routes whose path pattern matches `path` (`{name}` or `:name` one segment, `**` the rest).
    func allowedMethods(path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/")
        var out: Set<HTTPRequest.Method> = []
        for route in routes where Self.matches(route.components, segments) {
            out.insert(route.method)
        }
        return out
    }

    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        for (i, component) in pattern.enumerated() {
            if component == "**" { return segments.count > i }
            guard i < segments.count else { return false }
            if component.hasPrefix(":") || component.hasPrefix("{") || component == "*" { continue }  // a capture: `{name}` (or `:name`)
            if component != segments[i] { return false }
        }
        return pattern.count == segments.count
    }
}
