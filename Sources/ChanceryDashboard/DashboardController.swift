import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryProjections
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The supervision office's dashboard (issue 12): server-rendered pages under `/dashboard` for analyst, auditor and
/// admin tokens, Chinese by default and English with `?lang=en`.
///
/// - `GET /dashboard/login`, `POST /dashboard/login` (form field `token`): sets the session cookie
///   (``DashboardSession``: HttpOnly, SameSite=Strict, Path=/dashboard, Secure over https); `POST /dashboard/logout`
///   clears it. Both POSTs refuse a request whose `Origin` (or, without it, `Referer`) names another host (CSRF).
/// - `GET /dashboard` overview, `/dashboard/departments` (ranking) → `/dashboard/departments/{code}` →
///   `/dashboard/departments/{code}/items/{item}` → `/dashboard/cases/{region}/{number}`, `/dashboard/interactions`,
///   `/dashboard/disclosure`, `/dashboard/unused`, `/dashboard/alerts` (reloads itself).
/// - `GET /assets/chart.js` (Debian's libjs-chart.js, ``DashboardConfiguration/chartScriptPath``),
///   `/assets/dashboard.js`, `/assets/dashboard.css`.
///
/// Figures come from ``MetricsQueries`` (the same SQL as `/v1/metrics/…`) and ``DashboardQueries``. Without a valid
/// session a page redirects to the login form; an integrator token gets a 403 page; bad query parameters a 400 page in
/// the user's language.
public struct DashboardController: RouteMount {
    public typealias Context = ChanceryRequestContext
    let queries: DashboardQueries
    let metrics: MetricsQueries
    let formula: EfficiencyFormula
    let resolver: any PrincipalResolver
    let configuration: DashboardConfiguration
    let renderer: PageRenderer
    let chartsAvailable: Bool
    let assets: [String: String]

