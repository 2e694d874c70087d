import ChanceryPostgres
import ChanceryReports
import Hummingbird

/// `GET /v1/reports/annual[?region=R]` — public JSON: the years an annual disclosure report is available for, per region,
/// with the path of each public report (`/reports/annual/{region}/{year}`, ``ReportPagesController``): every year from the
/// first to the last with a disclosure request received, a document published or a case submitted, and every year with
/// a supplement. A malformed `region` is 400 `invalid-parameter`.
public struct ReportsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient
    let supplements: AnnualReportSupplements

    /// The listing over `database` and the supplements' years.
    public init(database: PostgresClient, supplements: AnnualReportSupplements = AnnualReportSupplements()) {
        self.database = database
        self.supplements = supplements
    }

    /// Mounts `GET reports/annual` on the `v1` group.
    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("reports/annual", use: availableYears)
    }

    @Sendable func availableYears(request: Request, context: Context) async throws -> Response {
        let region = try request.uri.queryParameters["region"].map { try ReportPagesController.region(String($0)) }
        let years = try await AnnualReportBuilder(database: database).availableYears(region: region, supplements: supplements)
        struct Entry: Encodable {
            var region: String
            var years: [Int]
            var links: [String: String]
        }
        struct Answer: Encodable { var regions: [Entry] }
        let answer = Answer(regions: years.map { entry in
            Entry(region: entry.region, years: entry.years,
                  links: Dictionary(uniqueKeysWithValues: entry.years.map { (String($0), "/reports/annual/\(entry.region)/\($0)") }))
        })
        return try JSONResponse.make(answer)
    }
}
