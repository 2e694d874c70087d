import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The public portal (issue 13): server-rendered pages over Chancery's read models for every region, under `/portal`.
/// No token; Chinese by default, English with `?lang=en`; no JavaScript.
///
/// - `GET /portal` — the regions; `GET /portal/track`, `POST /portal/track` — follow a request or letter by its
///   receipt code (查询码); `GET /portal/static/portal.css`.
/// - `GET /portal/{region}` — the region's home with its headline figures.
/// - `GET /portal/{region}/disclosure` — the "government information disclosure" column: norms (规范要求), request
///   guide (信息公开申请指南), catalogue (信息公开目录) and online requests (申请公开), each at
///   `…/disclosure/norms`, `…/disclosure/guide`, `…/disclosure/catalogue?category=&department=&year=&q=&page=`,
///   `…/disclosure/apply` (`GET` the form, `POST` it); one document at `…/disclosure/documents/{number}`; an Atom
///   feed (RFC 4287) per category at `…/disclosure/feed/{category}` (`all` for every category).
/// - `GET /portal/{region}/results?page=` — concluded cases (办件公示), applicants masked by ``PersonalDataMask``.
/// - `GET /portal/{region}/services`, `…/services/{item}` — the service guide (办事指南).
/// - `GET /portal/{region}/reports` — the years of the annual report, linking to `/reports/annual/{region}/{year}`.
/// - `GET /portal/{region}/statistics` — headline figures, aggregates only.
/// - `GET`/`POST /portal/{region}/mailbox` — the letter form (写信).
///
/// A submitted form is validated (the portal's rules, then the gateway's: schema, lifecycle, the portal principal's
/// grant), appended as `DisclosureRequestReceived` or `LetterReceived` with source `/<region>/portal` through the
/// in-process gateway, and answered with a receipt code only once the gateway has acknowledged the append.
public struct Portal<Context: RemoteAddressRequestContext>: Sendable {
    let queries: PortalQueries
    let appender: (any EventAppender)?
    let renderer: PortalRenderer
    let content: PortalContent
    let formGuard: FormGuard
    let trackLimiter: RateLimiter
    let personal: PersonalFields
    let stylesheet: ByteBuffer
    let logger: Logger

