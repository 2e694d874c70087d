import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections
import ChanceryScenario
import ChanceryServer
import Foundation
import Testing

/// The case metrics read from the monthly counts the projector keeps (migration 0024, ``CaseMonthCounts``) equal, as
/// JSON text, the old computation over every case row (``MetricsReference``) — for every grouping, period, region and
/// month range the API and the dashboard accept — while cases move between months, case types and figures: accepted in
/// one month and concluded in a later one, carded in between, rated and rectified afterwards, urged again after an
/// escalation, withdrawn while overdue, refused under an item whose case type is then revised. An upgraded database
/// (the migration's backfill) equals the counts kept batch by batch and a clean replay.
@Suite("Monthly case counts", .serialized, .timeLimit(.minutes(12)))
struct MonthlyCountsTests {
    static let event = Events.numbered

    /// The reference scenario's first events (January to about the end of March 2025, both districts), in three stages.
    static let scenario = Array(ReferenceScenario().events().prefix(15_000))
    static let stageEnds = [5_000, 10_000, 15_000]

    static func submitted(_ number: String, _ time: String, item: String = "430424XK001", department: String = "test") -> SubmittedEvent {
        event("case/430424/\(number)", 1, "CaseSubmitted", time,
              ["caseNumber": .string(number), "itemCode": .string(item), "departmentCode": .string(department), "applicantName": "王五"])
    }

    static func accepted(_ number: String, _ n: Int, _ time: String, limit: Int64, unit: String = "working-days") -> SubmittedEvent {
        event("case/430424/\(number)", n, "CaseAccepted", time,
              ["caseType": "promised", "promisedLimit": .integer(limit), "promisedLimitUnit": .string(unit), "statutoryLimit": 20])
    }

