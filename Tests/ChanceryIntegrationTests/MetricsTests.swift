import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryRuntime
import ChanceryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The efficiency metrics and the department ranking, checked against hand-computed values.
@Suite("Metrics", .serialized, .timeLimit(.minutes(3)))
struct MetricsTests {
    static let event = Events.numbered

    /// A case accepted on Monday 2025-03-03 with `limit` working days (statutory 20), concluded on `concluded`.
    static func concludedCase(_ number: String, limit: Int64, concluded: String, rating: Int64? = nil, rectified: Bool = false) -> [SubmittedEvent] {
        let s = "case/430424/\(number)"
        var out = [
            event(s, 1, "CaseSubmitted", "2025-03-03T09:00:00+08:00", ["caseNumber": .string(number), "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"]),
            event(s, 2, "CaseAccepted", "2025-03-03T10:00:00+08:00", ["caseType": "promised", "promisedLimit": .integer(limit), "promisedLimitUnit": "working-days", "statutoryLimit": 20]),
            event(s, 3, "CaseDecided", "\(concluded)T10:00:00+08:00", ["decision": "approved"]),
            event(s, 4, "CaseConcluded", "\(concluded)T11:00:00+08:00", [:]),
        ]
        if let rating { out.append(event(s, 5, "CaseRated", "\(concluded)T15:00:00+08:00", ["satisfactionCode": .integer(rating)])) }
        if rectified { out.append(event(s, 6, "BadRatingRectified", "\(concluded)T16:00:00+08:00", ["rectification": "回访说明"])) }
        return out
    }

    static let events: [SubmittedEvent] =
        concludedCase("M-1", limit: 5, concluded: "2025-03-05", rating: 2)                    // 2 working days of 5: early
        + concludedCase("M-2", limit: 2, concluded: "2025-03-05", rating: 5, rectified: true)  // 2 of 2: on time
        + concludedCase("M-3", limit: 1, concluded: "2025-03-06")                              // 3 of 1: overdue
        + [event("case/430424/M-4", 1, "CaseSubmitted", "2025-03-04T09:00:00+08:00", ["caseNumber": "M-4", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "李四"]),
           event("case/430424/M-4", 2, "CaseRefused", "2025-03-04T10:00:00+08:00", ["reason": "材料不属实"])]

    /// A case of Hengdong's test department accepted on `day` with a promised limit of 20 working days (no card for weeks).
    static func openedCase(_ number: String, day: String) -> [SubmittedEvent] {
        let s = "case/430424/\(number)"
        return [
            event(s, 1, "CaseSubmitted", "\(day)T09:00:00+08:00", ["caseNumber": .string(number), "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"]),
            event(s, 2, "CaseAccepted", "\(day)T10:00:00+08:00", ["caseType": "promised", "promisedLimit": 20, "promisedLimitUnit": "working-days", "statutoryLimit": 20]),
        ]
    }

