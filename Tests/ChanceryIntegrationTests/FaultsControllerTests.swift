import ChanceryDomain
import ChanceryHTTP
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/admin/faults`: the door `make chaos` injects broker faults through.
@Suite("Fault injection door", .serialized, .timeLimit(.minutes(2)))
struct FaultsControllerTests {
    final class Recorder: BrokerFaultInjector, @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [String] = []
        func pushRequestErrors(apiKey: Int16, errors: [Int32]) { lock.withLock { calls.append("errors \(apiKey) \(errors)") } }
        func takeDown(seconds: Int) { lock.withLock { calls.append("down \(seconds)") } }
        var recorded: [String] { lock.withLock { calls } }
    }

    @Test("an admin injects request errors and an outage; other tokens and bad bodies are refused; without the flag there is no door")
    func injects() async throws {
        try await TestCluster.with { cluster in
            let recorder = Recorder()
            let app = Application(router: buildRouter(database: cluster.node.database, gateway: cluster.gateway, appender: cluster.gateway,
                                                      registry: cluster.node.registry, resolver: TestTokens.resolver, faults: recorder))
            func post(_ body: String, token: AccessToken?) async throws -> (HTTPResponse.Status, String) {
                try await app.test(.router) { client in
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let token { headers[.authorization] = "Bearer \(token.text)" }
                    let r = try await client.execute(uri: "/v1/admin/faults", method: .post, headers: headers, body: ByteBuffer(string: body))
                    return (r.status, String(buffer: r.body))
                }
            }
            let ok = try await post(#"{"requestErrors": [{"apiKey": 26, "errors": [15, 16]}], "brokerDownSeconds": 3}"#, token: TestTokens.admin)
            #expect(ok.0 == .accepted)
            #expect(recorder.recorded == ["errors 26 [15, 16]", "down 3"])
            #expect(try await post(#"{"brokerDownSeconds": 3}"#, token: TestTokens.analyst).0 == .forbidden)
            #expect(try await post(#"{"brokerDownSeconds": 3}"#, token: nil).0 == .unauthorized)
            let bad = try await post(#"{"brokerDownSeconds": 9999}"#, token: TestTokens.admin)
            #expect(bad.0 == .badRequest)
            #expect(bad.1.contains("/brokerDownSeconds"))
            #expect(recorder.recorded.count == 2)
            // The server without --fault-injection serves no such route.
            let plain = Application(router: buildRouter(database: cluster.node.database, gateway: cluster.gateway, appender: cluster.gateway,
                                                        registry: cluster.node.registry, resolver: TestTokens.resolver))
            try await plain.test(.router) { client in
                let r = try await client.execute(uri: "/v1/admin/faults", method: .post,
                                                 headers: [.authorization: "Bearer \(TestTokens.admin.text)"], body: ByteBuffer(string: "{}"))
                #expect(r.status == .notFound)
            }
        }
    }
}
