import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import ChanceryProjections
import ChanceryServer
@testable import ChancerySupervision
import Foundation
import Testing

/// Yellow and red cards, irregularities and resolutions; the same alerts by event time (replay) and by the
/// wall clock (live); no duplicate or missing alert after a supervisor crash.
@Suite("Supervisor cards", .serialized, .timeLimit(.minutes(5)))
struct SupervisorCardsTests {
    static let event = Events.numbered

    static func opened(_ number: String, day: String, limit: Int64) -> [SubmittedEvent] {
        let s = "case/430424/\(number)"
        return [
            event(s, 1, "CaseSubmitted", "\(day)T09:00:00+08:00", ["caseNumber": .string(number), "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"]),
            event(s, 2, "CaseAccepted", "\(day)T10:00:00+08:00", ["caseType": "promised", "promisedLimit": .integer(limit), "promisedLimitUnit": "working-days", "statutoryLimit": 20]),
        ]
    }

    /// Y-1: accepted Monday 2025-03-03 with 5 working days: deadline Monday 03-10; yellow (80 % or 2 days left: 3 used)
    /// on Thursday 03-06; red on Tuesday 03-11. Y-2: reports its steps, but is decided without the review step. Y-3 (20 working days, no card by
    /// 03-20): urged on 03-04 to act by 03-05, nothing done: the urge escalates on 03-06. A letter answered on 03-03 leaves
    /// the region's interaction topic at that day: it must not hold back the cases' time (each topic has its own).
    static let timeline: [SubmittedEvent] = opened("Y-1", day: "2025-03-03", limit: 5) + opened("Y-2", day: "2025-03-03", limit: 5) + [
        event("case/430424/Y-2", 3, "StepCompleted", "2025-03-04T09:00:00+08:00", ["step": "handling"]),
        event("case/430424/Y-2", 4, "CaseDecided", "2025-03-04T10:00:00+08:00", ["decision": "approved"]),
        event("case/430424/Y-2", 5, "CaseConcluded", "2025-03-04T11:00:00+08:00", [:]),
    ] + opened("Y-3", day: "2025-03-03", limit: 20) + [
        event("case/430424/Y-3", 3, "CaseUrged", "2025-03-04T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "群众反映办理缓慢", "deadline": "2025-03-05"]),
        event("letter/430424/Y-L", 1, "LetterReceived", "2025-03-03T09:00:00+08:00",
              ["mailbox": "county-head", "writerName": "王五", "title": "咨询办事时间", "content": "周六是否办公？"]),
        event("letter/430424/Y-L", 2, "LetterAccepted", "2025-03-03T10:00:00+08:00", [:]),
        event("letter/430424/Y-L", 3, "LetterReplied", "2025-03-03T16:00:00+08:00", ["reply": "周六不办公。"]),
    ]

    /// The supervision alerts in the log: id, time and data, in id order.
    static func alerts(_ cluster: TestCluster) async throws -> [String] {
        let rows = try await cluster.node.database.query(
            "SELECT id || ' ' || time_text || ' ' || (event -> 'data')::text FROM audit.events WHERE type LIKE 'gov.supervision.%' ORDER BY id")
        return try rows.map { try $0.decode(String.self, at: 0) }
    }

    /// Opens cases on 2025-03-20 until every partition has one, so the region's watermark reaches that day.
    static func moveWatermark(_ cluster: TestCluster) async throws {
        var partitions: Set<Int32> = []
        var i = 0
        while partitions.count < 3 {
            let r = try await cluster.gateway.append(opened("W-\(i)", day: "2025-03-20", limit: 20))
            partitions.insert(r.events[0].partition)
            i += 1
        }
    }

    @Test("replay and live mode raise the same yellow and red cards; the irregularity is flagged; conclusion resolves the cards")
    func replayAndLive() async throws {
        // Replay: event time only.
        let replayed = try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.timeline)
            try await cluster.running([cluster.supervisor()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject LIKE 'case/430424/Y-%'", equals: 3)
                try await Self.moveWatermark(cluster)
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE red_alert_id IS NOT NULL", equals: 1)
            }
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.alerts", equals: 4)
            }
            return try await Self.alerts(cluster)
        }
        #expect(replayed.count == 4)
        #expect(replayed.contains { $0.hasPrefix("irregularity/urge-missed/case/430424/Y-3 2025-03-06T00:00:00+08:00") && $0.contains("\"irregularityKind\": \"other\"") })
        #expect(replayed.contains { $0.hasPrefix("irregularity/decision-without-review/case/430424/Y-2 2025-03-04T10:00:00+08:00") && $0.contains("\"irregularityKind\": \"skipped-step\"") })
        #expect(replayed.contains { $0.hasPrefix("red/case/430424/Y-1 2025-03-11T00:00:00+08:00") && $0.contains("\"deadline\": \"2025-03-10\"") })
        #expect(replayed.contains { $0.hasPrefix("yellow/case/430424/Y-1 2025-03-06T00:00:00+08:00") && $0.contains("\"remainingDays\": 2") })

