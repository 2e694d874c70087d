import ChanceryPostgres
import Hummingbird
import Logging

/// Turns every error escaping a route into RFC 9457 problem+json: ``Problem`` as is, Hummingbird's
/// `HTTPError` (404 for unknown routes, 413 for oversized bodies …) by its status, PostgreSQL unreachable or restarting
/// (``PostgresError/isTransient``) as 503 `unavailable` with `Retry-After`, anything else as 500.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let code = error.status.code == 404 ? "not-found" : error.status.code == 413 ? "payload-too-large" : "http-\(error.status.code)"
            return try Problem(error.status, code: code, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch let error as PostgresError where error.isTransient {
            context.logger.warning("PostgreSQL unavailable: \(error)")
            return try Problem(.serviceUnavailable, code: "unavailable", title: "Service Unavailable",
                               detail: "PostgreSQL is unavailable; nothing was changed; retry shortly")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error: \(error)")
            return try Problem(.internalServerError, code: "internal-error", title: "Internal Server Error", detail: "the server failed; the error was logged")
                .response(from: request, context: context)
        }
    }
}
