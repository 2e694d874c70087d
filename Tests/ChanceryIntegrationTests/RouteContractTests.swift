import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryPostgres
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// schemas/openapi.yaml documents every route the server serves and nothing else: the router's own list of routes
/// (Hummingbird's `Router.routes`, with every optional controller mounted) against the document's paths and methods.
@Suite("OpenAPI document covers the router")
struct RouteContractTests {
    /// An appender that is never called (the router is only listed).
    struct UnusedAppender: EventAppender {
        func append(_ events: [SubmittedEvent]) async throws -> AppendResult { throw CancellationError() }
    }

    /// A fault injector that is never called.
    struct UnusedInjector: BrokerFaultInjector {
        func pushRequestErrors(apiKey: Int16, errors: [Int32]) {}
        func takeDown(seconds: Int) {}
    }

    static let openAPI = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/openapi.yaml")

    /// `METHOD /path` for every operation of the document (paths as written, `{name}` for a parameter).
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: openAPI, encoding: .utf8)
        var operations: Set<String> = []
        var path: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " " { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "patch", "delete", "head", "options"].contains(method) {
                    operations.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    /// `METHOD /path` for every route of the router, `:name` written `{name}` and a catch-all `**` as `{subject}` (the
    /// one catch-all route, `/v1/streams/**`, takes a stream id).
    static func routedOperations() -> Set<String> {
        let router = buildRouter(
            database: PostgresClient(url: "postgresql://nobody@127.0.0.1:1/none", logger: Logger(label: "routes")), gateway: nil,
            appender: UnusedAppender(), registry: PrometheusCollectorRegistry(), resolver: TestTokens.resolver, faults: UnusedInjector())
        return Set(router.routes.map { route in
            let path = route.path.description.split(separator: "/").map { component -> String in
                if component == "**" { return "{subject}" }
                if component.hasPrefix(":") { return "{\(component.dropFirst())}" }
                return String(component)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
    }

    @Test("every routed operation is documented and every documented one is routed")
    func sameOperations() throws {
        let documented = try Self.documentedOperations()
        let routed = Self.routedOperations()
        #expect(routed.count >= 19, "\(routed.sorted())")
        #expect(routed.subtracting(documented).isEmpty, "routed but not in schemas/openapi.yaml: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        #expect(routed.contains("GET /v1/cases/{region}/{number}"))
        #expect(routed.contains("POST /v1/admin/faults"))
    }
}
