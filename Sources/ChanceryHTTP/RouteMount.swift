import Hummingbird

/// A set of routes another module adds to Chancery's router (the dashboard, the reports pages), so the HTTP
/// application can mount them without depending on those modules. Routes see the same middleware as the API:
/// problem+json errors and authentication (bearer token, or the dashboard cookie under `/dashboard`).
public protocol RouteMount: Sendable {
    /// Adds this module's routes to `router`.
    func addRoutes(to router: Router<ChanceryRequestContext>)
}