    /// Urges (督办) and their outcome (UrgeRule.swift: met by an action from the urge day through the deadline).
    ///
    /// - U-1, met: urged Tuesday 2025-03-04 to act by 03-06; the handling step is completed on 03-05.
    /// - U-2, met on the last day of the default window: accepted Friday 2025-09-26, urged Monday 2025-09-29 without a
    ///   deadline, so the policy's 5 working days (CN calendar): 09-30 Tue (1); 10-01…10-08 National Day and Mid-Autumn
    ///   (off); 10-09 Thu (2), 10-10 Fri (3), Saturday 10-11 an adjusted working day 调休 (4), Sunday 10-12 off, 10-13 Mon
    ///   (5) → deadline 2025-10-13. The handling step is completed on 10-13: met (five calendar days or weekdays only would
    ///   have ended the window on 10-04 or 10-06; ignoring the adjusted Saturday, on 10-14).
    /// - U-3, missed: urged 03-04 to act by 03-05, nothing done; the supervisor escalates it on 03-06
    ///   (IrregularityFlagged irregularity/urge-missed/case/430424/U-3).
    /// - U-4, pending: its review step on 03-03 comes before the urge (03-04, to act by 2025-12-31) and does not meet it;
    ///   the deadline has not passed when the test's time stops (2025-10-20).
    /// - Letter L-1, met: received and accepted Monday 2025-03-03, transferred 03-04 (before the urge: does not count),
    ///   urged Wednesday 03-05 without a deadline: 03-06 (1), 03-07 (2), 03-10 (3), 03-11 (4), 03-12 (5) → deadline
    ///   2025-03-12; replied 03-11: met.
    static let urges: [SubmittedEvent] =
        openedCase("U-1", day: "2025-03-03") + [
            event("case/430424/U-1", 3, "CaseUrged", "2025-03-04T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "群众反映办理缓慢", "deadline": "2025-03-06"]),
            event("case/430424/U-1", 4, "StepCompleted", "2025-03-05T10:00:00+08:00", ["step": "handling"]),
        ]
        + openedCase("U-2", day: "2025-09-26") + [
            event("case/430424/U-2", 3, "CaseUrged", "2025-09-29T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "即将超期"]),
            event("case/430424/U-2", 4, "StepCompleted", "2025-10-13T16:00:00+08:00", ["step": "handling"]),
        ]
        + openedCase("U-3", day: "2025-03-03") + [
            event("case/430424/U-3", 3, "CaseUrged", "2025-03-04T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "群众反映办理缓慢", "deadline": "2025-03-05"]),
        ]
        + openedCase("U-4", day: "2025-03-03") + [
            event("case/430424/U-4", 3, "StepCompleted", "2025-03-03T16:00:00+08:00", ["step": "handling"]),
            event("case/430424/U-4", 4, "CaseUrged", "2025-03-04T15:00:00+08:00", ["urgedBy": "县电子监察室", "reason": "请按时办结", "deadline": "2025-12-31"]),
        ]
        + [
            event("letter/430424/L-1", 1, "LetterReceived", "2025-03-03T09:00:00+08:00", ["mailbox": "county-head", "writerName": "钱七", "title": "道路破损", "content": "某路段破损严重"]),
            event("letter/430424/L-1", 2, "LetterAccepted", "2025-03-03T10:00:00+08:00", ["replyLimit": 15]),
            event("letter/430424/L-1", 3, "LetterTransferred", "2025-03-04T10:00:00+08:00", ["toDepartmentCode": "transport"]),
            event("letter/430424/L-1", 4, "LetterUrged", "2025-03-05T10:00:00+08:00", ["urgedBy": "县信访局"]),
            event("letter/430424/L-1", 5, "LetterReplied", "2025-03-11T10:00:00+08:00", ["reply": "已安排修复", "published": false]),
        ]

    @Test("urges met, missed (escalated by the supervisor) and pending, for cases and letters")
    func urgeMetrics() async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.urges)
            // Time moves to 2025-10-20 on every partition (after every urge's own events): U-3's urge escalates.
            var partitions: Set<Int32> = []
            var watermarkCases = 0
            while partitions.count < 3 {
                let r = try await cluster.gateway.append(Self.openedCase("W-\(watermarkCases)", day: "2025-10-20"))
                partitions.insert(r.events[0].partition)
                watermarkCases += 1
            }
            let opened = Int64(4 + watermarkCases)
            try await cluster.running([cluster.supervisor(), cluster.projector()]) {
                try await cluster.eventually(
                    "SELECT count(*) FROM supervision.alerts WHERE id = 'irregularity/urge-missed/case/430424/U-3' AND alert_type = 'IrregularityFlagged'", equals: 1)
                // Every event of U-1…U-4 projected: 4 + 4 + 3 + 4.
                try await cluster.eventually("SELECT sum(last_sequence)::bigint FROM approval.cases WHERE subject LIKE 'case/430424/U-%'", equals: 15)
                try await cluster.eventually("SELECT count(*) FROM interaction.letters WHERE replied_at IS NOT NULL", equals: 1)
                try await cluster.eventually("SELECT count(*) FROM approval.cases WHERE subject LIKE 'case/430424/W-%' AND accepted_on IS NOT NULL", equals: opened - 4)
            }
            let db = cluster.node.database
            let rows = try await db.query(
                """
                SELECT subject || ' ' || urged_on::text || ' ' || urge_deadline::text || ' ' || urge_met::text FROM approval.cases WHERE urges > 0
                UNION ALL SELECT subject || ' ' || urged_on::text || ' ' || urge_deadline::text || ' ' || urge_met::text FROM interaction.letters WHERE urges > 0
                ORDER BY 1
                """)
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == [
                "case/430424/U-1 2025-03-04 2025-03-06 true",
                "case/430424/U-2 2025-09-29 2025-10-13 true",
                "case/430424/U-3 2025-03-04 2025-03-05 false",
                "case/430424/U-4 2025-03-04 2025-12-31 false",
                "letter/430424/L-1 2025-03-05 2025-03-12 true",
            ])
            try await cluster.application().test(.router) { client in
                let r = try await client.read("/v1/metrics/cases?groupBy=region&period=all&region=430424")
                #expect(r.status == .ok)
                let row = try #require(r.json["rows"]?.arrayValue?.first)
                #expect(r.json["rows"]?.arrayValue?.count == 1)
                #expect(row["accepted"] == .integer(opened))
                #expect(row["urged"] == 4 && row["urgesMet"] == 2 && row["urgesMissed"] == 1 && row["urgesPending"] == 1, "\(row)")
                // By quarter: U-1, U-3 and U-4 were accepted in 2025-Q1, U-2 in 2025-Q3.
                let quarterly = try await client.read("/v1/metrics/cases?groupBy=region&period=quarter&region=430424")
                let q1 = try #require(quarterly.json["rows"]?.arrayValue?.first { $0["period"] == "2025-Q1" })
                let q3 = try #require(quarterly.json["rows"]?.arrayValue?.first { $0["period"] == "2025-Q3" })
                #expect(q1["urged"] == 3 && q1["urgesMet"] == 1 && q1["urgesMissed"] == 1 && q1["urgesPending"] == 1, "\(q1)")
                #expect(q3["urged"] == 1 && q3["urgesMet"] == 1 && q3["urgesMissed"] == 0 && q3["urgesPending"] == 0, "\(q3)")

                let i = try await client.read("/v1/metrics/interactions?period=all&region=430424")
                #expect(i.status == .ok)
                let letter = try #require(i.json["rows"]?.arrayValue?.first { $0["kind"] == "letter" })
                #expect(letter["urged"] == 1 && letter["urgesMet"] == 1 && letter["urgesMissed"] == 0 && letter["urgesPending"] == 0, "\(letter)")
            }
        }
    }

    @Test("per case type and quarter: counts, rates, mean, median and p90 working days, limit compression, ratings")
    func caseMetrics() async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.events)
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM approval.cases WHERE rectified_at IS NOT NULL OR refused_on IS NOT NULL", equals: 2)
                // The item's partition may be read after the cases' (the refusal takes its case type from it).
                try await cluster.eventually("SELECT count(*) FROM catalog.items WHERE item_code = '430424XK001'", equals: 1)
            }
            try await cluster.application().test(.router) { client in
                let r = try await client.read("/v1/metrics/cases?groupBy=caseType&period=quarter&region=430424&from=2025-01&to=2025-12")
                #expect(r.status == .ok)
                #expect(r.json["groupBy"] == "caseType" && r.json["period"] == "quarter")
                let rows = try #require(r.json["rows"]?.arrayValue)
                // The case refused before acceptance counts under its item's case type (promised).
                #expect(rows.count == 1, "\(rows)")
                let promised = try #require(rows.first { $0["caseType"] == "promised" })
                #expect(promised["period"] == "2025-Q1")
                #expect(promised["accepted"] == 3 && promised["concluded"] == 3 && promised["refused"] == 1)
                #expect(promised["concludedOnTime"] == 2 && promised["concludedEarly"] == 1 && promised["overdueConcluded"] == 1)
                #expect(promised["onTimeRate"]?.doubleValue == 0.6667 && promised["earlyRate"]?.doubleValue == 0.3333)
                #expect(promised["meanWorkingDays"]?.doubleValue == 2.33 && promised["medianWorkingDays"]?.doubleValue == 2)
                #expect(promised["p90WorkingDays"]?.doubleValue == 2.8)
                // ((20 − 5) + (20 − 2) + (20 − 1)) ÷ 20 ÷ 3 = 0.8667
                #expect(promised["limitCompression"]?.doubleValue == 0.8667)
                #expect(promised["rated"] == 2 && promised["satisfactionRate"]?.doubleValue == 0.5)
                #expect(promised["badRatings"] == 1 && promised["badRatingsRectified"] == 1 && promised["badRatingsRectifiedInTime"] == 1)

                // Monthly per department: the same cases in 2025-03.
                let monthly = try await client.read("/v1/metrics/cases?groupBy=department&period=month")
                #expect(monthly.json["rows"]?.arrayValue?.map { $0["period"] } == ["2025-03"])
                #expect(monthly.json["rows"]?[0]?["departmentCode"] == "test")
                #expect(monthly.json["rows"]?[0]?["refused"] == 1)

                // Ranking: on time 2/3 × 40 + early 1/3 × 15 + satisfaction 1/2 × 20 + rectification 1 × 10 + no cards 15 = 66.67: pass.
                let ranking = try await client.read("/v1/metrics/ranking?region=430424&quarter=2025-Q1")
                #expect(ranking.status == .ok)
                let first = try #require(ranking.json["departments"]?[0])
                #expect(first["performance"]?["departmentCode"] == "test")
                #expect(first["index"]?.doubleValue == 66.67)
                #expect(first["rank"] == 1 && first["grade"] == "pass")
                #expect(ranking.json["formula"]?["onTimeWeight"]?.doubleValue == 40)

                // Bad parameters are 400 problems; metrics need an analyst.
                #expect(try await client.read("/v1/metrics/cases?groupBy=colour").json["type"] == "/problems/invalid-parameter")
                #expect(try await client.read("/v1/metrics/cases?period=week").status == .badRequest)
                #expect(try await client.read("/v1/metrics/ranking?quarter=2025-Q5").status == .badRequest)
                #expect(try await client.read("/v1/metrics/ranking?quarter=2025-Q1", token: nil).status == .unauthorized)
            }
        }
    }
}
