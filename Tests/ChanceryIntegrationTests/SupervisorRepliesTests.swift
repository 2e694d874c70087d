import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryRuntime
import ChanceryProjections
import ChanceryServer
@testable import ChancerySupervision
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Cards beyond a case's own deadline — disclosure requests, letters, consultations, a step past its own limit, an
/// unrectified bad rating, an urge without a deadline — across National Day 2025 (10-01…10-08 off, Sunday 09-28
/// and Saturday 10-11 worked), by event time (replay) and by the wall clock (live).
@Suite("Supervisor: requests, letters, steps, ratings", .serialized, .timeLimit(.minutes(5)))
struct SupervisorRepliesTests {
    static let event = Events.numbered
    static let policy = SupervisionPolicy(items: ["430424XK001": SupervisionRule(stepLimits: StepLimits(review: WorkingDays(2)))])

    /// Hand-computed on the CN calendar:
    /// - R-1, a disclosure request received Friday 09-19 (order 711, 20 working days): 09-22…09-26 (5), Sunday 09-28 (6),
    ///   09-29 (7), 09-30 (8), 10-09 (9), 10-10 (10), Saturday 10-11 (11), 10-13…10-17 (16), 10-20…10-23 (20) → deadline
    ///   10-23; yellow at 16 used (80 %) on 10-17 with 4 left; red on Friday 10-24.
    /// - L-1, a letter to the county head's mailbox received Monday 09-29 (15 working days by default): 09-30 (1), 10-09
    ///   (2), 10-10 (3), 10-11 (4), 10-13…10-17 (9), 10-20…10-24 (14), 10-27 (15) → deadline 10-27; yellow at 12 used on
    ///   10-22; red on 10-28. Urged on 09-30 without a deadline: 5 working days → 10-09, 10-10, 10-11, 10-13, 10-14;
    ///   nothing done → escalated on 10-15. The mailbox answers for it.
    /// - C-1, a consultation received Tuesday 09-30 with 3 working days: 10-09 (1) is 2 days left → yellow on 10-09;
    ///   answered 10-10 in time → the yellow card is resolved.
    /// - S-1, a case accepted Friday 09-26 (20 working days), handling completed Monday 09-29, review limit 2 (policy):
    ///   09-30 (1), 10-09 (2) → the review step is overdue from 10-10; completed 10-13, concluded 10-14 → resolved.
    /// - B-1, concluded and delivered in early September, rated 4 (bad) on Monday 09-29: 10 working days to rectify →
    ///   09-30 (1), 10-09 (2), 10-10 (3), 10-11 (4), 10-13…10-17 (9), 10-20 (10) → unrectified from 10-21.
    static let timeline: [SubmittedEvent] = [
        event("request/430424/R-1", 1, "DisclosureRequestReceived", "2025-09-19T10:00:00+08:00",
              ["requesterName": "李四", "requesterKind": "citizen", "description": "2024年度财政预算执行情况", "departmentCode": "test"]),
        event("letter/430424/L-1", 1, "LetterReceived", "2025-09-29T10:00:00+08:00",
              ["mailbox": "county-head", "writerName": "王五", "title": "路灯不亮", "content": "村口路灯坏了一个月"]),
        event("letter/430424/L-1", 2, "LetterAccepted", "2025-09-29T11:00:00+08:00", ["handler": "县长信箱办公室"]),
        event("letter/430424/L-1", 3, "LetterUrged", "2025-09-30T09:00:00+08:00", ["urgedBy": "县电子监察室"]),
        event("consultation/430424/C-1", 1, "ConsultationReceived", "2025-09-30T10:00:00+08:00",
              ["question": "营业执照变更要带什么材料？", "departmentCode": "test", "replyLimit": 3]),
        event("consultation/430424/C-1", 2, "ConsultationAnswered", "2025-10-10T10:00:00+08:00", ["answer": "身份证与变更登记申请书。"]),
        event("case/430424/S-1", 1, "CaseSubmitted", "2025-09-26T09:00:00+08:00",
              ["caseNumber": "S-1", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"]),
        event("case/430424/S-1", 2, "CaseAccepted", "2025-09-26T10:00:00+08:00",
              ["caseType": "promised", "promisedLimit": 20, "promisedLimitUnit": "working-days", "statutoryLimit": 20]),
        event("case/430424/S-1", 3, "StepCompleted", "2025-09-29T16:00:00+08:00", ["step": "handling"]),
        event("case/430424/S-1", 4, "StepCompleted", "2025-10-13T16:00:00+08:00", ["step": "review"]),
        event("case/430424/S-1", 5, "CaseDecided", "2025-10-14T09:00:00+08:00", ["decision": "approved"]),
        event("case/430424/S-1", 6, "CaseConcluded", "2025-10-14T10:00:00+08:00", [:]),
        event("case/430424/B-1", 1, "CaseSubmitted", "2025-09-01T09:00:00+08:00",
              ["caseNumber": "B-1", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "赵六"]),
        event("case/430424/B-1", 2, "CaseAccepted", "2025-09-01T10:00:00+08:00",
              ["caseType": "promised", "promisedLimit": 5, "promisedLimitUnit": "working-days"]),
        event("case/430424/B-1", 3, "CaseDecided", "2025-09-03T09:00:00+08:00", ["decision": "approved"]),
        event("case/430424/B-1", 4, "CaseConcluded", "2025-09-03T10:00:00+08:00", [:]),
        event("case/430424/B-1", 5, "CaseDelivered", "2025-09-04T10:00:00+08:00", ["deliveryMethod": "window"]),
        event("case/430424/B-1", 6, "CaseRated", "2025-09-29T10:00:00+08:00", ["satisfactionCode": 4, "comment": "窗口态度差"]),
    ]

    /// Every alert expected, as `id time`, with a fragment of its data.
    static let expected: [(String, String)] = [
        ("irregularity/unrectified-bad-rating/case/430424/B-1 2025-10-21T00:00:00+08:00", "\"irregularityKind\": \"unrectified-bad-rating\""),
        ("irregularity/urge-missed/letter/430424/L-1 2025-10-15T00:00:00+08:00", "\"departmentCode\": \"county-head\""),
        ("red/letter/430424/L-1 2025-10-28T00:00:00+08:00", "\"deadline\": \"2025-10-27\""),
        ("red/request/430424/R-1 2025-10-24T00:00:00+08:00", "\"deadline\": \"2025-10-23\""),
        ("resolved/step/review/case/430424/S-1 2025-10-14T10:00:00+08:00", "\"resolution\": \"the case concluded (办结)\""),
        ("resolved/yellow/consultation/430424/C-1 2025-10-10T10:00:00+08:00", "\"resolution\": \"answered (已答复)\""),
        ("step/review/case/430424/S-1 2025-10-10T00:00:00+08:00", "\"step\": \"review\""),
        ("yellow/consultation/430424/C-1 2025-10-09T00:00:00+08:00", "\"remainingDays\": 2"),
        ("yellow/letter/430424/L-1 2025-10-22T00:00:00+08:00", "\"remainingDays\": 3"),
        ("yellow/request/430424/R-1 2025-10-17T00:00:00+08:00", "\"remainingDays\": 4"),
    ]

    /// Opens streams dated 2025-10-30 until every partition of the three watched topics has one, so the region's
    /// watermark reaches that day.
    static func moveWatermark(_ cluster: TestCluster) async throws {
        var seen: Set<String> = []
        var i = 0
        while seen.count < 9 {
            let r = try await cluster.gateway.append([
                event("case/430424/W-\(i)", 1, "CaseSubmitted", "2025-10-30T09:00:00+08:00",
                      ["caseNumber": .string("W-\(i)"), "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"]),
                event("consultation/430424/W-\(i)", 1, "ConsultationReceived", "2025-10-30T09:00:00+08:00", ["question": "?", "departmentCode": "test"]),
                event("request/430424/W-\(i)", 1, "DisclosureRequestReceived", "2025-10-30T09:00:00+08:00",
                      ["requesterName": "李四", "requesterKind": "citizen", "description": "?", "departmentCode": "test"]),
            ])
            for e in r.events { seen.insert("\(e.topic)#\(e.partition)") }
            i += 1
        }
    }

    static func alerts(_ cluster: TestCluster) async throws -> [String] {
        try await SupervisorCardsTests.alerts(cluster).filter { !$0.contains("/W-") }
    }

    @Test("replay and live raise the same cards on requests, letters, consultations, steps and bad ratings, on hand-computed days")
    func repliesStepsAndRatings() async throws {
        let replayed = try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.timeline)
            try await cluster.running([cluster.supervisor(policy: Self.policy), cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.reply_clocks WHERE subject NOT LIKE '%/W-%'", equals: 3)
                try await Self.moveWatermark(cluster)
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE type LIKE 'gov.supervision.%'", equals: Int64(Self.expected.count))
            }
            return try await Self.alerts(cluster)
        }
        #expect(replayed.count == Self.expected.count)
        for (alert, (head, fragment)) in zip(replayed, Self.expected) {
            #expect(alert.hasPrefix(head + " ") && alert.contains(fragment), "\(alert)")
        }

        let live = try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.timeline)
            try await cluster.running([cluster.supervisor(policy: Self.policy), cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.reply_clocks", equals: 3)
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE status IN ('concluded', 'delivered') AND last_sequence >= 6", equals: 2)
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE type LIKE 'gov.supervision.%'", equals: 4)
            }
            // As a version before migration 0023 left them: no reply files. The tick rebuilds each from the columns and
            // must raise the same cards.
            let legacy = try await cluster.node.database.execute("UPDATE supervision.reply_clocks SET reply_file = NULL")
            #expect(legacy == 3)
            let supervisor = Supervisor(calendars: cluster.calendars, policy: Self.policy, topics: cluster.node.topics, logger: cluster.logger)
            // 2025-10-30 12:00 Beijing time.
            try await cluster.tick(supervisor, now: Date(timeIntervalSince1970: 1_761_796_800))
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.alerts", equals: 8)
            }
            let projected = try await cluster.node.database.query(
                "SELECT id, coalesce(step, '-'), resolved_at IS NOT NULL FROM supervision.alerts WHERE id LIKE 'step/%' OR id LIKE 'yellow/consultation/%' ORDER BY id")
            #expect(try projected.map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1)) \(try $0.decode(Bool.self, at: 2))" }
                    == ["step/review/case/430424/S-1 review true", "yellow/consultation/430424/C-1 - true"])
            // The interaction metrics count the cards by kind.
            try await cluster.application().test(.router) { client in
                let r = try await client.read("/v1/metrics/interactions?period=all&region=430424")
                #expect(r.status == .ok)
                let rows = r.json["rows"]?.arrayValue ?? []
                func cards(_ kind: String) -> [JSONValue?] {
                    let row = rows.first { $0["kind"] == .string(kind) }
                    return [row?["yellowCards"], row?["redCards"]]
                }
                #expect(cards("letter") == [1, 1] && cards("disclosure-request") == [1, 1] && cards("consultation") == [1, 0], "\(rows)")
            }
            return try await Self.alerts(cluster)
        }
        #expect(live == replayed, "the same timeline gives the same alerts in both modes")
    }
}
