import ChanceryPostgres
import ChanceryProjections
import Hummingbird

/// The `replay` query parameter of the read API and the metrics (`GET /v1/cases?replay=june30`): the answer is read
/// from the read models of the finished replay `june30` (`chancery replay --into june30`, schemas `june30__approval`,
/// `june30__audit` …) instead of the live ones, by binding the replay's ``PostgresSchemaRoute`` around the handler and
/// around the writing of a streamed body (CSV). Without the parameter nothing changes.
///
/// A malformed name is 400 problem+json `/problems/invalid-parameter` naming `replay`; a well-formed name of no finished
/// replay is 404 `/problems/not-found` (the replay is a resource that does not exist) once the handler has checked the
/// request's token and parameters (so a missing token is still 401); the name never reaches SQL except as a parameter (the lookup) and as a quoted identifier of a recorded
/// build.
public struct ReplaySchemaMiddleware<Context: RequestContext>: RouterMiddleware {
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let name = request.uri.queryParameters["replay"].map(String.init) else { return try await next(request, context) }
        let namespace: ReadModelNamespace
        do {
            namespace = try await ReadModelBuilds.readable(name, database: database)
        } catch let error as ReadModelNamespace.InvalidName {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter",
                          detail: "replay must name a finished replay (chancery replay --into NAME): \(error.reason)")
        } catch let error as ReadModelBuilds.BuildError {
            let missing = Problem(.notFound, code: "not-found", title: "Not Found", detail: "replay: \(error.description)")
            // The handler still checks the request first (a token it needs: 401/403; its parameters: 400), as for any
            // other resource; it runs against the replay's schemas, which do not exist, so it can serve nothing.
            guard let absent = try? ReadModelNamespace(name).route else { throw missing }
            do {
                _ = try await PostgresSchemaRoute.$current.withValue(absent) { try await next(request, context) }
            } catch let refusal as Problem where (400..<500).contains(refusal.status.code) {
                throw refusal
            } catch {}
            throw missing
        }
        let route = namespace.route
        var response = try await PostgresSchemaRoute.$current.withValue(route) { try await next(request, context) }
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await PostgresSchemaRoute.$current.withValue(route) { try await body.write(writer) }
        }
        return response
    }
}
