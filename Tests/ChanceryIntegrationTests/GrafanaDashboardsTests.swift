import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryPostgres
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// The Grafana dashboards of infra/grafana/dashboards/ (issue 12): valid JSON with the fields Grafana needs, every
/// panel on the provisioned data source (infra/grafana/provisioning/datasources/chancery.yaml, uid `chancery-postgres`),
/// and every panel's SQL, with Grafana's macros and the `region` variable replaced, planned (EXPLAIN) and run by
/// PostgreSQL against the migrated read-model schema.
@Suite("Grafana dashboards", .serialized, .timeLimit(.minutes(3)))
struct GrafanaDashboardsTests {
    static let grafana = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("infra/grafana")
    static let names = ["overview", "ranking", "alerts"]

    struct Panel {
        var dashboard: String
        var title: String
        var sql: String
    }

    static func dashboard(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: grafana.appendingPathComponent("dashboards/\(name).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name).json is not a JSON object")
    }

    static func panels() throws -> [Panel] {
        var out: [Panel] = []
        for name in names {
            let d = try dashboard(name)
            for p in d["panels"] as? [[String: Any]] ?? [] {
                for t in p["targets"] as? [[String: Any]] ?? [] {
                    out.append(Panel(dashboard: name, title: p["title"] as? String ?? "?", sql: t["rawSql"] as? String ?? ""))
                }
            }
        }
        return out
    }

    /// `sql` with Grafana's PostgreSQL macros (https://grafana.com/docs/grafana/latest/datasources/postgres/query-editor/#macros)
    /// and the dashboard variable replaced as Grafana would for the range 2025-01-01 … 2026-12-31 and region 430424.
    static func expand(_ sql: String) throws -> String {
        let from = "'2025-01-01T00:00:00Z'::timestamptz", to = "'2026-12-31T00:00:00Z'::timestamptz"
        var s = sql
        for (pattern, template) in [
            (#"\$__timeFilter\(([^)]*)\)"#, "($1 BETWEEN \(from) AND \(to))"),
            (#"\$__timeGroupAlias\(([^,]*),[^)]*\)"#, "date_trunc('day', $1) AS \"time\""),
            (#"\$__timeGroup\(([^,]*),[^)]*\)"#, "date_trunc('day', $1)"),
            (#"\$__timeFrom\(\)"#, from), (#"\$__timeTo\(\)"#, to), (#"\$region\b"#, "'430424'"),
        ] {
            let regex = try NSRegularExpression(pattern: pattern)
            // The templates hold no `\\` and no `$` but the group reference `$1`.
            s = regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        return s
    }

    @Test("each dashboard is valid JSON with a uid, a title, panels on the provisioned data source and a region variable")
    func structure() throws {
        let provisioning = try String(contentsOf: Self.grafana.appendingPathComponent("provisioning/datasources/chancery.yaml"), encoding: .utf8)
        #expect(provisioning.contains("uid: chancery-postgres"))
        #expect(provisioning.contains("type: postgres"))
        var uids: Set<String> = []
        for name in Self.names {
            let d = try Self.dashboard(name)
            let uid = try #require(d["uid"] as? String)
            uids.insert(uid)
            #expect((d["title"] as? String)?.isEmpty == false)
            let panels = try #require(d["panels"] as? [[String: Any]])
            #expect(panels.count >= 3, "\(name)")
            #expect(Set(panels.compactMap { $0["id"] as? Int }).count == panels.count, "\(name): panel ids are unique")
            for p in panels {
                #expect((p["datasource"] as? [String: Any])?["uid"] as? String == "chancery-postgres", "\(name): \(p["title"] ?? "?")")
                #expect((p["targets"] as? [[String: Any]])?.first?["rawSql"] is String, "\(name): \(p["title"] ?? "?")")
            }
            let variables = (d["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
            #expect(variables.contains { $0["name"] as? String == "region" }, "\(name)")
        }
        #expect(uids.count == Self.names.count)
    }

    @Test("the macros are replaced the way Grafana expands them")
    func expansion() throws {
        let sql = try Self.expand("SELECT $__timeGroupAlias(raised_at, '1d'), x FROM t WHERE $__timeFilter(c.raised_at) AND region IN ($region) AND d < $__timeTo()::date")
        #expect(sql == "SELECT date_trunc('day', raised_at) AS \"time\", x FROM t WHERE (c.raised_at BETWEEN '2025-01-01T00:00:00Z'::timestamptz AND '2026-12-31T00:00:00Z'::timestamptz) AND region IN ('430424') AND d < '2026-12-31T00:00:00Z'::timestamptz::date")
    }

    @Test("every panel's SQL is planned and runs against the migrated read models")
    func queriesRun() async throws {
        let panels = try Self.panels()
        #expect(panels.count >= 15)
        try await TestCluster.with(seedCatalog: false) { cluster in
            for panel in panels {
                let sql = try Self.expand(panel.sql)
                #expect(!sql.contains("$"), "\(panel.dashboard) / \(panel.title): a macro or variable left: \(sql)")
                do {
                    let plan = try await cluster.node.database.query(PostgresQuery(unsafeSQL: "EXPLAIN " + sql))
                    #expect(!plan.isEmpty)
                    _ = try await cluster.node.database.query(PostgresQuery(unsafeSQL: sql))
                } catch {
                    Issue.record("\(panel.dashboard) / \(panel.title): \(error)\n\(sql)")
                }
            }
        }
    }
}