    /// - Throws: when the bundled templates or assets cannot be read (a packaging error).
    public init(database: PostgresClient, resolver: any PrincipalResolver, formula: EfficiencyFormula = EfficiencyFormula(),
                configuration: DashboardConfiguration = DashboardConfiguration()) throws {
        self.queries = DashboardQueries(database: database)
        self.metrics = MetricsQueries(database: database)
        self.formula = formula
        self.resolver = resolver
        self.configuration = configuration
        self.renderer = try PageRenderer()
        // Read once at start (not per request): whether Chart.js is installed, and the module's own small assets.
        self.chartsAvailable = FileManager.default.isReadableFile(atPath: configuration.chartScriptPath)
        var assets: [String: String] = [:]
        guard let folder = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            throw DashboardConfigurationError("the dashboard's bundled Assets folder is missing")
        }
        for name in ["dashboard.js", "dashboard.css"] {
            assets[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        self.assets = assets
    }

    public func addRoutes(to router: Router<Context>) {
        let script = assets["dashboard.js"] ?? "", style = assets["dashboard.css"] ?? ""
        router.get("assets/chart.js", use: chartScript)
        router.get("assets/dashboard.js") { _, _ in Self.text(script, type: "text/javascript; charset=utf-8") }
        router.get("assets/dashboard.css") { _, _ in Self.text(style, type: "text/css; charset=utf-8") }
        let d = router.group("dashboard")
        d.get("login", use: loginForm)
        d.post("login", use: login)
        d.post("logout", use: logout)
        pageRoute(d, "", nav: "overview") { try await self.overview(request: $0, context: $1, filter: $2) }
        pageRoute(d, "departments", nav: "departments") { try await self.departments(request: $0, context: $1, filter: $2) }
        pageRoute(d, "departments/:department", nav: "departments") { try await self.department(request: $0, context: $1, filter: $2) }
        pageRoute(d, "departments/:department/items/:item", nav: "departments") { try await self.item(request: $0, context: $1, filter: $2) }
        pageRoute(d, "cases/:region/:number", nav: "departments") { try await self.caseTimeline(request: $0, context: $1, filter: $2) }
        pageRoute(d, "interactions", nav: "interactions") { try await self.interactions(request: $0, context: $1, filter: $2) }
        pageRoute(d, "disclosure", nav: "disclosure") { try await self.disclosure(request: $0, context: $1, filter: $2) }
        pageRoute(d, "unused", nav: "unused") { try await self.unused(request: $0, context: $1, filter: $2) }
        pageRoute(d, "alerts", nav: "alerts") { try await self.alerts(request: $0, context: $1, filter: $2) }
    }

    /// Routes `path` of `group` to a page: ``page(_:_:nav:render:)`` around `render`.
    func pageRoute(_ group: RouterGroup<Context>, _ path: String, nav: String, _ render: @escaping PageBody) {
        group.get(RouterPath(path)) { request, context in try await self.page(request, context, nav: nav, render: render) }
    }

    /// What a page handler returns: its template, its context and its title label key.
    struct Rendered {
        var template: String
        var context: [String: Any]
        var title: String
        var refreshSeconds: Int = 0
    }

    typealias PageBody = @Sendable (Request, Context, DashboardFilter) async throws -> Rendered

    /// Runs a page: the session check, the filter, the page's queries, the layout.
    func page(_ request: Request, _ context: Context, nav: String, render: PageBody) async throws -> Response {
        let q = request.uri.queryParameters
        let language = DashboardLanguage(query: q["lang"].map(String.init))
        guard let principal = context.identity else {
            let back = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Self.redirect("/dashboard/login?" + (language == .en ? "lang=en&" : "") + "next=" + Self.percentEncoded(back))
        }
        guard principal.mayAnalyse else {
            return try errorPage(.forbidden, message: language.label("loginWrongRole"), language: language)
        }
        let filter: DashboardFilter
        let regions = try await queries.regions()
        do {
            filter = try DashboardFilter.parse(region: q["region"].map(String.init), from: q["from"].map(String.init), to: q["to"].map(String.init),
                                               lang: q["lang"].map(String.init), regions: regions)
        } catch let error as DashboardInputError {
            return try errorPage(.badRequest, message: error.message, language: language)
        }
        let rendered: Rendered
        do {
            rendered = try await render(request, context, filter)
        } catch let error as DashboardInputError {
            return try errorPage(.badRequest, message: error.message, language: language)
        } catch let error as DashboardNotFound {
            return try errorPage(.notFound, message: error.message, language: language)
        }
        let html = try renderer.render(rendered.template, context: rendered.context,
                                       page: layout(filter: filter, regions: regions.compactMap { Rows.string($0, "region") }, nav: nav,
                                                    path: request.uri.path, title: rendered.title, refresh: rendered.refreshSeconds))
        return Self.html(html, status: .ok)
    }

    /// The layout's context: labels, navigation with the filter kept, the filter form, the language switch.
    func layout(filter: DashboardFilter, regions: [String], nav: String, path: String, title: String, refresh: Int) -> [String: Any] {
        let t = filter.language.labels
        let items: [(String, String, String)] = [
            ("overview", "/dashboard", "navOverview"), ("departments", "/dashboard/departments", "navDepartments"),
            ("interactions", "/dashboard/interactions", "navInteractions"), ("disclosure", "/dashboard/disclosure", "navDisclosure"),
            ("unused", "/dashboard/unused", "navUnused"), ("alerts", "/dashboard/alerts", "navAlerts"),
        ]
        let langQuery = filter.language == .en ? "?lang=en" : ""
        var other = filter
        other.language = filter.language == .en ? .zh : .en
        return [
            "t": t, "htmlLang": filter.language.htmlLang, "title": t[title] ?? title, "isEnglish": filter.language == .en,
            "qs": filter.query,
            "nav": items.map { ["href": $0.1 + "?" + filter.query, "label": t[$0.2] ?? $0.2, "current": $0.0 == nav] as [String: Any] },
            "reportLinks": [["href": "/dashboard/reports/circular" + langQuery, "label": t["navCircular"] ?? ""],
                            ["href": "/dashboard/reports/annual" + langQuery, "label": t["navAnnual"] ?? ""]],
            "otherLanguageHref": path + "?" + other.query,
            "filterAction": path, "region": filter.region, "from": filter.from, "to": filter.to,
            "regions": regions.map { ["code": $0, "selected": $0 == filter.region] as [String: Any] },
            "chartsAvailable": chartsAvailable, "refreshSeconds": refresh, "refresh": refresh > 0,
        ]
    }

    // MARK: Login

    @Sendable func loginForm(request: Request, context: Context) async throws -> Response {
        let q = request.uri.queryParameters
        let language = DashboardLanguage(query: q["lang"].map(String.init))
        return try loginPage(language: language, next: q["next"].map(String.init), error: nil, status: .ok)
    }

    func loginPage(language: DashboardLanguage, next: String?, error: String?, status: HTTPResponse.Status) throws -> Response {
        let t = language.labels
        let html = try renderer.render("login", context: ["next": Self.safeNext(next) ?? "", "error": error as Any, "hasError": error != nil],
                                       page: ["t": t, "htmlLang": language.htmlLang, "title": t["loginTitle"] ?? "", "isEnglish": language == .en,
                                              "bare": true])
        return Self.html(html, status: status)
    }

    /// The login form's fields.
    struct LoginForm: Decodable {
        var token: String?
        var lang: String?
        var next: String?
    }

    @Sendable func login(request: Request, context: Context) async throws -> Response {
        let form = (try? await URLEncodedFormDecoder().decode(LoginForm.self, from: request, context: context)) ?? LoginForm()
        let language = DashboardLanguage(query: form.lang ?? request.uri.queryParameters["lang"].map(String.init))
        guard Self.sameOrigin(request) else {
            return try loginPage(language: language, next: form.next, error: language.label("loginCrossSite"), status: .forbidden)
        }
        let token = (form.token ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            return try loginPage(language: language, next: form.next, error: language.label("loginEmpty"), status: .badRequest)
        }
        guard AccessToken(token) != nil, let principal = try await resolver.principal(forBearer: token) else {
            return try loginPage(language: language, next: form.next, error: language.label("loginWrongToken"), status: .unauthorized)
        }
        guard principal.mayAnalyse else {
            return try loginPage(language: language, next: form.next, error: language.label("loginWrongRole"), status: .forbidden)
        }
        var response = Self.redirect(Self.safeNext(form.next) ?? ("/dashboard" + (language == .en ? "?lang=en" : "")))
        response.setCookie(Cookie(name: DashboardSession.cookieName, value: token, path: DashboardSession.pathPrefix,
                                   secure: isSecure(request), httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(request: Request, context: Context) async throws -> Response {
        let language = DashboardLanguage(query: request.uri.queryParameters["lang"].map(String.init))
        guard Self.sameOrigin(request) else {
            return try errorPage(.forbidden, message: language.label("loginCrossSite"), language: language)
        }
        var response = Self.redirect("/dashboard/login" + (language == .en ? "?lang=en" : ""))
        response.setCookie(Cookie(name: DashboardSession.cookieName, value: "", maxAge: 0, path: DashboardSession.pathPrefix,
                                  secure: isSecure(request), httpOnly: true, sameSite: .strict))
        return response
    }

    /// Whether the request came over https (directly, or as a proxy says with `X-Forwarded-Proto`), or the
    /// configuration always wants a Secure cookie.
    func isSecure(_ request: Request) -> Bool {
        if configuration.alwaysSecureCookie || request.uri.scheme == .https { return true }
        return request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// CSRF check of a form POST: the `Origin` header (or, without it, the `Referer`) must name the host the request was
    /// sent to; a request with neither (not from a browser) passes, since the cookie is SameSite=Strict anyway.
    static func sameOrigin(_ request: Request) -> Bool {
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!]
        let claimed = request.headers[.origin] ?? request.headers[.referer]
        guard let claimed else { return true }
        guard let host, let url = URL(string: claimed), let claimedHost = url.host else { return false }
        let claimedAuthority = claimedHost + (url.port.map { ":\($0)" } ?? "")
        return claimedAuthority.lowercased() == host.lowercased()
    }

    /// `next` when it is a dashboard path on this site (never another host), else nil.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/dashboard"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return nil }
        return next
    }

    // MARK: Assets and responses

    @Sendable func chartScript(request: Request, context: Context) async throws -> Response {
        guard chartsAvailable else {
            return Self.text("/* Chart.js is not installed (Debian package libjs-chart.js) */", type: "text/javascript; charset=utf-8", status: .notFound)
        }
        let body = try await FileIO().loadFile(path: configuration.chartScriptPath, context: context)
        return Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"], body: body)
    }

    func errorPage(_ status: HTTPResponse.Status, message: String, language: DashboardLanguage) throws -> Response {
        let t = language.labels
        let titleKey = status == .forbidden ? "forbidden" : status == .notFound ? "notFound" : "badRequest"
        let html = try renderer.render("error", context: ["message": message],
                                       page: ["t": t, "htmlLang": language.htmlLang, "title": t[titleKey] ?? "", "isEnglish": language == .en,
                                              "bare": true])
        return Self.html(html, status: status)
    }

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-store",
    ]

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type, .cacheControl: "max-age=600"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }
}

/// A page's subject does not exist (a case, a department): the message, in the user's language, on a 404 page.
struct DashboardNotFound: Error {
    var message: String
}