    /// - Parameters:
    ///   - database: the read models (and the portal's own `portal.receipts`).
    ///   - appender: the gateway in this process; nil when it has none (the forms then say that submissions are
    ///     unavailable and keep what was entered).
    /// - Throws: when the bundled templates, content or stylesheet cannot be loaded (a broken build), or when
    ///   `$CHANCERY_PORTAL_CONTENT` names a folder without `default.json`.
    public init(database: PostgresClient, appender: (any EventAppender)?, logger: Logger = Logger(label: "chancery.portal")) throws {
        self.queries = PortalQueries(database: database)
        self.appender = appender
        self.renderer = try PortalRenderer()
        self.content = try PortalContent.load()
        self.formGuard = FormGuard()
        self.trackLimiter = RateLimiter(limit: 20, window: 600)
        self.personal = PersonalFields.bundled()
        guard let css = Bundle.module.url(forResource: "static", withExtension: nil)?.appendingPathComponent("portal.css") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the bundled portal stylesheet is missing"])
        }
        self.stylesheet = ByteBuffer(bytes: [UInt8](try Data(contentsOf: css)))
        self.logger = logger
    }

    /// The principal the portal publishes as: an integrator granted the source `/<region>/portal` of that region
    /// only, checked like any integrator's token at the HTTP door (``Principal/refusal(toPublish:)``).
    public static func principal(region: String) -> Principal {
        Principal(tokenID: "portal", role: .integrator, sources: ["/\(region)/portal"], regions: [region])
    }

    /// Adds the portal's routes under `/portal`.
    public func addRoutes(to router: Router<Context>) {
        let portal = router.group("portal")
        portal.get(use: home)
        portal.get("static/portal.css", use: css)
        portal.get("track", use: trackForm)
        portal.post("track", use: track)
        portal.get(":region", use: regionHome)
        portal.get(":region/disclosure", use: disclosureColumn)
        portal.get(":region/disclosure/norms", use: norms)
        portal.get(":region/disclosure/guide", use: guide)
        portal.get(":region/disclosure/catalogue", use: catalogue)
        portal.get(":region/disclosure/documents/:number", use: document)
        portal.get(":region/disclosure/feed/:category", use: feed)
        portal.get(":region/disclosure/apply", use: requestForm)
        portal.post(":region/disclosure/apply", use: submitRequest)
        portal.get(":region/results", use: results)
        portal.get(":region/services", use: services)
        portal.get(":region/services/:item", use: item)
        portal.get(":region/reports", use: reports)
        portal.get(":region/statistics", use: statistics)
        portal.get(":region/mailbox", use: letterForm)
        portal.post(":region/mailbox", use: submitLetter)
    }

    // MARK: shared

    /// The page's language from `?lang=`.
    func language(_ request: Request) -> PortalLanguage { PortalLanguage(query: request.uri.queryParameters["lang"].map(String.init)) }

    /// What every page template needs: texts, language links, the region and the navigation.
    func base(_ request: Request, _ language: PortalLanguage, region: String?, title: String) -> [String: Any] {
        var query = request.uri.queryParameters.filter { $0.key != "lang" }.map { "\(Self.percent(String($0.key)))=\(Self.percent(String($0.value)))" }.sorted()
        if language.other == .en { query.append("lang=en") }
        var data: [String: Any] = [
            "t": PortalStrings.table(language), "htmlLang": language.htmlLang, "langQuery": language.query, "langAmp": language.ampersandQuery,
            "otherLanguageHref": request.uri.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")),
            "otherHtmlLang": language.other.htmlLang, "title": title, "isEnglish": language == .en,
            "siteName": region.map { content.government($0, language) } ?? PortalStrings.table(language)["portalName"]!,
        ]
        if let region {
            data["region"] = ["code": region, "name": content.regionName(region, language)]
        }
        return data
    }

    /// The region of the path, or nil when it is not a division code with anything to show.
    func region(_ context: Context) async throws -> String? {
        guard let code = context.parameters.get("region"), Region(code) != nil else { return nil }
        if content.regionNames[code] != nil { return code }
        return try await queries.regions().contains(code) ? code : nil
    }

    /// The region's departments `[{code, name}]`: named by the region's content file where it names them, else by the
    /// item catalogue, else by their code.
    func departments(region: String, _ language: PortalLanguage) async throws -> [[String: Any]] {
        try await queries.departments(region: region).map { d in
            guard let code = d["code"] as? String, let name = content.departmentName(code, region: region, language) else { return d }
            return ["code": code, "name": name]
        }
    }

    /// The 404 page.
    func notFound(_ request: Request, _ language: PortalLanguage, region: String? = nil) -> Response {
        let t = PortalStrings.table(language)
        return renderer.page("message", base(request, language, region: region, title: t["notFoundTitle"]!)
            .merging(["heading": t["notFoundTitle"]!, "text": t["notFoundText"]!]) { $1 }, status: .notFound)
    }

    /// A query parameter as a positive page number (1 when absent or not a number in 1…100,000).
    static func page(_ request: Request) -> Int {
        guard let text = request.uri.queryParameters["page"], let n = Int(text), (1...100_000).contains(n) else { return 1 }
        return n
    }

    /// Percent-encoding of a query component.
    static func percent(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `{label, href, current}` links of a paginated list.
    static func pager(total: Int, page: Int, size: Int, href: (Int) -> String) -> [String: Any] {
        let pages = max(1, (total + size - 1) / size)
        var out: [String: Any] = ["page": page, "pages": pages]
        if page > 1 { out["previous"] = href(page - 1) }
        if page < pages { out["next"] = href(page + 1) }
        return out
    }

    @Sendable func css(request: Request, context: Context) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                 body: ResponseBody(byteBuffer: stylesheet))
    }
}
