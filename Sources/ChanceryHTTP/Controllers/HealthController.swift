import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// The health of one role of the process, as `GET /health` lists it.
public struct RoleHealth: Sendable, Encodable, Equatable {
    /// `gateway`, `projector`, `supervisor` or `inbound door`.
    public var role: String
    /// `starting`, `running`, `failing`, `stopped`, `restoring`, `ready`, `closed` or `publishing-stalled`.
    public var state: String
    /// Whether the role does its work now (false makes `/health` answer 503).
    public var healthy: Bool
    /// Why it is not healthy, or the last error.
    public var detail: String?
    /// The consumer group of a consuming role.
    public var group: String?
    /// Records not yet consumed, summed over the partitions.
    public var lagRecords: Int64?
    /// How far behind the consumer is, in seconds of log time (0 when caught up).
    public var lagSeconds: Double?
    /// RFC 3339 time of the last applied batch.
    public var lastBatchAt: String?
    /// Restarts after a failure since the process started.
    public var restarts: Int?
    /// Records quarantined since the process started.
    public var quarantined: Int?
    /// The position of the last record in the journal (gateway with a journal).
    public var journalPosition: Int64?

    public init(role: String, state: String, healthy: Bool, detail: String? = nil) {
        self.role = role
        self.state = state
        self.healthy = healthy
        self.detail = detail
    }
}

/// What `/health` asks about the roles of the process.
public protocol HealthReporter: Sendable {
    /// The health of every role this process plays.
    func roles() async -> [RoleHealth]
}

/// `GET /health` and `GET /metrics` (Prometheus text exposition format 0.0.4).
///
/// `/health` answers 200 `application/json` `{"status": "ok", "postgresql": "ok", "roles": [...]}` when PostgreSQL
/// answers and every role is healthy, and 503 `application/problem+json` (type `/problems/unhealthy`, with the same
/// `postgresql` and `roles` members) when PostgreSQL does not answer, the gateway is restoring, closed or Kafka has not
/// confirmed its appends, or a consumer is failing or lags past the configured bound.
public struct HealthController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    let gateway: Gateway?
    let reporter: (any HealthReporter)?
    let registry: PrometheusCollectorRegistry

    /// - Parameter reporter: the roles' health; without it only PostgreSQL and the gateway's readiness are checked.
    public init(database: PostgresClient, gateway: Gateway?, registry: PrometheusCollectorRegistry, reporter: (any HealthReporter)? = nil) {
        self.database = database
        self.gateway = gateway
        self.registry = registry
        self.reporter = reporter
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("health", use: health)
        router.get("metrics", use: metrics)
    }

    struct Body: Encodable {
        var status: String
        var detail: String?
        var postgresql: String
        var roles: [RoleHealth]
    }

    struct ProblemBody: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var postgresql: String
        var roles: [RoleHealth]
    }

    @Sendable func health(request: Request, context: Context) async throws -> Response {
        let postgresql: String
        do {
            _ = try await database.query("SELECT 1")
            postgresql = "ok"
        } catch {
            postgresql = "failing: \(error)"
        }
        var roles: [RoleHealth]
        if let reporter {
            roles = await reporter.roles()
        } else {
            roles = []
            if let gateway {
                let ready = await gateway.isReady
                roles.append(RoleHealth(role: "gateway", state: ready ? "ready" : "restoring", healthy: ready))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let failing = roles.filter { !$0.healthy }.map(\.role)
        if postgresql == "ok" && failing.isEmpty {
            let body = try encoder.encode(Body(status: "ok", postgresql: postgresql, roles: roles))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        var reasons: [String] = []
        if postgresql != "ok" { reasons.append("PostgreSQL does not answer") }
        for role in roles where !role.healthy { reasons.append("\(role.role) is \(role.state)" + (role.detail.map { ": \($0)" } ?? "")) }
        let body = try encoder.encode(ProblemBody(
            type: "/problems/unhealthy", title: "Service Unavailable", status: 503, detail: reasons.joined(separator: "; "),
            postgresql: postgresql, roles: roles))
        return Response(status: .serviceUnavailable,
                        headers: [.contentType: "application/problem+json", .retryAfter: String(Problem.retryAfterSeconds)],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    @Sendable func metrics(request: Request, context: Context) async throws -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
