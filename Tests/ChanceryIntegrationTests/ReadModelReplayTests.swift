import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Point-in-time replay and `verify --read-models` (issue 11; README "Auditors"): read models rebuilt from the journal
/// into schemas of their own, read through the read API's `replay` parameter, compared table by table.
@Suite("Read-model replays", .serialized, .timeLimit(.minutes(5)))
struct ReadModelReplayTests {
    /// The cutoff of the replay: the end of 30 June 2025 in Hengdong.
    static let cutoff = "2025-06-30T23:59:59+08:00"

    /// 36 cases of Hengdong (430424), one accepted each day from 16 June 2025 (so half before the cutoff, half after),
    /// every third of department `building` (item SO), the others of `test` (item 430424XK001); every other case is
    /// decided and concluded three days after its acceptance.
    static func cases() -> [[SubmittedEvent]] {
        let start = try! RFC3339Timestamp(parsing: "2025-06-16T00:00:00+08:00").epochSeconds
        return (0..<36).map { i in
            let n = String(format: "R-%03d", i)
            let subject = "case/430424/\(n)"
            let (item, department) = i % 3 == 0 ? ("SO", "building") : ("430424XK001", "test")
            func at(_ day: Int, _ hour: Int) -> String {
                RFC3339Timestamp(epochSeconds: start + Int64((i + day) * 86_400 + hour * 3_600), offsetSeconds: 8 * 3_600).description
            }
            var events = [
                Events.numbered(subject, 1, "CaseSubmitted", at(0, 9),
                                ["caseNumber": .string(n), "itemCode": .string(item), "departmentCode": .string(department), "applicantName": "李四"]),
                Events.numbered(subject, 2, "CaseAccepted", at(0, 10),
                                ["caseType": "promised", "promisedLimit": 5, "promisedLimitUnit": "working-days", "statutoryLimit": 20]),
            ]
            if i % 2 == 0 {
                events.append(Events.numbered(subject, 3, "CaseDecided", at(3, 10), ["decision": "approved"]))
                events.append(Events.numbered(subject, 4, "CaseConcluded", at(3, 11), [:]))
            }
            return events
        }
    }

    /// What the read models must say as of ``cutoff``, computed from the events alone (not by Chancery's projector).
    struct Figures: Equatable {
        var submitted = 0
        var accepted = 0
        var concluded = 0
        var open: Int { accepted - concluded }
        var acceptedByDepartment: [String: Int] = [:]
    }

    static func expected(_ cases: [[SubmittedEvent]]) throws -> Figures {
        let cutoff = try RFC3339Timestamp(parsing: Self.cutoff)
        var figures = Figures()
        for events in cases {
            let kept = events.prefix { !(cutoff < (try! RFC3339Timestamp(parsing: $0.event.time))) }
            let department = events[0].event.data["departmentCode"]?.stringValue ?? "?"
            if !kept.isEmpty { figures.submitted += 1 }
            if kept.contains(where: { $0.event.type == EventCatalog.named("CaseAccepted").type }) {
                figures.accepted += 1
                figures.acceptedByDepartment[department, default: 0] += 1
            }
            if kept.contains(where: { $0.event.type == EventCatalog.named("CaseConcluded").type }) { figures.concluded += 1 }
        }
        return figures
    }

    /// The same figures as the replay's read models hold them (its schemas, through its route).
    static func replayed(_ name: String, _ database: PostgresClient) async throws -> Figures {
        let namespace = try ReadModelNamespace(name)
        return try await PostgresSchemaRoute.$current.withValue(namespace.route) {
            var figures = Figures()
            for row in try await database.query(
                "SELECT department_code, count(accepted_at), count(concluded_at), count(*) FROM approval.cases GROUP BY 1 ORDER BY 1") {
                let accepted = Int(try row.decode(Int64.self, at: 1))
                figures.submitted += Int(try row.decode(Int64.self, at: 3))
                figures.accepted += accepted
                figures.concluded += Int(try row.decode(Int64.self, at: 2))
                if accepted > 0 { figures.acceptedByDepartment[try row.decode(String.self, at: 0)] = accepted }
            }
            return figures
        }
    }

    /// Waits until the supervisor has seen every case and the projector has applied every event of the journal,
    /// the supervisor's cards included (none left in the outbox).
    static func settle(_ cluster: TestCluster, cases: Int) async throws {
        try await cluster.eventually(
            "SELECT count(*) FROM projection.stream_positions WHERE consumer_group = 'chancery-supervisor'", equals: Int64(cases))
        try await cluster.eventually(
            """
            SELECT (SELECT count(*) FROM projection.outbox) + (SELECT count(*) FROM audit.journal WHERE subject IS NOT NULL)
                   - (SELECT count(*) FROM audit.events)
            """, equals: 0)
    }