        // Live: no later event at all; the wall clock says 2025-03-20.
        let live = try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.timeline)
            try await cluster.running([cluster.supervisor()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject LIKE 'case/430424/Y-%' AND status IN ('accepted', 'concluded') AND last_sequence >= 2", equals: 3)
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject = 'case/430424/Y-3' AND urge IS NOT NULL", equals: 1)
            }
            let supervisor = Supervisor(calendars: cluster.calendars, topics: cluster.node.topics, logger: cluster.logger)
            // 2025-03-05 (Beijing time): 2 working days used — no card yet.
            try await cluster.tick(supervisor, now: Date(timeIntervalSince1970: 1_741_104_000))
            #expect(try await cluster.node.database.query("SELECT count(*) FROM supervision.case_clocks WHERE yellow_alert_id IS NOT NULL")[0].decode(Int64.self, at: 0) == 0)
            // 2025-03-20 12:00 Beijing time.
            try await cluster.tick(supervisor, now: Date(timeIntervalSince1970: 1_742_443_200))
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.alerts", equals: 4)
            }
            // Conclusion resolves both cards of Y-1.
            _ = try await cluster.gateway.append([
                Self.event("case/430424/Y-1", 3, "StepCompleted", "2025-03-21T09:00:00+08:00", ["step": "review"]),
                Self.event("case/430424/Y-1", 4, "CaseDecided", "2025-03-21T10:00:00+08:00", ["decision": "approved"]),
                Self.event("case/430424/Y-1", 5, "CaseConcluded", "2025-03-21T11:00:00+08:00", [:]),
            ])
            try await cluster.running([cluster.supervisor(), cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.alerts WHERE resolved_at IS NOT NULL", equals: 2)
            }
            let open = try await cluster.node.database.query("SELECT id FROM supervision.alerts WHERE resolved_at IS NULL ORDER BY id")
            #expect(try open.map { try $0.decode(String.self, at: 0) } == ["irregularity/decision-without-review/case/430424/Y-2", "irregularity/urge-missed/case/430424/Y-3"])
            return try await Self.alerts(cluster).filter { !$0.hasPrefix("resolved/") }
        }
        #expect(live == replayed, "the same timeline gives the same alerts in both modes")
    }

    @Test("a supervisor that crashes after appending alerts and restarts leaves neither duplicates nor gaps")
    func restartAnywhere() async throws {
        struct Crash: Error {}
        // Twelve cases with limits 1…12, accepted on the first working days of March; the watermark moves to 04-30,
        // when all are overdue.
        var events: [SubmittedEvent] = []
        for (i, day) in ["03", "04", "05", "06", "07", "10", "11", "12", "13", "14", "17", "18"].enumerated() {
            events += Self.opened("R-\(i)", day: "2025-03-\(day)", limit: Int64(i + 1))
        }
        /// `crash`: fail the first batch that moves the watermark to 04-30 — after its alerts were appended to Kafka,
        /// before its clocks and offsets were committed to PostgreSQL — then restart.
        func run(crash: Bool) async throws -> (alerts: [String], records: Int64) {
            try await TestCluster.with { cluster in
                _ = try await cluster.gateway.append(events)
                var partitions: Set<Int32> = []
                var i = 0
                while partitions.count < 3 {
                    let r = try await cluster.gateway.append(Self.opened("Z-\(i)", day: "2025-04-30", limit: 20))
                    partitions.insert(r.events[0].partition)
                    i += 1
                }
                if crash {
                    let crashing = cluster.supervisor(batchSize: 5) { stage, batch in
                        if stage == .afterApply, batch.contains(where: { $0.event.subject.contains("/Z-") }) { throw Crash() }
                    }
                    await #expect(throws: Crash.self) { try await crashing.run() }
                }
                try await cluster.running([cluster.supervisor(batchSize: 5)]) {
                    try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject LIKE 'case/430424/Z-%'", equals: Int64(i))
                    try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE red_alert_id IS NOT NULL", equals: 12)
                }
                try await cluster.running([cluster.projector()]) {
                    try await cluster.eventually("SELECT count(*) FROM supervision.alerts WHERE alert_type = 'DeadlineBreached'", equals: 12)
                }
                let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers), logger: cluster.logger)
                var records: Int64 = 0
                for p in 0..<Int32(3) {
                    records += try await admin.watermarks(.init(topic: cluster.node.topics.canonical(CanonicalTopic.supervision), partition: p)).high
                }
                admin.shutdown()
                return (try await Self.alerts(cluster), records)
            }
        }
        let clean = try await run(crash: false)
        let crashed = try await run(crash: true)
        #expect(crashed.alerts == clean.alerts)
        #expect(crashed.records == clean.records, "no alert was appended twice to gov.supervision")
        #expect(clean.alerts.filter { $0.hasPrefix("red/") }.count == 12)
        #expect(clean.records == Int64(clean.alerts.count))
    }
}
