import ChanceryDomain
import ChanceryPostgres
import ChanceryReports
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The reports (ChanceryReports): the monthly circular (通报) and the statutory annual report on government information
/// disclosure (政府信息公开工作年度报告, national format of 2021).
///
/// - `GET /dashboard/reports/circular?region=R&month=YYYY-MM[&format=html|md|csv|json][&lang=zh|en]` — analyst, auditor
///   or admin (the same authentication as the API: the bearer token, and whatever the authenticator accepts).
/// - `GET /dashboard/reports/annual?region=R&year=Y[&format=…][&lang=…]` — the same report as the public route, for the
///   dashboard (analyst, auditor or admin).
/// - `GET /reports/annual/{region}/{year}[?format=…&lang=…]` — public: the annual report is a public document by law
///   (政府信息公开条例 第五十条).
///
/// The listing of the years available is ``ReportsController`` (`GET /v1/reports/annual`).
/// Formats: `html` (default; Chinese unless `lang=en`), `md`, `csv`, `json`. Errors are problem+json: 400 for a
/// malformed parameter (naming it), 404 when the region has no data, 422 when the data break table 三's identity
/// (naming the column and row).
public struct ReportPagesController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    let formula: EfficiencyFormula
    let supplements: AnnualReportSupplements

    /// Pages over `database`; `formula` grades the circular; `supplements` complete the annual reports.
    public init(database: PostgresClient, formula: EfficiencyFormula = EfficiencyFormula(), supplements: AnnualReportSupplements = AnnualReportSupplements()) {
        self.database = database
        self.formula = formula
        self.supplements = supplements
    }

    /// Mounts the dashboard pages and the public report on `router` (the router's authenticator applies, as on the API).
    public func addRoutes(to router: Router<Context>) {
        router.get("dashboard/reports/circular", use: circular)
        router.get("dashboard/reports/annual", use: dashboardAnnual)
        router.get("reports/annual/:region/:year", use: publicAnnual)
    }

    @Sendable func circular(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let region = try Self.region(q["region"].map(String.init))
        guard let text = q["month"].map(String.init), let month = CalendarMonth(text) else {
            throw Self.invalid("month must be YYYY-MM, e.g. 2025-06")
        }
        let (format, language) = try Self.formatAndLanguage(request)
        let report = try await Self.mapped { try await CircularBuilder(database: database, formula: formula).build(region: region, month: month) }
        let path = "/dashboard/reports/circular?region=\(region)&month=\(month)"
        return try Self.respond(try ReportRenderer.shared().render(report, as: format, language: language, links: Self.links(path, language)), format)
    }

    @Sendable func dashboardAnnual(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let region = try Self.region(q["region"].map(String.init))
        let year = try Self.year(q["year"].map(String.init))
        return try await annual(region: region, year: year, request, path: "/dashboard/reports/annual?region=\(region)&year=\(year)")
    }

    @Sendable func publicAnnual(request: Request, context: Context) async throws -> Response {
        let region = try Self.region(context.parameters.get("region"))
        let year = try Self.year(context.parameters.get("year"))
        return try await annual(region: region, year: year, request, path: "/reports/annual/\(region)/\(year)?")
    }

    private func annual(region: String, year: Int, _ request: Request, path: String) async throws -> Response {
        let (format, language) = try Self.formatAndLanguage(request)
        let report = try await Self.mapped {
            try await AnnualReportBuilder(database: database).build(region: region, year: year, supplement: supplements.supplement(region: region, year: year))
        }
        return try Self.respond(try ReportRenderer.shared().render(report, as: format, language: language, links: Self.links(path, language)), format)
    }

    /// Runs `body`, turning report errors into problems.
    static func mapped<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ReportError {
            switch error {
            case .invalidParameter: throw Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: error.description)
            case .noData: throw Problem(.notFound, code: "not-found", title: "Not Found", detail: error.description)
            case .identityBroken: throw Problem(.unprocessableContent, code: "report-identity-broken", title: "The data break the report's identity",
                                                detail: error.description)
            case .invalidSupplement: throw Problem(.unprocessableContent, code: "invalid-supplement", title: "Invalid annual report supplement",
                                                   detail: error.description)
            }
        }
    }

    static func respond(_ text: String, _ format: ReportFormat) -> Response {
        Response(status: .ok, headers: [.contentType: format.mediaType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Links to the other language and the other formats of the page at `path` (which ends with `?` or a query).
    static func links(_ path: String, _ language: ReportLanguage) -> [ReportLink] {
        let joiner = path.hasSuffix("?") ? "" : "&"
        let other: ReportLanguage = language == .chinese ? .english : .chinese
        var links = [ReportLink(label: other == .english ? "English" : "中文", href: "\(path)\(joiner)lang=\(other.rawValue)",
                                hreflang: other == .english ? "en" : "zh-CN")]
        let lang = language == .english ? "\(joiner)lang=en" : ""
        for (format, label) in [(ReportFormat.markdown, "Markdown"), (.csv, "CSV"), (.json, "JSON")] {
            let sep = lang.isEmpty ? joiner : "&"
            links.append(ReportLink(label: label, href: "\(path)\(lang)\(sep)format=\(format.rawValue)"))
        }
        return links
    }

    static func formatAndLanguage(_ request: Request) throws -> (ReportFormat, ReportLanguage) {
        let q = request.uri.queryParameters
        let format = try q["format"].map { text in
            guard let f = ReportFormat(parameter: String(text)) else { throw invalid("format must be one of html, md, csv, json") }
            return f
        } ?? .html
        let language = try q["lang"].map { text in
            guard let l = ReportLanguage(code: String(text)) else { throw invalid("lang must be zh or en") }
            return l
        } ?? .chinese
        return (format, language)
    }

    static func region(_ text: String?) throws -> String {
        guard let text else { throw invalid("region is required: a six-digit (China) or seven-digit (Canada) division code") }
        guard Region(text) != nil else {
            throw invalid("region must be a six-digit (China) or seven-digit (Canada) division code, not '\(text)'")
        }
        return text
    }

    static func year(_ text: String?) throws -> Int {
        guard let text, let year = reportYear(text) else { throw invalid("year must be four digits, e.g. 2025") }
        return year
    }

    static func invalid(_ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: detail)
    }
}