    @Test("replay as of 30 June 2025 gives that date's counts (twice, identically); the API reads it with ?replay=; verify --read-models names a row edited by hand")
    func replayAndVerify() async throws {
        try await TestCluster.with { cluster in
            let cases = Self.cases()
            _ = try await cluster.gateway.append(cases.flatMap { $0 })
            let db = cluster.node.database
            try await cluster.running([cluster.projector(), cluster.supervisor()]) {
                try await cluster.eventually("SELECT count(*) FROM approval.cases", equals: Int64(cases.count))
                try await Self.settle(cluster, cases: cases.count)
            }
            let consumers = try ReadModelConsumers.live(topics: cluster.node.topics, logger: cluster.logger)
            let cutoff = ReplayCutoff(instant: try RFC3339Timestamp(parsing: Self.cutoff), by: .business)

            // Two replays as of the cutoff: the figures computed from the events, and identical content.
            for name in ["june30", "june30_again"] {
                let namespace = try ReadModelNamespace(name)
                try await ReadModelBuilds.create(namespace, purpose: .replay, cutoff: cutoff, replace: false, migrations: try DatabaseMigrations.all(), database: db)
                let summary = try await JournalReplay(database: db, namespace: namespace, consumers: consumers, cutoff: cutoff, chunk: 25).run()
                try await ReadModelBuilds.record(namespace, lastPosition: summary.lastPosition, events: Int64(summary.events), finished: true, database: db)
                #expect(summary.afterCutoff > 0 && summary.events > 0)
            }
            let expected = try Self.expected(cases)
            #expect(expected.submitted < cases.count && expected.concluded > 0 && expected.open > 0, "the cutoff splits the cases")
            #expect(try await Self.replayed("june30", db) == expected)
            let twice = try await ReadModelComparison.compare(try ReadModelNamespace("june30"), try ReadModelNamespace("june30_again"), database: db)
            #expect(twice.equal, "two replays differ: \(twice.differing.map(\.table))")
            #expect(twice.tables.first { $0.table == "approval.cases" }?.rightRows == Int64(expected.submitted))
            // The live read models are untouched: every case is there.
            #expect(try await db.query("SELECT count(*) FROM approval.cases").first?.decode(Int64.self, at: 0) == Int64(cases.count))

            // The read API reads the replay with ?replay=; a malformed name (or a live schema's) is 400, a well-formed name
            // of no replay 404, both problem+json.
            try await cluster.application().test(.router) { client in
                let metrics = try await client.read("/v1/metrics/cases?groupBy=department&period=all&replay=june30")
                #expect(metrics.status == .ok)
                var accepted: [String: Int] = [:]
                for row in metrics.json["rows"]?.arrayValue ?? [] {
                    accepted[row["departmentCode"]?.stringValue ?? "?"] = Int(row["accepted"]?.integerValue ?? -1)
                }
                #expect(accepted == expected.acceptedByDepartment)
                let list = try await client.read("/v1/cases?limit=500&replay=june30")
                #expect(list.status == .ok)
                #expect(list.json["cases"]?.arrayValue?.count == expected.submitted, "cases submitted by the cutoff")
                let csv = try await client.execute(uri: "/v1/cases?replay=june30", method: .get,
                                                   headers: [.authorization: "Bearer \(TestTokens.analyst.text)", .accept: "text/csv"])
                #expect(String(buffer: csv.body).split(separator: "\r\n").count == 1 + expected.submitted, "the streamed CSV reads the replay too")
                let live = try await client.read("/v1/cases?limit=500")
                #expect(live.json["cases"]?.arrayValue?.count == cases.count)
                for bad in ["Robert'); DROP TABLE x;--", "approval", "public"] {
                    let answer = try await client.read("/v1/cases?replay=\(bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
                    #expect(answer.status == .badRequest, "replay=\(bad)")
                    #expect(answer.headers[.contentType] == "application/problem+json")
                    #expect(answer.json["type"]?.stringValue == "/problems/invalid-parameter")
                }
                let missing = try await client.read("/v1/cases?replay=nosuch")
                #expect(missing.status == .notFound)
                #expect(missing.headers[.contentType] == "application/problem+json")
                #expect(missing.json["type"]?.stringValue == "/problems/not-found")
                // … after the handler's own checks: without the token the list needs, it is 401 as without the parameter.
                let anonymous = try await client.read("/v1/cases?replay=nosuch", token: nil)
                #expect(anonymous.status == .unauthorized)
            }

            // verify --read-models: a shadow rebuilt from the whole log equals the live read models …
            let shadow = try ReadModelNamespace("shadow")
            try await ReadModelBuilds.create(shadow, purpose: .shadow, cutoff: nil, replace: false, migrations: try DatabaseMigrations.all(), database: db)
            #expect(try await ReadModelLag.behind(consumers, through: try await JournalReplay.journalEnd(database: db), database: db).isEmpty)
            _ = try await JournalReplay(database: db, namespace: shadow, consumers: consumers, cutoff: nil).run()
            let clean = try await ReadModelComparison.compare(nil, shadow, database: db)
            #expect(clean.equal, "live and rebuilt differ: \(clean.differing.map { "\($0.table) \($0.differences)" })")
            // … until a row is edited by hand: the table and the key are named.
            try await db.execute("UPDATE approval.cases SET status = 'refused' WHERE subject = 'case/430424/R-007'")
            let tampered = try await ReadModelComparison.compare(nil, shadow, database: db)
            #expect(!tampered.equal)
            #expect(tampered.differing.map(\.table) == ["approval.cases"])
            #expect(tampered.differing.first?.differences == [ReadModelComparison.Difference(key: "(case/430424/R-007)", kind: "changed")])
            try await db.execute("DELETE FROM catalog.items WHERE item_code = 'SO' AND region = '430424'")
            let deleted = try await ReadModelComparison.compare(nil, shadow, database: db)
            #expect(deleted.tables.first { $0.table == "catalog.items" }?.differences == [.init(key: "(item/430424/SO)", kind: "only-right")])

            // Dropping a build removes its schemas and its record.
            try await ReadModelBuilds.drop(shadow, database: db)
            #expect(try await db.query("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'shadow\\_\\_%'").first?.decode(Int64.self, at: 0) == 0)
            #expect(try await ReadModelBuilds.find("shadow", database: db) == nil)
        }
    }

    @Test("rebuild without downtime: the API read continuously across the swap never fails nor sees a partial list; afterwards the new tables serve and the consumers go on")
    func rebuildWithoutDowntime() async throws {
        try await TestCluster.with { cluster in
            let cases = Self.cases()
            let first = Array(cases.prefix(24)), later = Array(cases.dropFirst(24).prefix(6)), last = Array(cases.dropFirst(30))
            let db = cluster.node.database
            let consumers = try ReadModelConsumers.live(topics: cluster.node.topics, logger: cluster.logger)
            _ = try await cluster.gateway.append(first.flatMap { $0 })
            try await cluster.running([cluster.projector(), cluster.supervisor()]) {
                try await cluster.eventually("SELECT count(*) FROM approval.cases", equals: Int64(first.count))
                try await Self.settle(cluster, cases: first.count)
                let oldTable = try await db.query("SELECT 'approval.cases'::regclass::oid::bigint").first?.decode(Int64.self, at: 0)

                // The bulk build beside the live read models, while they keep serving.
                let build = try ReadModelNamespace("rebuild")
                try await ReadModelBuilds.create(build, purpose: .rebuild, cutoff: nil, replace: false, version: 2, migrations: try DatabaseMigrations.all(), database: db)
                let replay = JournalReplay(database: db, namespace: build, consumers: consumers, cutoff: nil, chunk: 10)
                _ = try await replay.run()
                try await ReadModelBuilds.record(build, lastPosition: try await replay.position(), events: 0, finished: true, database: db)
                // Events appended after the bulk build: the live consumers apply them, the swap must catch up with them.
                _ = try await cluster.gateway.append(later.flatMap { $0 })
                try await cluster.eventually("SELECT count(*) FROM approval.cases", equals: Int64(first.count + later.count))
                try await Self.settle(cluster, cases: first.count + later.count)
                let expected = first.count + later.count

                let outcome = try await cluster.application().test(.router) { client in
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        let swapped = SwapFlag()
                        for reader in 0..<3 {
                            group.addTask {
                                var reads = 0, afterSwap = 0
                                while afterSwap < 5 {
                                    let uri = reader == 0 ? "/v1/cases?limit=500" : "/v1/metrics/cases?groupBy=department&period=all"
                                    let response = try await client.read(uri)
                                    #expect(response.status == .ok, "\(uri) during the swap: \(response.status) \(String(buffer: response.body))")
                                    if reader == 0 {
                                        #expect(response.json["cases"]?.arrayValue?.count == expected, "a partial or empty list during the swap")
                                    } else {
                                        let accepted = (response.json["rows"]?.arrayValue ?? []).reduce(0) { $0 + Int($1["accepted"]?.integerValue ?? 0) }
                                        #expect(accepted == expected, "partial metrics during the swap")
                                    }
                                    reads += 1
                                    if swapped.isSet { afterSwap += 1 }
                                }
                                return reads
                            }
                        }
                        let outcome = try await ReadModelSwap.swap(replay, database: db)
                        swapped.set()
                        var reads = 0
                        for try await n in group { reads += n }
                        #expect(reads >= 15)
                        return outcome
                    }
                }
                #expect(outcome.caughtUp > 0, "the swap applied what was appended after the bulk build")
                // The new tables serve; the old ones and the build's schemas are gone; the version is recorded.
                let newTable = try await db.query("SELECT 'approval.cases'::regclass::oid::bigint").first?.decode(Int64.self, at: 0)
                #expect(newTable != nil && newTable != oldTable)
                #expect(try await db.query("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild%'").first?.decode(Int64.self, at: 0) == 0)
                #expect(try await ReadModelSwap.liveVersion(database: db) == 2)
                // The consumers go on into the new tables: nothing quarantined, the next events applied once.
                _ = try await cluster.gateway.append(last.flatMap { $0 })
                try await cluster.eventually("SELECT count(*) FROM approval.cases", equals: Int64(cases.count))
                try await Self.settle(cluster, cases: cases.count)
                #expect(try await db.query("SELECT count(*) FROM audit.quarantine").first?.decode(Int64.self, at: 0) == 0)
                // A server whose code builds version 3 rebuilds and swaps by itself; at version 3 it leaves them alone.
                let upgraded = try await ReadModelUpgrade.runIfOutdated(version: 3, consumers: consumers, database: db, logger: cluster.logger)
                #expect(upgraded != nil)
                #expect(try await ReadModelSwap.liveVersion(database: db) == 3)
                #expect(try await ReadModelUpgrade.runIfOutdated(version: 3, consumers: consumers, database: db, logger: cluster.logger) == nil)
                #expect(try await db.query("SELECT count(*) FROM approval.cases").first?.decode(Int64.self, at: 0) == Int64(cases.count))
            }
        }
    }

