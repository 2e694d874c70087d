import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryRuntime
import ChanceryServer
import Foundation
import Testing

/// The supervisor's red cards follow each region's own event time: a backfill of one region's older
/// history is not judged by another region's later clock.
@Suite("Supervisor", .serialized, .timeLimit(.minutes(3)))
struct SupervisorTests {
    static let ontario = "3524002"

    static func event(_ type: String, _ subject: String, _ id: String, _ time: String, _ region: String, _ data: JSONValue) -> SubmittedEvent {
        let json: JSONValue = [
            "specversion": "1.0", "id": .string(id), "source": .string("/\(region)/departments/building"), "type": .string(type),
            "subject": .string(subject), "time": .string(time), "region": .string(region), "data": data,
        ]
        return SubmittedEvent(event: try! EventValidator.validate(json))
    }

    static func opened(_ n: String, region: String, day: String, offset: String, limit: Int64) -> [SubmittedEvent] {
        let subject = "case/\(region)/\(n)"
        return [
            event("gov.approval.case.submitted", subject, "\(n)-1", "\(day)T09:00:00\(offset)", region,
                  ["caseNumber": .string(n), "itemCode": "SO", "departmentCode": "building", "applicantName": "(not in source)"]),
            event("gov.approval.case.accepted", subject, "\(n)-2", "\(day)T09:30:00\(offset)", region,
                  ["caseType": "promised", "promisedLimit": .integer(limit), "promisedLimitUnit": "working-days"]),
        ]
    }

    static func closed(_ n: String, region: String, day: String, offset: String) -> [SubmittedEvent] {
        let subject = "case/\(region)/\(n)"
        return [
            event("gov.approval.case.step.completed", subject, "\(n)-r", "\(day)T11:00:00\(offset)", region, ["step": "review"]),
            event("gov.approval.case.decided", subject, "\(n)-3", "\(day)T14:00:00\(offset)", region, ["decision": "approved"]),
            event("gov.approval.case.concluded", subject, "\(n)-4", "\(day)T14:30:00\(offset)", region, [:]),
        ]
    }

    @Test("an on-time case of a backfilled region gets no red card; an overdue one does")
    func regionalClocks() async throws {
        try await TestCluster.with { cluster in
            let db = cluster.node.database
            try await cluster.running([cluster.supervisor()]) {
                // Hengdong's clock runs far ahead: cases in December 2025 on every partition.
                var partitions: Set<Int32> = []
                var i = 0
                while partitions.count < 3 {
                    let r = try await cluster.gateway.append(Self.opened("HD-\(i)", region: "430424", day: "2025-12-01", offset: "+08:00", limit: 5))
                    partitions.insert(r.events[0].partition)
                    i += 1
                }
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE region = '430424'", equals: Int64(i))
                // Burlington's 2022 history arrives afterwards: accepted now, concluded on time in a later batch.
                _ = try await cluster.gateway.append(Self.opened("ON-ontime", region: Self.ontario, day: "2022-09-01", offset: "-04:00", limit: 10))
                _ = try await cluster.gateway.append(Self.opened("ON-late", region: Self.ontario, day: "2022-09-01", offset: "-04:00", limit: 10))
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE region = '\(Self.ontario)' AND status = 'accepted'", equals: 2)
                _ = try await cluster.gateway.append(Self.closed("ON-ontime", region: Self.ontario, day: "2022-09-08", offset: "-04:00"))
                // Burlington's own time moves to December 2022 on every partition: ON-late is now overdue.
                var ontarioPartitions: Set<Int32> = []
                var j = 0
                while ontarioPartitions.count < 3 {
                    let r = try await cluster.gateway.append(Self.opened("ON-dec-\(j)", region: Self.ontario, day: "2022-12-01", offset: "-05:00", limit: 10))
                    ontarioPartitions.insert(r.events[0].partition)
                    j += 1
                }
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject = 'case/\(Self.ontario)/ON-late' AND red_alert_id IS NOT NULL", equals: 1)
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject = 'case/\(Self.ontario)/ON-ontime' AND outcome = 'early'", equals: 1)
            }
            let cards = try await db.query("SELECT subject FROM supervision.case_clocks WHERE red_alert_id IS NOT NULL ORDER BY subject")
            #expect(try cards.map { try $0.decode(String.self, at: 0) } == ["case/\(Self.ontario)/ON-late"])
            // The card is on gov.supervision with its deterministic id and the day the case became overdue.
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM supervision.alerts", equals: 2)
            }
            // ON-late went yellow first (8 of its 10 business days used), then red.
            let kinds = try await db.query("SELECT id FROM supervision.alerts ORDER BY raised_at")
            #expect(try kinds.map { try $0.decode(String.self, at: 0) } == ["yellow/case/\(Self.ontario)/ON-late", "red/case/\(Self.ontario)/ON-late"])
            let alert = try await db.query("SELECT id, deadline::text, raised_at AT TIME ZONE 'America/Toronto' FROM supervision.alerts WHERE alert_type = 'DeadlineBreached'")[0]
            #expect(try alert.decode(String.self, at: 0) == "red/case/\(Self.ontario)/ON-late")
            // Accepted Thu 2022-09-01, 10 business days: Labour Day (Mon 09-05) is a holiday, so the deadline is Fri 09-16.
            #expect(try alert.decode(String.self, at: 1) == "2022-09-16")
        }
    }
}