    /// Cases that move between the counts' rows, stage by stage (Hengdong, the test catalog's items).
    ///
    /// - MV-1: accepted in January with 5 working days, red-carded in February, concluded overdue in March, rated 5 (a
    ///   bad rating) in stage 2 and rectified in stage 3.
    /// - MV-2: urged in January to act by 01-09, nothing done, escalated by the supervisor (urge missed); urged again in
    ///   stage 3 — the escalation now concerns an earlier urge, so the latest urge is pending.
    /// - MV-3: accepted with 1 working day, overdue and red-carded while open; withdrawn in stage 3 (no longer open).
    /// - MV-4: refused at intake under item SO (no case type of its own: it counts under the item's); stage 3 revises the
    ///   item's case type to immediate, which moves it.
    /// - MV-5: submitted, accepted, decided and concluded within stage 2 (likely one batch).
    /// - MV-6: a promised limit in calendar days (no limit compression), concluded in stage 2.
    static func moving(stage: Int) -> [SubmittedEvent] {
        switch stage {
        case 1:
            return [
                submitted("MV-1", "2025-01-27T09:00:00+08:00"), accepted("MV-1", 2, "2025-01-27T10:00:00+08:00", limit: 5),
                submitted("MV-2", "2025-01-06T09:00:00+08:00"), accepted("MV-2", 2, "2025-01-06T10:00:00+08:00", limit: 15),
                event("case/430424/MV-2", 3, "CaseUrged", "2025-01-07T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "群众反映办理缓慢", "deadline": "2025-01-09"]),
                submitted("MV-3", "2025-01-06T09:30:00+08:00"), accepted("MV-3", 2, "2025-01-06T10:30:00+08:00", limit: 1),
                submitted("MV-4", "2025-01-08T09:00:00+08:00", item: "SO", department: "building"),
                event("case/430424/MV-4", 2, "CaseRefused", "2025-01-08T10:00:00+08:00", ["reason": "材料不齐"]),
                submitted("MV-6", "2025-01-09T09:00:00+08:00"), accepted("MV-6", 2, "2025-01-09T10:00:00+08:00", limit: 30, unit: "calendar-days"),
            ]
        case 2:
            return [
                event("case/430424/MV-1", 3, "CaseDecided", "2025-03-05T10:00:00+08:00", ["decision": "approved"]),
                event("case/430424/MV-1", 4, "CaseConcluded", "2025-03-05T11:00:00+08:00", [:]),
                event("case/430424/MV-1", 5, "CaseRated", "2025-03-06T11:00:00+08:00", ["satisfactionCode": 5]),
                submitted("MV-5", "2025-02-17T09:00:00+08:00"), accepted("MV-5", 2, "2025-02-17T10:00:00+08:00", limit: 3),
                event("case/430424/MV-5", 3, "CaseDecided", "2025-02-18T10:00:00+08:00", ["decision": "approved"]),
                event("case/430424/MV-5", 4, "CaseConcluded", "2025-02-18T11:00:00+08:00", [:]),
                event("case/430424/MV-6", 3, "CaseDecided", "2025-02-10T10:00:00+08:00", ["decision": "approved"]),
                event("case/430424/MV-6", 4, "CaseConcluded", "2025-02-10T11:00:00+08:00", [:]),
            ]
        default:
            return [
                event("case/430424/MV-1", 6, "BadRatingRectified", "2025-03-10T10:00:00+08:00", ["rectification": "回访说明"]),
                event("case/430424/MV-2", 4, "CaseUrged", "2025-03-20T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "再次督办", "deadline": "2025-12-31"]),
                event("case/430424/MV-3", 3, "CaseWithdrawn", "2025-03-20T10:00:00+08:00", ["reason": "申请人撤回"]),
                event("item/430424/SO", 2, "ItemRevised", "2025-03-20T09:00:00+08:00", ["reason": "办件类型调整", "caseType": "immediate"]),
            ]
        }
    }

    /// Month ranges of the `from`/`to` parameters (first days), as the API and the dashboard send them.
    static let ranges: [(String?, String?)] = [(nil, nil), ("2025-02-01", "2025-03-01"), ("2025-03-01", "2025-03-01"), ("2025-01-01", nil)]
    static let regions: [String?] = [nil, "430424", "430405"]

    /// Every grouping × period × region × range: the JSON of ``MetricsQueries/cases(groupBy:period:region:from:to:)``
    /// and of the reference must be the same text. Returns how many combinations were compared.
    static func compareWithReference(_ db: PostgresClient, stage: Int) async throws -> Int {
        let metrics = MetricsQueries(database: db)
        var compared = 0
        for grouping in MetricsQueries.Grouping.allCases {
            for period in MetricsQueries.Period.allCases {
                let sql = MetricsReference.casesSQL(keys: MetricsReference.groupings[grouping.rawValue]!, period: MetricsReference.periods[period.rawValue]!)
                for region in regions {
                    for (from, to) in ranges {
                        let counted = try await metrics.cases(groupBy: grouping, period: period, region: region, from: from, to: to)
                        let reference = try await db.query(PostgresQuery(unsafeSQL: sql, binds: [region, from, to, MetricsReference.periods[period.rawValue]!.field]))
                            .first?.decode(String.self, at: 0) ?? "[]"
                        #expect(counted == reference, "stage \(stage): groupBy \(grouping.rawValue), period \(period.rawValue), region \(region ?? "all"), \(from ?? "…")–\(to ?? "…")")
                        compared += 1
                    }
                }
            }
        }
        return compared
    }

    /// The three tables of the monthly counts, in key order.
    static let tables = [
        "SELECT * FROM approval.monthly_counts ORDER BY region, department_code, item_code, case_type, month",
        "SELECT * FROM approval.monthly_working_days ORDER BY region, department_code, item_code, case_type, month, working_days_used",
        "SELECT * FROM approval.monthly_limits ORDER BY region, department_code, item_code, case_type, month, statutory_limit, promised_limit",
    ]

    static func snapshot(_ db: PostgresClient) async throws -> [[[String?]]] {
        var out: [[[String?]]] = []
        for sql in tables { out.append(try await db.query(PostgresQuery(unsafeSQL: sql)).map(\.values)) }
        return out
    }

    /// Appends `events` while the projector and the supervisor run, then waits until both applied everything sent so
    /// far (`sent`, the test catalog's 3 items besides) and every alert the supervisor raised is projected.
    static func load(_ cluster: TestCluster, _ events: [SubmittedEvent], sent: [SubmittedEvent]) async throws {
        try await cluster.running([cluster.projector(batchSize: 500), cluster.supervisor(batchSize: 500)]) {
            var start = 0
            while start < events.count {
                _ = try await cluster.gateway.append(Array(events[start..<min(start + 2_000, events.count)]))
                start += 2_000
            }
            try await cluster.eventually("SELECT count(*) FROM audit.events WHERE type NOT LIKE 'gov.supervision.%'", equals: Int64(sent.count + 3))
            try await cluster.eventually(
                "SELECT count(*) FROM projection.stream_positions WHERE consumer_group = 'chancery-supervisor' AND stream NOT LIKE 'item/%'",
                equals: Int64(Set(sent.map(\.event.subject).filter { !$0.hasPrefix("item/") }).count))
            try await cluster.eventually(
                """
                SELECT (SELECT count(*) FROM projection.outbox) + (SELECT count(*) FROM audit.journal WHERE subject IS NOT NULL)
                       - (SELECT count(*) FROM audit.events)
                """, equals: 0)
        }
    }

    @Test("the metrics from the monthly counts equal the old computation over the case rows after every stage; recounting changes nothing")
    func equalToTheRows() async throws {
        try await TestCluster.with { cluster in
            let db = cluster.node.database
            var sent: [SubmittedEvent] = []
            var start = 0
            for (index, end) in Self.stageEnds.enumerated() {
                let stage = index + 1
                let events = Self.scenario[start..<end].map { SubmittedEvent(event: $0) } + Self.moving(stage: stage)
                sent += events
                start = end
                try await Self.load(cluster, events, sent: sent)
                #expect(try await Self.compareWithReference(db, stage: stage) == 4 * 4 * 3 * 4)
                let kept = try await Self.snapshot(db)
                try await CaseMonthCounts.recount(database: db)
                #expect(try await Self.snapshot(db) == kept, "stage \(stage): the counts kept batch by batch equal a recount from the rows")
            }
            // The comparison is not vacuous: the data has every kind of figure, and the moving cases moved.
            let totals = try await db.query(
                """
                SELECT sum(accepted), sum(refused), sum(concluded), sum(urges_missed), sum(bad_ratings_rectified), sum(yellow_cards), sum(red_cards),
                       (SELECT count(*) FROM approval.monthly_working_days), (SELECT count(*) FROM approval.monthly_limits)
                FROM approval.monthly_counts
                """)[0]
            for i in 0..<9 { #expect(try totals.decode(Int64.self, at: i) > 0, "figure \(i) of the totals") }
            let all = try JSONDecoder().decode(JSONValue.self, from: Data(
                try await MetricsQueries(database: db).cases(groupBy: .region, period: .all, region: "430424", from: nil, to: nil).utf8))
            #expect((all[0]?["overdueOpen"]?.integerValue ?? 0) > 0, "open cases with a red card: \(all)")
            #expect(all[0]?["limitCompression"]?.doubleValue != nil && all[0]?["p90WorkingDays"]?.doubleValue != nil, "\(all)")
            let mv = try await db.query(
                """
                SELECT string_agg(subject || ' ' || status || ' ' || coalesce(concluded_on::text, '-') || ' ' || coalesce(rectified_at IS NOT NULL, false)::text, '; '
                                  ORDER BY subject)
                FROM approval.cases WHERE subject LIKE 'case/430424/MV-%'
                """)[0].decode(String.self, at: 0)
            #expect(mv == "case/430424/MV-1 concluded 2025-03-05 true; case/430424/MV-2 accepted - false; case/430424/MV-3 withdrawn - false; "
                + "case/430424/MV-4 refused - false; case/430424/MV-5 concluded 2025-02-18 false; case/430424/MV-6 concluded 2025-02-10 false")
            let escalated = try await db.query(
                "SELECT count(*) FROM supervision.alerts WHERE id IN ('irregularity/urge-missed/case/430424/MV-2')")[0].decode(Int64.self, at: 0)
            #expect(escalated == 1, "MV-2's first urge was escalated")
            let red = try await db.query(
                "SELECT count(*) FROM supervision.alerts WHERE case_subject IN ('case/430424/MV-1', 'case/430424/MV-3') AND card = 'red'")[0].decode(Int64.self, at: 0)
            #expect(red >= 2, "MV-1 and MV-3 were red-carded")
        }
    }

    @Test("migration 0024 backfills an upgraded database to what the projector keeps and a clean replay builds")
    func upgradeEqualsReplay() async throws {
        try await TestCluster.with { cluster in
            let db = cluster.node.database
            let events = Self.scenario.prefix(8_000).map { SubmittedEvent(event: $0) } + Self.moving(stage: 1) + Self.moving(stage: 2)
            try await Self.load(cluster, events, sent: events)
            let kept = try await Self.snapshot(db)
            #expect(kept[0].count > 100, "monthly counts were kept")

            // As a database before 0024: no monthly counts, no view, no indexes of 0024; then the migration again.
            try await db.withConnection { connection in
                try await connection.executeScript(
                    """
                    DROP TABLE approval.monthly_counts, approval.monthly_working_days, approval.monthly_limits;
                    DROP VIEW approval.case_facts;
                    DROP INDEX supervision.alerts_id, approval.cases_open, supervision.case_clocks_red;
                    DELETE FROM public.schema_migrations WHERE version = 24;
                    """)
            }
            #expect(try await DatabaseMigrations.migrate(db) == [24])
            #expect(try await Self.snapshot(db) == kept, "the backfill equals the counts kept batch by batch")

            let clean = try await TestDatabase.create()
            let cleanClient = PostgresClient(url: clean.url, maxConnections: 2, logger: cluster.logger)
            _ = try await DatabaseMigrations.migrate(cleanClient)
            let logged = try await db.query("SELECT count(*) FROM audit.events")[0].decode(Int64.self, at: 0)
            try await cluster.running([cluster.projector(batchSize: 300, database: cleanClient)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: logged, on: cleanClient)
            }
            let replayed = try await Self.snapshot(cleanClient)
            await cleanClient.shutdown()
            await clean.drop()
            #expect(replayed == kept, "a clean replay (other batches) builds the same counts")
        }
    }
}
