import ChanceryGateway
import ChanceryPostgres
import Hummingbird
import NIOCore
import Prometheus

/// `GET /health` (200 when PostgreSQL answers and the gateway, if any, is ready; 503 otherwise) and
/// `GET /metrics` (Prometheus text exposition format 0.0.4).
public struct HealthController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    let gateway: Gateway?
    let registry: PrometheusCollectorRegistry

    public init(database: PostgresClient, gateway: Gateway?, registry: PrometheusCollectorRegistry) {
        self.database = database
        self.gateway = gateway
        self.registry = registry
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("health", use: health)
        router.get("metrics", use: metrics)
    }

    @Sendable func health(request: Request, context: Context) async throws -> Response {
        var checks: [String: String] = [:]
        do {
            _ = try await database.query("SELECT 1")
            checks["postgresql"] = "ok"
        } catch {
            checks["postgresql"] = "failing: \(error)"
        }
        if let gateway {
            checks["gateway"] = await gateway.isReady ? "ok" : "restoring"
        }
        let healthy = checks.values.allSatisfy { $0 == "ok" }
        return try JSONResponse.make(["status": healthy ? "ok" : "unavailable"].merging(checks) { a, _ in a },
                                     status: healthy ? .ok : .serviceUnavailable)
    }

    @Sendable func metrics(request: Request, context: Context) async throws -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
