import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryServer
import ChanceryPostgres
import ChanceryRuntime
import ChanceryScenario
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// SCENARIO.md: every reference figure comes out of the read models exactly, after the whole scenario
/// has gone through the HTTP door, the gateway, Kafka, the projector and the supervisor.
@Suite("Reference scenario", .serialized, .timeLimit(.minutes(10)))
struct ScenarioFiguresTests {
    @Test("the read models reproduce every figure of SCENARIO.md")
    func figures() async throws {
        // 32 partitions per topic, as `make run`: the embedded broker keeps 5 MiB of each, and the whole history must fit.
        try await TestCluster.with(seedCatalog: false, configure: { $0.partitions = 32 }) { cluster in
            let events = ReferenceScenario().events()
            let figures = ReferenceScenario.expectedFigures
            try await cluster.loadThroughHTTP(events, seconds: 400) {
                try await cluster.eventually(
                    """
                    SELECT (SELECT count(yellow_alert_id) + count(red_alert_id) + coalesce(sum(cardinality(step_alert_ids)), 0) FROM supervision.case_clocks
                            WHERE resolved_on IS NOT NULL)
                         + (SELECT count(yellow_alert_id) + count(red_alert_id) FROM supervision.reply_clocks WHERE answered_on IS NOT NULL)
                         - (SELECT count(*) FROM supervision.alerts WHERE resolved_at IS NOT NULL)
                    """, equals: 0, seconds: 120)
            }
            let db = cluster.node.database
            func count(_ sql: String) async throws -> Int {
                Int(try await db.query(PostgresQuery(unsafeSQL: sql)).first?.decode(Int64.self, at: 0) ?? -1)
            }
            // Zhuhui district.
            let z = figures.zhuhui
            #expect(try await count("SELECT count(reported_at) FROM disclosure.documents WHERE region = '430405'") == 471)
            #expect(z.documentsReported == 471)
            let byCategory = try await db.query("SELECT category, reported FROM disclosure.catalog_by_category WHERE region = '430405'")
            var categories: [String: Int] = [:]
            for r in byCategory { categories[try r.decode(String.self, at: 0)] = Int(try r.decode(Int64.self, at: 1)) }
            #expect(categories == z.documentsByCategory)
            #expect(categories.count == 12)
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430405'") == 66)
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430405' AND item_kind = 'licensing'") == 59)
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430405' AND item_kind = 'non-licensing-approval'") == 7)
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430405' AND case_type = 'reported-upward'") == 16)
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430405' AND case_type = 'joint'") == 1)
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430405' AND confirmed_at::date BETWEEN '2025-10-19' AND '2025-11-13'") == 66)
            #expect(try await count("SELECT count(DISTINCT department_code) FROM disclosure.documents WHERE region = '430405'") == z.disclosingDepartments)
            #expect(try await count("SELECT count(*) FROM disclosure.requests WHERE region = '430405'") == 1)
            #expect(try await count("SELECT count(*) FROM disclosure.requests WHERE region = '430405' AND outcome = 'disclosed'") == 1)
            // Hengdong county.
            #expect(try await count("SELECT count(*) FROM catalog.items WHERE region = '430424'") == 313)
            #expect(try await count("SELECT count(DISTINCT department_code) FROM catalog.items WHERE region = '430424'") == 40)
            #expect(try await count("SELECT count(*) FROM approval.cases WHERE region = '430424' AND accepted_on BETWEEN '2025-01-01' AND '2025-10-31'") == 9_541)
            #expect(try await count("SELECT count(*) FROM approval.cases WHERE region = '430424' AND concluded_on BETWEEN '2025-01-01' AND '2025-10-31'") == 7_766)
            #expect(try await count("SELECT sum(accepted) FROM approval.daily_counts WHERE region = '430424' AND day BETWEEN '2025-01-01' AND '2025-10-31'") == 9_541)
            #expect(try await count("SELECT sum(accepted)::bigint FROM supervision.department_monthly_metrics WHERE region = '430424' AND month BETWEEN '2025-01-01' AND '2025-10-01'") == 9_541)
            // The supervisor's view agrees with the projector's, and red cards were raised for late cases.
            #expect(try await count(
                "SELECT count(*) FROM approval.cases c JOIN supervision.case_clocks s USING (subject) WHERE c.outcome IS DISTINCT FROM s.outcome OR c.working_days_used IS DISTINCT FROM s.working_days_used AND c.status = 'concluded'") == 0)
            let overdue = try await count("SELECT count(*) FROM approval.cases WHERE outcome = 'overdue'")
            #expect(overdue > 0)
            #expect(try await count("SELECT count(*) FROM approval.cases WHERE outcome = 'early'") > 0)
            #expect(try await count("SELECT count(*) FROM approval.cases WHERE outcome = 'on-time'") > 0)
            #expect(try await count("SELECT count(*) FROM supervision.alerts WHERE card = 'red'") >= overdue)
            #expect(try await count("SELECT count(*) FROM audit.quarantine") == 0)
            // Every metric and card has non-trivial values.
            for (sql, what) in [
                ("SELECT count(*) FROM supervision.alerts WHERE alert_type = 'DeadlineWarningRaised'", "yellow cards"),
                ("SELECT count(*) FROM supervision.alerts WHERE alert_type = 'DeadlineBreached'", "red cards"),
                ("SELECT count(*) FROM supervision.alerts WHERE alert_type = 'IrregularityFlagged' AND irregularity_kind = 'skipped-step'", "decisions without review"),
                ("SELECT count(*) FROM supervision.alerts WHERE resolved_at IS NOT NULL", "resolved cards"),
                ("SELECT count(*) FROM supervision.alerts WHERE step IS NOT NULL", "steps past their own limits"),
                ("SELECT count(*) FROM supervision.alerts WHERE case_subject LIKE 'letter/%' OR case_subject LIKE 'request/%'", "cards on letters and requests"),
                ("SELECT count(*) FROM supervision.case_clocks WHERE jsonb_array_length(coalesce(clock -> 'specialProcedures', '[]')) > 0", "special procedures on the clock"),
                ("SELECT count(*) FROM approval.cases WHERE urges > 0", "urged cases"),
                ("SELECT count(*) FROM approval.cases WHERE urges > 0 AND urge_met", "urged cases whose latest urge was met"),
                ("""
                 SELECT count(*) FROM approval.cases c JOIN supervision.alerts a ON a.id = 'irregularity/urge-missed/' || c.subject
                 WHERE c.urges > 0 AND NOT c.urge_met AND a.raised_at >= c.urged_at
                 """, "urged cases whose latest urge was missed (escalated)"),
                ("SELECT count(*) FROM interaction.letters WHERE urges > 0 AND urge_met", "urged letters whose latest urge was met"),
                ("SELECT count(*) FROM approval.cases WHERE withdrawn_at IS NOT NULL", "withdrawn cases"),
                ("SELECT count(*) FROM approval.cases WHERE satisfaction_code >= 4 AND rectified_in_time", "bad ratings rectified in time"),
                ("SELECT count(*) FROM approval.cases WHERE statutory_limit > promised_limit", "limit compression"),
                ("SELECT count(*) FROM interaction.letters WHERE replied_in_time AND transfers > 0 AND extension_limit IS NOT NULL", "letters transferred, extended, replied in time"),
                ("SELECT count(*) FROM disclosure.requests WHERE answered_in_time IS NOT NULL", "disclosure replies judged in time or not"),
            ] {
                #expect(try await count(sql) > 0, "\(what)")
            }
            // The urge outcomes of /v1/metrics: Hengdong has urges met and missed (escalated), and met, missed and pending
            // add up to the urged cases; its urged letters' urges were met.
            try await cluster.application().test(.router) { client in
                let cases = try #require(try await client.read("/v1/metrics/cases?groupBy=region&period=all&region=430424").json["rows"]?[0])
                let (urged, met, missed, pending) = (cases["urged"]?.integerValue ?? -1, cases["urgesMet"]?.integerValue ?? -1,
                                                     cases["urgesMissed"]?.integerValue ?? -1, cases["urgesPending"]?.integerValue ?? -1)
                #expect(met > 0 && missed > 0 && pending >= 0 && met + missed + pending == urged, "\(cases)")
                let letters = try #require(try await client.read("/v1/metrics/interactions?period=all&region=430424").json["rows"]?.arrayValue?
                    .first { $0["kind"] == "letter" })
                #expect((letters["urgesMet"]?.integerValue ?? 0) > 0, "\(letters)")
            }
            // SCENARIO.md's targets for Hengdong: consultations and complaints replied in time 100 %, satisfaction ≥ 80 %.
            #expect(try await count("SELECT count(*) FROM interaction.consultations WHERE NOT coalesce(replied_in_time, false)") == 0)
            #expect(try await count("SELECT count(*) FROM interaction.complaints WHERE NOT coalesce(replied_in_time, false)") == 0)
            #expect(try await count(
                "SELECT round(100.0 * count(*) FILTER (WHERE satisfaction_code <= 3) / count(*))::int FROM approval.cases WHERE region = '430424' AND satisfaction_code IS NOT NULL") >= 80)
            // Every published type went through the gateway (the supervision types are the supervisor's own), and the
            // disclosure challenges sit on the city's request, not on the districts'.
            let publishedTypes = EventCatalog.all.filter { !$0.type.hasPrefix("gov.supervision.") }.count
            #expect(try await count("SELECT count(DISTINCT type) FROM audit.events WHERE type NOT LIKE 'gov.supervision.%'") == publishedTypes)
            #expect(try await count("SELECT count(*) FROM disclosure.requests WHERE region = '430400'") == 1)
            #expect(try await count(
                "SELECT count(*) FROM audit.events WHERE type LIKE 'gov.disclosure.request.reconsideration.%' OR type LIKE 'gov.disclosure.request.litigation.%'") == 4)
            #expect(try await count(
                "SELECT count(*) FROM audit.events WHERE region <> '430400' AND (type LIKE 'gov.disclosure.request.reconsideration.%' OR type LIKE 'gov.disclosure.request.litigation.%')") == 0)
            // History is complete: every canonical partition reads from offset 0, in this broker and in a new one
            // seeded from the journal (a restart), with the same records.
            let journaled = try await cluster.node.database.query(
                "SELECT count(*) FROM audit.journal WHERE subject IS NOT NULL")[0].decode(Int64.self, at: 0)
            #expect(journaled >= Int64(events.count))
            try await Self.expectCompleteHistory(cluster, records: journaled, exact: false)
            let restarted = try await TestCluster.start(database: cluster.database, seedCatalog: false, configure: { $0.partitions = 32 })
            do {
                try await Self.expectCompleteHistory(restarted, records: journaled, exact: true)
            } catch {
                await restarted.stopKeepingDatabase()
                throw error
            }
            await restarted.stopKeepingDatabase()
        }
    }

    /// Every partition of every canonical topic starts at offset 0 and together they hold `records` records (at least,
    /// when not `exact`: a broker that saw retried transactions keeps their aborted copies too).
    static func expectCompleteHistory(_ cluster: TestCluster, records: Int64, exact: Bool) async throws {
        let admin = try KafkaAdmin(configuration: .init(bootstrapServers: cluster.node.bootstrapServers), logger: cluster.logger)
        defer { admin.shutdown() }
        var total: Int64 = 0
        var truncated: [String] = []
        for topic in cluster.node.topics.allCanonical {
            for p in 0..<Int32(32) {
                let marks = try await admin.watermarks(.init(topic: topic, partition: p))
                if marks.low != 0 { truncated.append("\(topic)/\(p)") }
                total += marks.high
            }
        }
        #expect(truncated.isEmpty, "partitions that lost their oldest records: \(truncated)")
        if exact { #expect(total == records) } else { #expect(total >= records) }
    }
}
