import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryKafka
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

    /// `METHOD /path` for every route of the router (Hummingbird writes a capture `{name}`), a catch-all `**` as `{subject}` (the
    /// one catch-all route, `/v1/streams/**`, takes a stream id).
    static func router() -> Router<ChanceryRequestContext> {
        let database = PostgresClient(url: "postgresql://nobody@127.0.0.1:1/none", logger: Logger(label: "routes"))
        return buildRouter(
            database: database, gateway: nil, appender: UnusedAppender(), registry: PrometheusCollectorRegistry(), resolver: TestTokens.resolver,
            faults: UnusedInjector(),
            deadLetterRetrier: DeadLetterRetrier(database: database, kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"), topics: TopicNames(),
                                                 logger: Logger(label: "routes")))
    }

    static func routedOperations() -> Set<String> {
        Set(router().routes.map { route in
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
        // The public portal's HTML pages and forms (README "Public portal") are not API operations: the document
        // leaves them out, and so does the comparison.
        let all = Self.routedOperations()
        let portal = all.filter { $0.contains(" /portal") }
        #expect(portal.contains("POST /portal/{region}/mailbox"))
        let routed = all.subtracting(portal)
        #expect(routed.count >= 19, "\(routed.sorted())")
        #expect(routed.subtracting(documented).isEmpty, "routed but not in schemas/openapi.yaml: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        #expect(routed.contains("GET /v1/cases/{region}/{number}"))
        #expect(routed.contains("POST /v1/admin/faults"))
        #expect(routed.contains("GET /v1/disclosure-requests") && routed.contains("GET /v1/dead-letters/{id}"))
        #expect(routed.contains("POST /v1/dead-letters/{id}/retry"))
    }

    @Test("a served path asked with another method is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        try await Application(router: Self.router()).test(.router) { client in
            let delete = try await client.execute(uri: "/v1/items?region=430424", method: .delete)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET")
            #expect(delete.headers[.contentType] == "application/problem+json")
            #expect(delete.json["type"] == "/problems/method-not-allowed")
            let put = try await client.execute(uri: "/v1/cases/430424/%E8%A1%A1%E4%B8%9C-1", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET")
            let stream = try await client.execute(uri: "/v1/streams/case/430424/a/b", method: .post)
            #expect(stream.status == .methodNotAllowed)
            let events = try await client.execute(uri: "/v1/events", method: .get)
            #expect(events.status == .methodNotAllowed)
            #expect(events.headers[.allow] == "POST")
            let unknown = try await client.execute(uri: "/v1/nothing", method: .delete)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.allow] == nil)
        }
    }
}
