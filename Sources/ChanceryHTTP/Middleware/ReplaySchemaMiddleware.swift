import ChanceryPostgres
import ChanceryProjections
import Hummingbird

/// The `replay` query parameter of the read API and the metrics (`GET /v1/cases?replay=june30`): the answer is read
/// from the read models of the finished replay `june30` (`chancery replay --into june30`, schemas `june30__approval`,
/// `june30__audit` …) instead of the live ones, by binding the replay's ``PostgresSchemaRoute`` around the handler and
/// around the writing of a streamed body (CSV). Without the parameter nothing changes.
///
/// A name that is malformed or names no finished replay is 400 problem+json `/problems/invalid-parameter` naming
/// `replay`; the name never reaches SQL except as a parameter (the lookup) and as a quoted identifier of a recorded
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
            throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "replay: \(error.description)")
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
