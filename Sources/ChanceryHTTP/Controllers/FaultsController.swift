import ChanceryDomain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What `POST /v1/admin/faults` can do to the broker (the embedded one only).
public protocol BrokerFaultInjector: Sendable {
    /// Makes the next requests with Kafka API key `apiKey` fail with these `rd_kafka_resp_err_t` codes, in order.
    func pushRequestErrors(apiKey: Int16, errors: [Int32])
    /// Takes every broker down for `seconds`, then up again.
    func takeDown(seconds: Int)
}

/// `POST /v1/admin/faults` (admin token; only on a server started with `--fault-injection` on the embedded broker):
/// injects broker faults for fault-injection runs (`make chaos`). Body:
/// `{"requestErrors": [{"apiKey": 0, "errors": [19, 19]}], "brokerDownSeconds": 30}` (each member optional);
/// `apiKey` is a Kafka protocol API key (0 Produce, 24 AddPartitionsToTxn, 25 AddOffsetsToTxn, 26 EndTxn,
/// 28 TxnOffsetCommit), `errors` Kafka error codes, `brokerDownSeconds` 1…600. Answers 202 with what was injected;
/// 400 `invalid-parameter` for a malformed body; 401/403 without an admin token.
public struct FaultsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let injector: any BrokerFaultInjector

    public init(injector: any BrokerFaultInjector) {
        self.injector = injector
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.post("admin/faults", use: inject)
    }

    struct Body: Codable, Sendable {
        struct RequestErrors: Codable, Sendable {
            var apiKey: Int16
            var errors: [Int32]
        }
        var requestErrors: [RequestErrors]?
        var brokerDownSeconds: Int?
    }

    @Sendable func inject(request: Request, context: Context) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role == .admin else {
            throw Problem(.forbidden, code: "forbidden", title: "Forbidden", detail: "token \(principal.tokenID) may not inject faults; it needs admin")
        }
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Bad Request", detail: "the body is not a fault description: \(error)")
        }
        if let seconds = body.brokerDownSeconds, !(1...600).contains(seconds) {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Bad Request", detail: "brokerDownSeconds must be 1…600", pointer: "/brokerDownSeconds")
        }
        for (i, e) in (body.requestErrors ?? []).enumerated() where e.apiKey < 0 || e.errors.isEmpty || e.errors.count > 1000 {
            throw Problem(.badRequest, code: "invalid-parameter", title: "Bad Request", detail: "apiKey must be ≥ 0 and errors 1…1000 codes",
                          pointer: "/requestErrors/\(i)")
        }
        for e in body.requestErrors ?? [] { injector.pushRequestErrors(apiKey: e.apiKey, errors: e.errors) }
        if let seconds = body.brokerDownSeconds { injector.takeDown(seconds: seconds) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: .accepted, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}
