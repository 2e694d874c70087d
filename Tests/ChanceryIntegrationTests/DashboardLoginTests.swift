import ChanceryDashboard
import ChanceryDomain
import ChanceryHTTP
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The dashboard's cookie login (issue 12): the token form, the session cookie's attributes, the cookie accepted on
/// `/dashboard` pages only, the CSRF check, logout; and a page's figures over projected cases.
@Suite("Dashboard login", .serialized, .timeLimit(.minutes(3)))
struct DashboardLoginTests {
    static func app(_ cluster: TestCluster) throws -> some ApplicationProtocol {
        let dashboard = try DashboardController(database: cluster.node.database, resolver: TestTokens.resolver)
        return Application(router: buildRouter(database: cluster.node.database, gateway: cluster.node.gateway, appender: cluster.node.gateway,
                                               registry: cluster.node.registry, resolver: TestTokens.resolver, mounts: [dashboard]))
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("Without a session a page redirects to the login form; a wrong token shows the form again with an error in the user's language")
    func loginForm() async throws {
        try await TestCluster.with { cluster in
            try await Self.app(cluster).test(.router) { client in
                let page = try await client.execute(uri: "/dashboard?lang=en", method: .get)
                #expect(page.status == .seeOther)
                #expect(page.headers[.location]?.hasPrefix("/dashboard/login?lang=en&next=") == true)

                let form = try await client.execute(uri: "/dashboard/login", method: .get)
                #expect(form.status == .ok)
                #expect(String(buffer: form.body).contains("<label for=\"token\">访问令牌</label>"))

                let wrong = try await client.execute(uri: "/dashboard/login", method: .post, headers: Self.formHeaders,
                                                     body: Self.form(["token": "chancery_nobody.notarealsecret0123456", "lang": "en"]))
                #expect(wrong.status == .unauthorized)
                #expect(String(buffer: wrong.body).contains("The token is unknown, malformed or revoked."))
                #expect(wrong.headers[.setCookie] == nil)

                let wrongZh = try await client.execute(uri: "/dashboard/login", method: .post, headers: Self.formHeaders,
                                                       body: Self.form(["token": "not-a-token"]))
                #expect(wrongZh.status == .unauthorized)
                #expect(String(buffer: wrongZh.body).contains("令牌无效、格式错误或已吊销。"))

                let integrator = try await client.execute(uri: "/dashboard/login", method: .post, headers: Self.formHeaders,
                                                          body: Self.form(["token": TestTokens.integrator.text, "lang": "en"]))
                #expect(integrator.status == .forbidden)
                #expect(integrator.headers[.setCookie] == nil)
            }
        }
    }

    @Test("Logging in sets an HttpOnly, SameSite=Strict cookie on /dashboard that the pages accept and the JSON API does not")
    func cookieSession() async throws {
        try await TestCluster.with { cluster in
            try await Self.app(cluster).test(.router) { client in
                let login = try await client.execute(uri: "/dashboard/login", method: .post, headers: Self.formHeaders,
                                                     body: Self.form(["token": TestTokens.analyst.text, "lang": "en", "next": "/dashboard/alerts?lang=en"]))
                #expect(login.status == .seeOther)
                #expect(login.headers[.location] == "/dashboard/alerts?lang=en")
                let setCookie = try #require(login.headers[.setCookie])
                #expect(setCookie.hasPrefix("\(DashboardSession.cookieName)=\(TestTokens.analyst.text)"))
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Strict"))
                #expect(setCookie.contains("Path=/dashboard"))
                #expect(!setCookie.contains("Secure"))

                let cookie: HTTPFields = [.cookie: "\(DashboardSession.cookieName)=\(TestTokens.analyst.text)"]
                let alerts = try await client.execute(uri: "/dashboard/alerts?lang=en", method: .get, headers: cookie)
                #expect(alerts.status == .ok)
                #expect(alerts.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: alerts.body).contains("Alerts (yellow and red cards, irregularities)"))

                // The API keeps bearer tokens: the cookie alone is not a credential there.
                let api = try await client.execute(uri: "/v1/metrics/cases", method: .get, headers: cookie)
                #expect(api.status == .unauthorized)

                // Over https (behind a proxy) the cookie is Secure.
                var proxied = Self.formHeaders
                proxied[HTTPField.Name("X-Forwarded-Proto")!] = "https"
                let secure = try await client.execute(uri: "/dashboard/login", method: .post, headers: proxied,
                                                      body: Self.form(["token": TestTokens.auditor.text]))
                #expect(secure.headers[.setCookie]?.contains("Secure") == true)

                // A revoked or unknown cookie is no session.
                let stale = try await client.execute(uri: "/dashboard", method: .get,
                                                     headers: [.cookie: "\(DashboardSession.cookieName)=chancery_gone.gonesecret0123456789"])
                #expect(stale.status == .seeOther)

                var logoutHeaders = cookie
                logoutHeaders[.origin] = "http://evil.example"
                #expect(try await client.execute(uri: "/dashboard/logout", method: .post, headers: logoutHeaders).status == .forbidden)
                let logout = try await client.execute(uri: "/dashboard/logout", method: .post, headers: cookie)
                #expect(logout.status == .seeOther)
                #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
        }
    }

    @Test("A login form posted from another site is refused (CSRF)")
    func crossSiteLogin() async throws {
        try await TestCluster.with { cluster in
            try await Self.app(cluster).test(.router) { client in
                var headers = Self.formHeaders
                headers[.origin] = "https://evil.example"
                let r = try await client.execute(uri: "/dashboard/login", method: .post, headers: headers,
                                                 body: Self.form(["token": TestTokens.analyst.text, "lang": "en"]))
                #expect(r.status == .forbidden)
                #expect(r.headers[.setCookie] == nil)
                #expect(String(buffer: r.body).contains("The request came from another site and was refused."))
            }
        }
    }

    @Test("Pages show the projected figures: the overview's chart data equal /v1/metrics/cases, the case page its timeline")
    func pagesOverProjectedCases() async throws {
        try await TestCluster.with { cluster in
            try await Self.app(cluster).test(.router) { client in
                let r = try await client.post([Events.submitted("D-1"), Events.accepted("D-1"), Events.decided("D-1"), Events.concluded("D-1"),
                                               Events.submitted("D-2"), Events.accepted("D-2")])
                #expect(r.status == .created)
            }
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM approval.cases WHERE subject IN ('case/430424/D-1', 'case/430424/D-2') AND accepted_on IS NOT NULL", equals: 2)
            }
            try await Self.app(cluster).test(.router) { client in
                let cookie: HTTPFields = [.cookie: "\(DashboardSession.cookieName)=\(TestTokens.analyst.text)"]
                let overview = String(buffer: try await client.execute(uri: "/dashboard?region=430424&from=2025-01&to=2025-12&lang=en",
                                                                       method: .get, headers: cookie).body)
                let api = try await client.execute(uri: "/v1/metrics/cases?groupBy=region&period=month&region=430424&from=2025-01&to=2025-12",
                                                   method: .get, headers: [.authorization: "Bearer \(TestTokens.analyst.text)"])
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: api.body).utf8)) as? [String: Any])["rows"] as? [[String: Any]]
                let march = try #require(rows?.first { $0["period"] as? String == "2025-03" })
                #expect(march["accepted"] as? Int == 2)
                let chart = try #require(Self.chartData(overview, id: "accepted-concluded"))
                #expect(chart["labels"] as? [String] == rows?.map { $0["period"] as? String ?? "" })
                let datasets = try #require(chart["datasets"] as? [[String: Any]])
                #expect(datasets.first?["data"] as? [Int] == rows?.map { $0["accepted"] as? Int ?? -1 })
                #expect(overview.contains("Accepted vs concluded by month"))

                let casePage = try await client.execute(uri: "/dashboard/cases/430424/D-1?lang=en", method: .get, headers: cookie)
                #expect(casePage.status == .ok)
                let html = String(buffer: casePage.body)
                for type in ["gov.approval.case.submitted", "gov.approval.case.accepted", "gov.approval.case.decided", "gov.approval.case.concluded"] {
                    #expect(html.contains(type))
                }
                let missing = try await client.execute(uri: "/dashboard/cases/430424/NOPE?lang=en", method: .get, headers: cookie)
                #expect(missing.status == .notFound)
                let bad = try await client.execute(uri: "/dashboard?from=2025-13", method: .get, headers: cookie)
                #expect(bad.status == .badRequest)
                #expect(String(buffer: bad.body).contains("月份应为 YYYY-MM 格式"))
            }
        }
    }

    /// The JSON of chart `id` embedded in `html`.
    static func chartData(_ html: String, id: String) -> [String: Any]? {
        guard let start = html.range(of: "id=\"chart-\(id)\">"), let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
    }
}
