import ChanceryDomain
import ChanceryHTTP
import ChanceryPostgres
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The public portal's forms through the real router and gateway (issue 13): a disclosure request is refused without
/// its CSRF cookie, with the honeypot filled or with invalid fields (errors on the form, input kept, nothing
/// appended); a valid one is appended once and answered with a receipt code that follows it; sending the same form
/// again appends nothing; without a gateway the form says so and keeps the input.
@Suite("Public portal", .serialized, .timeLimit(.minutes(3)))
struct PortalTests {
    struct Form {
        var cookie: String
        var csrf: String
        var submission: String
    }

    static func form(_ client: some TestClientProtocol, _ path: String) async throws -> Form {
        let r = try await client.execute(uri: path, method: .get)
        #expect(r.status == .ok)
        let body = String(buffer: r.body)
        let cookie = String(r.headers[.setCookie]?.split(separator: ";").first ?? "")
        func field(_ name: String) -> String {
            guard let range = body.range(of: "name=\"\(name)\" value=\"") else { return "" }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
        return Form(cookie: cookie, csrf: field("csrf"), submission: field("submission"))
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ fields: [(String, String)], cookie: String?) async throws -> (HTTPResponse.Status, String) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let r = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return (r.status, String(buffer: r.body))
    }

    static func request(_ form: Form, description: String = "申请公开2025年衡东县农村公路建设资金的安排文件。", website: String = "") -> [(String, String)] {
        [("csrf", form.csrf), ("submission", form.submission), ("requesterKind", "citizen"), ("requesterName", "欧阳修"),
         ("requesterPhone", "13812345678"), ("departmentCode", "test"), ("description", description), ("website", website)]
    }

    static func portalStreams(_ cluster: TestCluster) async throws -> Int64 {
        let rows = try await cluster.node.database.query("SELECT count(*) FROM audit.journal WHERE subject LIKE 'request/430424/WEB-%'")
        return try rows.first?.decode(Int64.self, at: 0) ?? -1
    }

    @Test("a request is refused without its CSRF cookie, with the honeypot filled, or with invalid fields")
    func refusals() async throws {
        try await TestCluster.with { cluster in
            try await cluster.application().test(.router) { client in
                let form = try await Self.form(client, "/portal/430424/disclosure/apply")
                #expect(!form.cookie.isEmpty && form.csrf.count == 64 && UUID(uuidString: form.submission) != nil)
                var (status, body) = try await Self.post(client, "/portal/430424/disclosure/apply", Self.request(form), cookie: nil)
                #expect(status == .forbidden)
                #expect(body.contains("表单已过期"))
                (status, body) = try await Self.post(client, "/portal/430424/disclosure/apply", Self.request(form, website: "x"), cookie: form.cookie)
                #expect(status == .forbidden)
                (status, body) = try await Self.post(client, "/portal/430424/disclosure/apply?lang=en", Self.request(form, description: "short"), cookie: form.cookie)
                #expect(status == .ok)
                #expect(body.contains("Please write at least 10 characters."))
                #expect(body.contains("value=\"欧阳修\""))
                #expect(!body.contains("receipt-code"))
            }
            #expect(try await Self.portalStreams(cluster) == 0)
        }
    }

    @Test("a valid request is appended once and followed by its receipt code")
    func receipt() async throws {
        try await TestCluster.with { cluster in
            // The form offers the departments of the projected item catalogue.
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM catalog.items", equals: 3)
                try await cluster.application().test(.router) { client in
                    let form = try await Self.form(client, "/portal/430424/disclosure/apply")
                    var (status, body) = try await Self.post(client, "/portal/430424/disclosure/apply", Self.request(form), cookie: form.cookie)
                    #expect(status == .ok)
                    guard let range = body.range(of: "id=\"receipt-code\">") else {
                        Issue.record("no receipt code: \(body)")
                        return
                    }
                    let code = String(body[range.upperBound...].prefix(19))
                    #expect(code.count == 19 && code.filter { $0 == "-" }.count == 3)
                    // The same form again: the gateway answers with the first result, and no second code is handed out.
                    (status, body) = try await Self.post(client, "/portal/430424/disclosure/apply", Self.request(form), cookie: form.cookie)
                    #expect(status == .conflict)
                    #expect(body.contains("已提交过"))
                    // Followed by its code (typed in lower case with spaces), and nothing for another code.
                    (status, body) = try await Self.post(client, "/portal/track", [("code", code.lowercased().replacingOccurrences(of: "-", with: " "))], cookie: nil)
                    #expect(status == .ok)
                    #expect(body.contains(code))
                    (status, body) = try await Self.post(client, "/portal/track", [("code", "0000-0000-0000-0000")], cookie: nil)
                    #expect(status == .notFound)
                    #expect(!body.contains(code))
                }
                // Without a gateway in the process the form says so, keeps the input and hands out no code.
                let readOnly = Application(router: buildRouter(database: cluster.node.database, gateway: nil, appender: nil,
                                                               registry: cluster.node.registry, resolver: TestTokens.resolver))
                try await readOnly.test(.router) { client in
                    let form = try await Self.form(client, "/portal/430424/disclosure/apply")
                    var fields = Self.request(form)
                    fields[1] = ("submission", UUID().uuidString)
                    let (status, body) = try await Self.post(client, "/portal/430424/disclosure/apply", fields, cookie: form.cookie)
                    #expect(status == .serviceUnavailable)
                    #expect(body.contains("系统暂时无法受理"))
                    #expect(body.contains("申请公开2025年衡东县农村公路建设资金的安排文件。"))
                    #expect(!body.contains("receipt-code"))
                }
            }
            #expect(try await Self.portalStreams(cluster) == 1)
            let rows = try await cluster.node.database.query("SELECT count(*) FROM portal.receipts WHERE subject LIKE 'request/430424/WEB-%'")
            #expect(try rows.first?.decode(Int64.self, at: 0) == 1)
        }
    }
}