    @Test("names: the live schemas, public and malformed names are refused; the list of live schemas is the migrations'")
    func names() throws {
        for bad in ["", "public", "approval", "live", "pg_x", "Upper", "1st", "a__b", "a-b", String(repeating: "a", count: 31)] {
            #expect(throws: ReadModelNamespace.InvalidName.self) { try ReadModelNamespace(bad) }
        }
        #expect(try ReadModelNamespace("june30").schema("approval") == "june30__approval")
        let created = Set(try DatabaseMigrations.all().flatMap { m in
            m.sql.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard words.starts(with: ["CREATE", "SCHEMA", "IF", "NOT", "EXISTS"]), words.count > 5 else { return nil }
                return String(words[5].trimmingCharacters(in: CharacterSet(charactersIn: ";")))
            }
        })
        #expect(created == Set(ReadModelNamespace.liveSchemas))
    }

    @Test("the cutoff: --by business reads the event's time, --by recorded its recordedtime (its time without one); the instant itself is included")
    func cutoff() throws {
        let instant = try RFC3339Timestamp(parsing: "2025-06-30T23:59:59+08:00")
        let business = ReplayCutoff(instant: instant, by: .business), recorded = ReplayCutoff(instant: instant, by: .recorded)
        var event = try EventValidator.validate(Events.submitted("C-1")).withTime("2025-06-30T15:59:59Z")
        #expect(business.includes(event))
        event.recordedtime = "2025-07-01T00:00:00+08:00"
        #expect(business.includes(event) && !recorded.includes(event))
        event.recordedtime = nil
        #expect(recorded.includes(event), "no recordedtime: the event's time")
        #expect(!business.includes(time: "2025-06-30T16:00:00.000000001Z") && !business.includes(time: "not a time") && !business.includes(time: nil))
    }

    @Test("the schema route rewrites qualified names and schema DDL, never literals' dotted words or quoted names")
    func route() {
        let route = PostgresSchemaRoute(mapping: ["approval": "r__approval", "audit": "r__audit"])
        #expect(route.rewrite("SELECT * FROM approval.cases c JOIN audit.events e ON e.subject = c.subject WHERE type = 'gov.approval.case.accepted'")
                == #"SELECT * FROM "r__approval".cases c JOIN "r__audit".events e ON e.subject = c.subject WHERE type = 'gov.approval.case.accepted'"#)
        #expect(route.rewrite("CREATE SCHEMA IF NOT EXISTS approval;\nCOMMENT ON SCHEMA audit IS 'x';")
                == "CREATE SCHEMA IF NOT EXISTS \"r__approval\";\nCOMMENT ON SCHEMA \"r__audit\" IS 'x';")
        #expect(route.rewrite(#"SELECT 1 FROM "approval"."cases", catalog.items, xapproval.t"#) == #"SELECT 1 FROM "approval"."cases", catalog.items, xapproval.t"#)
    }
}

/// Set once the swap committed (read by the readers of the zero-downtime test).
final class SwapFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension CloudEvent {
    /// This event with `time` replaced.
    func withTime(_ time: String) -> CloudEvent {
        var copy = self
        copy.time = time
        return copy
    }
}
