import ChanceryDomain
import ChanceryGateway
import ChanceryPortal
import ChanceryPostgres
import ChanceryReports
import Hummingbird
import Logging
import Prometheus

/// Builds Chancery's HTTP application: the events door (when a gateway runs in this process), the read
/// API, health and metrics, all errors as problem+json, JSON answers with an `ETag` (``ETagMiddleware``), and the
/// public portal's HTML pages under `/portal`.
///
/// - Parameters:
///   - host: address to bind, e.g. `127.0.0.1`.
///   - port: TCP port.
///   - appender: the gateway (or another appender); nil serves reads only.
///   - resolver: resolves bearer tokens to principals (access control on every non-public route).
///   - efficiencyFormula: the formula of `/v1/metrics/ranking` and of the circular's grades.
///   - reportSupplements: the annual report supplements (`--report-supplements`), read at start.
///   - mounts: routes of other modules (the dashboard under `/dashboard`), added after the API's.
///   - deadLetterRetrier: sends dead letters again (`POST /v1/dead-letters/{id}/retry`); nil leaves that route out.
public func buildApplication(
    host: String, port: Int, database: PostgresClient, gateway: Gateway?, appender: (any EventAppender)?,
    registry: PrometheusCollectorRegistry, resolver: any PrincipalResolver, efficiencyFormula: EfficiencyFormula = EfficiencyFormula(),
    health: (any HealthReporter)? = nil, faults: (any BrokerFaultInjector)? = nil,
    reportSupplements: AnnualReportSupplements = AnnualReportSupplements(), mounts: [any RouteMount] = [],
    deadLetterRetrier: DeadLetterRetrier? = nil, logger: Logger
) -> some ApplicationProtocol {
    let router = buildRouter(database: database, gateway: gateway, appender: appender, registry: registry, resolver: resolver,
                             efficiencyFormula: efficiencyFormula, health: health, faults: faults, reportSupplements: reportSupplements,
                             mounts: mounts, deadLetterRetrier: deadLetterRetrier)
    return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "chancery"), logger: logger)
}

/// The router alone (tests drive it with `app.test(.router)`).
public func buildRouter(
    database: PostgresClient, gateway: Gateway?, appender: (any EventAppender)?, registry: PrometheusCollectorRegistry,
    resolver: any PrincipalResolver, efficiencyFormula: EfficiencyFormula = EfficiencyFormula(), health: (any HealthReporter)? = nil,
    faults: (any BrokerFaultInjector)? = nil, reportSupplements: AnnualReportSupplements = AnnualReportSupplements(),
    mounts: [any RouteMount] = [], deadLetterRetrier: DeadLetterRetrier? = nil
) -> Router<ChanceryRequestContext> {
    let router = Router(context: ChanceryRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BearerTokenAuthenticator(resolver: resolver))
    router.add(middleware: ETagMiddleware())
    HealthController(database: database, gateway: gateway, registry: registry, reporter: health).addRoutes(to: router)
    let v1 = router.group("v1")
    if let appender {
        EventsController(appender: appender).addRoutes(to: v1)
    }
    // The read API and the metrics also read a replay's read models (`?replay=NAME`, ``ReplaySchemaMiddleware``).
    let readable = v1.group().add(middleware: ReplaySchemaMiddleware(database: database))
    ReadController(database: database).addRoutes(to: readable)
    DisclosureRequestsController(database: database).addRoutes(to: readable)
    AlertsController(database: database).addRoutes(to: readable)
    CatchUpController(database: database).addRoutes(to: v1)
    AuditController(database: database).addRoutes(to: v1)
    MetricsController(database: database, formula: efficiencyFormula).addRoutes(to: readable)
    StreamsController(database: database).addRoutes(to: v1)
    DeadLettersController(database: database, retrier: deadLetterRetrier).addRoutes(to: v1)
    if let faults { FaultsController(injector: faults).addRoutes(to: v1) }
    ReportsController(database: database, supplements: reportSupplements).addRoutes(to: v1)
    ReportPagesController(database: database, formula: efficiencyFormula, supplements: reportSupplements).addRoutes(to: router)
    for mount in mounts { mount.addRoutes(to: router) }
    // The public portal (issue 13): no token; its forms append through the same appender as the events door.
    do {
        try Portal<ChanceryRequestContext>(database: database, appender: appender).addRoutes(to: router)
    } catch {
        fatalError("the public portal cannot start: \(error)")
    }
    // Last, with every route known: a served path asked with another method is 405 with Allow, not 404.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { (path: $0.path.description, method: $0.method) }))
    return router
}
