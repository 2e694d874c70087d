import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The HTTP door answers bad input with RFC 9457 problem+json naming the offending member.
@Suite("HTTP door", .serialized, .timeLimit(.minutes(3)))
struct HTTPDoorTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var body: String
        var contentType = "application/cloudevents+json"
        var status: HTTPResponse.Status
        var type: String
        var pointer: String?
        var description: String { name }
    }

    static func json(_ value: JSONValue) -> String { String(buffer: Events.body(value)) }
    static func without(_ key: String) -> String {
        guard case .object(var o) = Events.submitted("H-1") else { return "" }
        o[key] = nil
        return json(.object(o))
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", body: "{\"id\": ", status: .badRequest, type: "/problems/malformed-json", pointer: ""),
        Case(name: "wrong content type", body: json(Events.submitted("H-1")), contentType: "application/json",
             status: .unsupportedMediaType, type: "/problems/unsupported-media-type"),
        Case(name: "missing id", body: without("id"), status: .unprocessableContent, type: "/problems/missing-attribute", pointer: "/id"),
        Case(name: "wrong-typed source", body: json(Events.setting(Events.submitted("H-1"), "source", 42)),
             status: .unprocessableContent, type: "/problems/invalid-attribute", pointer: "/source"),
        Case(name: "unknown type", body: json(Events.setting(Events.submitted("H-1"), "type", "gov.approval.case.teleported")),
             status: .unprocessableContent, type: "/problems/unknown-type", pointer: "/type"),
        Case(name: "bad region", body: json(Events.setting(Events.submitted("H-1"), "region", "43")),
             status: .unprocessableContent, type: "/problems/invalid-attribute", pointer: "/region"),
        Case(name: "unparseable time", body: json(Events.setting(Events.submitted("H-1"), "time", "2025-02-30T09:00:00+08:00")),
             status: .unprocessableContent, type: "/problems/invalid-attribute", pointer: "/time"),
        Case(name: "time without offset", body: json(Events.setting(Events.submitted("H-1"), "time", "2025-03-03T09:00:00")),
             status: .unprocessableContent, type: "/problems/invalid-attribute", pointer: "/time"),
        Case(name: "missing data field", body: json(Events.setting(Events.submitted("H-1"), "data", ["caseNumber": "H-1"])),
             status: .unprocessableContent, type: "/problems/invalid-data", pointer: "/data/itemCode"),
        Case(name: "gateway attribute sent", body: json(Events.setting(Events.submitted("H-1"), "sequence", 3)),
             status: .unprocessableContent, type: "/problems/invalid-attribute", pointer: "/sequence"),
        Case(name: "unknown attribute", body: json(Events.setting(Events.submitted("H-1"), "colour", "red")),
             status: .unprocessableContent, type: "/problems/unknown-attribute", pointer: "/colour"),
        Case(name: "lifecycle: conclusion without decision", body: json(.array([Events.submitted("H-2"), Events.accepted("H-2"), Events.concluded("H-2")])),
             contentType: "application/cloudevents-batch+json", status: .unprocessableContent, type: "/problems/lifecycle-violation", pointer: "/2/type"),
        Case(name: "batch element invalid", body: json(.array([Events.submitted("H-3"), Events.setting(Events.accepted("H-3"), "subject", "case/43/x")])),
             contentType: "application/cloudevents-batch+json", status: .unprocessableContent, type: "/problems/invalid-attribute", pointer: "/1/subject"),
        Case(name: "version conflict", body: json(Events.setting(Events.submitted("H-4"), "expectedsequence", 5)),
             status: .conflict, type: "/problems/version-conflict", pointer: "/expectedsequence"),
        Case(name: "unknown region", body: json(Events.setting(Events.setting(Events.submitted("H-6"), "region", "990000"), "subject", "case/990000/H-6")),
             status: .unprocessableContent, type: "/problems/unknown-region", pointer: "/region"),
        Case(name: "oversized event", body: json(Events.setting(Events.submitted("H-7"), "data", [
            "caseNumber": "H-7", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": .string(String(repeating: "张", count: 200_000)),
        ])), status: .contentTooLarge, type: "/problems/payload-too-large", pointer: ""),
        Case(name: "catalog: unknown item", body: json(Events.setting(Events.submitted("H-8"), "data", [
            "caseNumber": "H-8", "itemCode": "NO-SUCH-ITEM", "departmentCode": "test", "applicantName": "张三",
        ])), status: .unprocessableContent, type: "/problems/catalog-violation", pointer: "/data/itemCode"),
        Case(name: "catalog: another department's item", body: json(Events.setting(Events.submitted("H-9"), "data", [
            "caseNumber": "H-9", "itemCode": "430424XK001", "departmentCode": "housing", "applicantName": "张三",
        ])), status: .unprocessableContent, type: "/problems/catalog-violation", pointer: "/data/departmentCode"),
        // Values the PostgreSQL read models cannot store (StorageLimits): refused at the door, never halting the projector.
        Case(name: "unstorable: NUL in data", body: json(Events.setting(Events.submitted("H-10"), "data", [
            "caseNumber": "H-10", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "a\u{0}b",
        ])), status: .unprocessableContent, type: "/problems/unstorable-value", pointer: "/data/applicantName"),
        Case(name: "unstorable: NUL in subject", body: json(Events.setting(Events.submitted("H-11"), "subject", "case/430424/H-11\u{0}")),
             status: .unprocessableContent, type: "/problems/unstorable-value", pointer: "/subject"),
        Case(name: "unstorable: NUL in a batch element's member name", body: json(.array([Events.submitted("H-12"), Events.setting(Events.accepted("H-12"), "data", ["a\u{0}": 1])])),
             contentType: "application/cloudevents-batch+json", status: .unprocessableContent, type: "/problems/unstorable-value", pointer: "/1/data"),
        Case(name: "unstorable: lone surrogate", body: json(Events.submitted("H-13")).replacingOccurrences(of: "张三", with: "\\ud800"),
             status: .unprocessableContent, type: "/problems/unstorable-value", pointer: "/data/applicantName"),
        Case(name: "unstorable: integer beyond 64 bits", body: json(Events.accepted("H-14")).replacingOccurrences(of: "\"statutoryLimit\":20", with: "\"statutoryLimit\":92233720368547758070"),
             status: .unprocessableContent, type: "/problems/unstorable-value", pointer: "/data/statutoryLimit"),
        Case(name: "unstorable: time offset beyond ±15:59", body: json(Events.setting(Events.submitted("H-15"), "time", "2025-03-03T09:00:00+16:00")),
             status: .unprocessableContent, type: "/problems/unstorable-value", pointer: "/time"),
    ]

    @Test("the unstorable cases really hold what they claim")
    func unstorableBodies() {
        let bodies = Dictionary(Self.cases.map { ($0.name, $0.body) }) { first, _ in first }
        #expect(bodies["unstorable: NUL in data"]?.contains("a\\u0000b") == true)
        #expect(bodies["unstorable: lone surrogate"]?.contains("\"applicantName\":\"\\ud800\"") == true)
        #expect(bodies["unstorable: integer beyond 64 bits"]?.contains("92233720368547758070") == true)
    }

    @Test("bad input gets a specific problem+json", arguments: cases)
    func badInput(_ c: Case) async throws {
        try await TestCluster.with { cluster in
            try await cluster.application().test(.router) { client in
                let r = try await client.execute(uri: "/v1/events", method: .post,
                                             headers: [.contentType: c.contentType, .authorization: "Bearer \(TestTokens.admin.text)"],
                                             body: ByteBuffer(string: c.body))
                #expect(r.status == c.status)
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(r.json["type"] == .string(c.type))
                #expect(r.json["status"] == .integer(Int64(c.status.code)))
                if let pointer = c.pointer { #expect(r.json["pointer"] == .string(pointer)) }
            }
            // A refused request appended nothing.
            let high = try await cluster.node.database.query("SELECT count(*) FROM approval.stream_heads")
            #expect(try high.first?.decode(Int64.self, at: 0) == 0)
        }
    }

    @Test("an all-or-nothing batch appends none of its events when one is refused")
    func batchAllOrNothing() async throws {
        try await TestCluster.with { cluster in
            try await cluster.application().test(.router) { client in
                let refused = try await client.post([Events.submitted("H-5"), Events.accepted("H-5"), Events.concluded("H-5")])
                #expect(refused.status == .unprocessableContent)
                // The first two alone are fine: nothing of the refused batch was appended before.
                let ok = try await client.post([Events.submitted("H-5"), Events.accepted("H-5")])
                #expect(ok.status == .created)
                #expect(ok.json["events"]?[0]?["sequence"] == 1)
            }
        }
    }

    @Test("unknown routes and read endpoints answer problem+json and JSON")
    func readEndpoints() async throws {
        try await TestCluster.with { cluster in
            try await cluster.application().test(.router) { client in
                let missing = try await client.read("/v1/nothing")
                #expect(missing.status == .notFound)
                #expect(missing.headers[.contentType] == "application/problem+json")
                let badLimit = try await client.read("/v1/cases?limit=100000")
                #expect(badLimit.status == .badRequest)
                #expect(badLimit.json["type"] == "/problems/invalid-parameter")
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
                #expect(health.json["status"] == "ok")
                #expect(health.json["roles"]?[0]?["role"] == "gateway")
                #expect(health.json["roles"]?[0]?["state"] == "ready")
                let cases = try await client.read("/v1/cases")
                #expect(cases.json["cases"] == .array([]), "\(cases.status) \(String(buffer: cases.body))")
                #expect(cases.json["next"] == .null)
                // Public listings need no token; cases and metrics do.
                #expect(try await client.read("/v1/items", token: nil).status == .ok)
                #expect(try await client.read("/v1/disclosures", token: nil).status == .ok)
                #expect(try await client.read("/v1/disclosures?limit=5", token: nil).json["next"] == .null)
                let badRegion = try await client.read("/v1/cases?region=43042")
                #expect(badRegion.status == .badRequest && badRegion.json["type"] == "/problems/invalid-parameter")
                #expect(try await client.read("/v1/items?region=4304240x", token: nil).status == .badRequest)
                #expect(try await client.read("/v1/cases", token: nil).status == .unauthorized)
                #expect(try await client.read("/v1/metrics/departments", token: TestTokens.integrator).status == .forbidden)
                #expect(try await client.read("/v1/metrics/departments").status == .ok)
            }
        }
    }
}

