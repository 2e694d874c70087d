import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What `chancery import` needs from the API (issue 14): `POST /v1/catch-up` to wait for the read models without
/// the database, and each disclosure request's deadlines in `/v1/disclosures`.
@Suite("Import through the API: catch-up and request deadlines", .serialized, .timeLimit(.minutes(5)))
struct ImportCatchUpTests {
    /// R-A: received Friday 2025-09-19, extended by 20 working days, answered 2025-11-18 (after its deadline of
    /// 2025-10-23, before the extended one of 2025-11-20: in time). R-B: received the same day, answered 2025-10-24
    /// without extension (one working day late).
    static let events: [SubmittedEvent] = [
        Events.numbered("request/430424/R-A", 1, "DisclosureRequestReceived", "2025-09-19T10:00:00+08:00",
                        ["requesterName": "张三", "requesterKind": "citizen", "description": "2024年财政预算", "departmentCode": "test"]),
        Events.numbered("request/430424/R-B", 1, "DisclosureRequestReceived", "2025-09-19T11:00:00+08:00",
                        ["requesterName": "李四", "requesterKind": "citizen", "description": "道路规划", "departmentCode": "test"]),
        Events.numbered("request/430424/R-A", 2, "DisclosureRequestExtended", "2025-10-20T10:00:00+08:00",
                        ["reason": "需要调取档案", "extensionLimit": 20]),
        Events.numbered("request/430424/R-B", 2, "DisclosureRequestAnswered", "2025-10-24T10:00:00+08:00", ["outcome": "disclosed"]),
        Events.numbered("request/430424/R-A", 3, "DisclosureRequestAnswered", "2025-11-18T10:00:00+08:00", ["outcome": "partially-disclosed"]),
    ]

    static func catchUp(_ body: String, token: AccessToken? = TestTokens.analyst, client: some TestClientProtocol) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token.text)" }
        return try await client.execute(uri: "/v1/catch-up", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("POST /v1/catch-up says which streams the projector and the supervisor have not reached, then that all caught up")
    func catchUp() async throws {
        try await TestCluster.with { cluster in
            let heads = try await cluster.gateway.append(Self.events).events.reduce(into: [String: Int64]()) { $0[$1.subject] = max($0[$1.subject] ?? 0, $1.sequence) }
            #expect(heads == ["request/430424/R-A": 3, "request/430424/R-B": 2])
            let body = #"{"streams": {"request/430424/R-A": 3, "request/430424/R-B": 2, "item/430424/430424XK001": 1}}"#
            try await cluster.application().test(.router) { client in
                // Nothing consumed yet.
                let before = try await Self.catchUp(body, client: client)
                #expect(before.status == .ok)
                #expect(before.json["caughtUp"] == false)
                #expect(before.json["streams"] == 3 && before.json["watched"] == 2 && before.json["supervised"] == 0)
                #expect(before.json["behind"] == ["item/430424/430424XK001", "request/430424/R-A", "request/430424/R-B"])
                // An integrator may ask about its own region.
                #expect(try await Self.catchUp(body, token: TestTokens.integrator, client: client).status == .ok)
            }
            try await cluster.running([cluster.projector(), cluster.supervisor()]) {
                try await cluster.application().test(.router) { client in
                    let deadline = Date().addingTimeInterval(120)
                    var last: JSONValue = .null
                    while Date() < deadline {
                        last = try await Self.catchUp(body, client: client).json
                        if last["caughtUp"] == true { break }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    #expect(last["caughtUp"] == true, "\(last)")
                    #expect(last["projected"] == 3 && last["supervised"] == 2 && last["alertsPending"] == 0 && last["behind"] == [])
                    // A sequence the gateway has not reached is not caught up.
                    let ahead = try await Self.catchUp(#"{"streams": {"request/430424/R-B": 3}}"#, client: client).json
                    #expect(ahead["caughtUp"] == false && ahead["projected"] == 0 && ahead["behind"] == ["request/430424/R-B"])
                }
            }
        }
    }

    @Test("POST /v1/catch-up refuses anonymous callers, other regions' streams for an integrator, and bad bodies, as problem+json")
    func catchUpRefusals() async throws {
        try await TestCluster.with { cluster in
            try await cluster.application().test(.router) { client in
                let ok = #"{"streams": {"case/430424/X": 1}}"#
                let anonymous = try await Self.catchUp(ok, token: nil, client: client)
                #expect(anonymous.status == .unauthorized && anonymous.headers[.contentType] == "application/problem+json")
                let foreign = try await Self.catchUp(#"{"streams": {"case/3524002/X": 1}}"#, token: TestTokens.integrator, client: client)
                #expect(foreign.status == .forbidden)
                #expect(foreign.json["type"] == "/problems/forbidden" && foreign.json["pointer"] == "/streams/case~13524002~1X")
                #expect(try await Self.catchUp(#"{"streams": {"case/3524002/X": 1}}"#, token: TestTokens.admin, client: client).status == .ok)
                let malformed = try await Self.catchUp(#"{"streams": "#, client: client)
                #expect(malformed.status == .badRequest && malformed.json["type"] == "/problems/malformed-json")
                let shape = try await Self.catchUp(#"{"streams": ["case/430424/X"]}"#, client: client)
                #expect(shape.status == .badRequest && shape.json["type"] == "/problems/invalid-catch-up")
                let stream = try await Self.catchUp(#"{"streams": {"case/43/X": 1}}"#, client: client)
                #expect(stream.status == .badRequest && stream.json["pointer"] == "/streams/case~143~1X")
                let sequence = try await Self.catchUp(#"{"streams": {"case/430424/X": 0}}"#, client: client)
                #expect(sequence.status == .badRequest && (sequence.json["detail"]?.stringValue ?? "").contains("at least 1"))
            }
        }
    }

    @Test("/v1/disclosures gives analysts each request's deadline, extended deadline and whether it was answered in time")
    func requestDeadlines() async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.events)
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM disclosure.requests WHERE answered_at IS NOT NULL", equals: 2)
            }
            try await cluster.application().test(.router) { client in
                let all = try await client.read("/v1/disclosures?region=430424")
                let requests = try #require(all.json["requests"]?.arrayValue)
                #expect(requests.count == 2)
                let a = try #require(requests.first { $0["subject"] == "request/430424/R-A" })
                #expect(a["receivedOn"] == "2025-09-19" && a["deadline"] == "2025-10-23" && a["extensionLimit"] == 20)
                #expect(a["extendedDeadline"] == "2025-11-20" && a["answeredInTime"] == true)
                let b = try #require(requests.first { $0["subject"] == "request/430424/R-B" })
                #expect(b["deadline"] == "2025-10-23" && b["extendedDeadline"] == .null && b["answeredInTime"] == false)
                // One request by its subject.
                let one = try await client.read("/v1/disclosures?request=request/430424/R-B")
                #expect(one.json["requests"]?.arrayValue?.map { $0["subject"] } == ["request/430424/R-B"])
                #expect(try await client.read("/v1/disclosures?request=case/430424/R-B").status == .badRequest)
                // The public sees the request, not its timeliness.
                let public_ = try await client.read("/v1/disclosures?region=430424", token: nil)
                let seen = try #require(public_.json["requests"]?.arrayValue?.first)
                #expect(seen["deadline"] == nil && seen["answeredInTime"] == nil && seen["receivedAt"] != nil)
            }
        }
    }
}
