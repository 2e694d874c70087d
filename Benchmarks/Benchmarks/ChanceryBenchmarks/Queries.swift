import Benchmark
import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import Foundation

/// P5: the dashboard's queries with 1,000,000 cases. The reference scenario is projected into a new database, then its
/// case rows (and the alerts about them) are copied with new subjects until the county holds 1,000,000 cases — the
/// same shapes and dates, so the plans are those of a county a hundred times Hengdong's size. Each query of the
/// dashboard's pages and of `/v1/metrics/*` (``MetricsQueries``, shared by both) runs 20 times; the figure is the worst
/// query's p99. The plans (`EXPLAIN (ANALYZE, BUFFERS)`) go to `.data/bench/p5-plans.txt`.
enum DashboardQueriesAtScale {
    static let cases = 1_000_000
    static let runs = 20
    static let region = "430424"

    /// Copies `approval.cases` and the alerts about cases with new subjects until there are at least `cases` cases (one
    /// `INSERT … SELECT` per table over its own columns, the subject and its references suffixed `~n`), then `ANALYZE`.
    static func scale(_ db: PostgresClient) async throws -> Int {
        let existing = try await db.query("SELECT count(*) FROM approval.cases")[0].decode(Int64.self, at: 0)
        let copies = max(0, (cases + Int(existing) - 1) / Int(max(existing, 1)) - 1)
        try await copy(table: "approval.cases", renaming: ["subject", "case_number"], where: "TRUE", copies: copies, on: db)
        try await copy(table: "supervision.alerts", renaming: ["subject", "id", "case_subject"], where: "case_subject LIKE 'case/%'",
                       copies: copies, on: db)
        _ = try await db.execute("ANALYZE")
        return Int(try await db.query("SELECT count(*) FROM approval.cases")[0].decode(Int64.self, at: 0))
    }

    /// `INSERT INTO table SELECT … FROM table, generate_series(1, copies)`, the `renaming` columns suffixed `~n`.
    private static func copy(table: String, renaming: Set<String>, where condition: String, copies: Int, on db: PostgresClient) async throws {
        let parts = table.split(separator: ".").map(String.init)
        let columns = try await db.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = \(parts[0]) AND table_name = \(parts[1]) ORDER BY ordinal_position").map { try $0.decode(String.self, at: 0) }
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let select = columns.map { renaming.contains($0) ? "t.\"\($0)\" || '~' || n" : "t.\"\($0)\"" }.joined(separator: ", ")
        _ = try await db.execute("INSERT INTO \(unescaped: table) (\(unescaped: list)) SELECT \(unescaped: select) FROM \(unescaped: table) t, generate_series(1, \(Int64(copies))::int) n WHERE \(unescaped: condition)")
    }

    /// The queries of the dashboard's pages and the metrics API, by name.
    static func queries(_ metrics: MetricsQueries) -> [(String, @Sendable () async throws -> Void)] {
        [
            ("overview: cases by region and month, 2025", { _ = try await metrics.cases(groupBy: .region, period: .month, region: region, from: "2025-01-01", to: "2025-12-01") }),
            ("departments: cases by department and month, 2025", { _ = try await metrics.cases(groupBy: .department, period: .month, region: region, from: "2025-01-01", to: "2025-12-01") }),
            ("items: cases by item, the year", { _ = try await metrics.cases(groupBy: .item, period: .year, region: region, from: "2025-01-01", to: "2025-12-01") }),
            ("ranking: departments of a quarter", { _ = try await metrics.ranking(region: region, quarterStart: "2025-07-01", formula: EfficiencyFormula()) }),
            ("interactions by month", { _ = try await metrics.interactions(period: .month, region: region, from: "2025-01-01", to: "2025-12-01") }),
        ]
    }
}

func queryBenchmarks() {
    Benchmark("P5: the dashboard's queries with 1,000,000 cases",
              configuration: Benchmark.Configuration(metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 0,
                                                     maxDuration: .seconds(900), maxIterations: 1)) { (benchmark: Benchmark, filled: FilledBroker) async in
        do {
            let (db, _, _) = try await runConsumer(benchmark, filled, group: ReadModelProjector.consumerGroup, topics: TopicNames().allCanonical,
                                                   handler: ReadModelProjector(calendars: filled.calendars))
            do {
                let count = try await DashboardQueriesAtScale.scale(db.client)
                let metrics = MetricsQueries(database: db.client)
                var worst: (name: String, p99: Double) = ("", 0)
                var report = "P5: \(count) cases in approval.cases\n"
                for (name, query) in DashboardQueriesAtScale.queries(metrics) {
                    try await query()  // warm the cache once
                    var times: [Double] = []
                    for _ in 0..<DashboardQueriesAtScale.runs {
                        let start = ContinuousClock.now
                        try await query()
                        times.append(seconds(ContinuousClock.now - start) * 1000)
                    }
                    times.sort()
                    let p99 = times[min(times.count - 1, Int((Double(times.count) * 0.99).rounded(.up)) - 1)]
                    report += String(format: "%@: p50 %.1f ms, p99 %.1f ms\n", name, times[times.count / 2], p99)
                    if p99 > worst.p99 { worst = (name, p99) }
                }
                report += "\n" + (try await metrics.explainCases(groupBy: .department, period: .month, region: DashboardQueriesAtScale.region,
                                                                 from: "2025-01-01", to: "2025-12-01")) + "\n"
                FileHandle.standardError.write(Data(report.utf8))
                if let dir = ProcessInfo.processInfo.environment[Figure.fileKey].map({ URL(fileURLWithPath: $0).deletingLastPathComponent() }) {
                    try? report.write(to: dir.appendingPathComponent("p5-plans.txt"), atomically: true, encoding: .utf8)
                }
                Figure(id: "P5", figure: "the dashboard's queries with \(count) cases, worst p99 (\(worst.name))", value: worst.p99, unit: "ms",
                       goal: "≤ 20 ms", met: worst.p99 <= 20).record()
            } catch {
                await db.drop()
                throw error
            }
            await db.drop()
        } catch {
            benchmark.error("P5 run failed: \(error)")
        }
    } setup: {
        try await FilledBroker.make()
    }
}