/// Access control on the HTTP door: 401 without a token, 403 outside the token's grants.
@Suite("HTTP access control", .serialized, .timeLimit(.minutes(3)))
struct HTTPAccessControlTests {
    @Test("an integrator publishes only for its granted source prefix and region")
    func grants() async throws {
        try await TestCluster.with { cluster in
            try await cluster.application().test(.router) { client in
                let none = try await client.post(Events.submitted("A-1"), token: nil)
                #expect(none.status == .unauthorized)
                #expect(none.json["type"] == "/problems/unauthorized")
                let bogus = try await client.post(Events.submitted("A-1"), token: AccessToken(id: "testadmin", secret: "wrongsecret0123456789"))
                #expect(bogus.status == .unauthorized)
                let analyst = try await client.post(Events.submitted("A-1"), token: TestTokens.analyst)
                #expect(analyst.status == .forbidden)
                let otherSource = try await client.post(Events.setting(Events.submitted("A-1"), "source", "/430424/departments/planning"), token: TestTokens.integrator)
                #expect(otherSource.status == .forbidden)
                #expect(otherSource.json["pointer"] == "/source")
                // A source that merely starts with the same characters is not below the granted prefix.
                let lookalike = try await client.post(Events.setting(Events.submitted("A-1"), "source", "/430424/departments/testing"), token: TestTokens.integrator)
                #expect(lookalike.status == .forbidden)
                let batch = try await client.post([Events.submitted("A-2"), Events.setting(Events.accepted("A-2"), "source", "/430405/departments/x")], token: TestTokens.integrator)
                #expect(batch.status == .forbidden)
                #expect(batch.json["pointer"] == "/1/source")
                let granted = try await client.post(Events.submitted("A-1"), token: TestTokens.integrator)
                #expect(granted.status == .created)
            }
        }
    }
}
