import ChanceryDomain
import ChanceryGateway
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
