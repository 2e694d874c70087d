import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryRuntime
import ChanceryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The projector turns every event type of the catalog into its read model: a case's whole life, items revised
/// and retired, documents revised and withdrawn, a disclosure request's every step, letters, consultations and
/// complaints.
@Suite("Whole catalog projection", .serialized, .timeLimit(.minutes(3)))
struct WholeCatalogProjectionTests {
    /// Events of one stream, numbered `<stream>#n`, one hour apart from `start` (Hengdong time).
    static func stream(_ subject: String, day: String, _ events: [(String, JSONValue)]) -> [SubmittedEvent] {
        events.enumerated().map { n, e in
            let json: JSONValue = [
                "specversion": "1.0", "id": .string("\(subject)#\(n + 1)"), "source": .string(Events.source),
                "type": .string(EventCatalog.named(e.0).type), "subject": .string(subject),
                "time": .string(String(format: "\(day)T%02d:00:00+08:00", 8 + n)), "region": "430424", "data": e.1,
            ]
            return SubmittedEvent(event: try! EventValidator.validate(json))
        }
    }

    static let events: [SubmittedEvent] =
        stream("item/430424/XK-OLD", day: "2025-03-03", [
            ("ItemRegistered", ["itemCode": "XK-OLD", "itemName": "旧事项", "itemKind": "licensing", "departmentCode": "test",
                                "departmentName": "测试局", "statutoryLimit": 20, "promisedLimit": 10, "caseType": "promised"]),
            ("ItemRevised", ["reason": "法规修订", "promisedLimit": 8]),
            ("ItemRetired", ["retirementKind": "delegated"]),
        ])
        + stream("case/430424/W-1", day: "2025-03-04", [
            ("CaseSubmitted", ["caseNumber": "W-1", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"]),
            ("CaseAccepted", ["caseType": "promised", "promisedLimit": 10, "promisedLimitUnit": "calendar-days"]),
            ("StepCompleted", ["step": "review"]),
            ("SpecialProcedureStarted", ["specialProcedureKind": "hearing", "specialProcedureReason": "涉及重大公共利益"]),
            ("SpecialProcedureEnded", ["specialProcedureKind": "hearing"]),
            ("CaseDecided", ["decision": "approved"]),
            ("CaseConcluded", [:]),
            ("CaseDelivered", ["deliveryMethod": "mail"]),
            ("CaseRated", ["satisfactionCode": 4]),
            ("BadRatingRectified", ["rectification": "电话回访并说明", "followUpSatisfactionCode": 2]),
        ])
        + stream("case/430424/W-2", day: "2025-03-05", [
            ("CaseSubmitted", ["caseNumber": "W-2", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "李四"]),
            ("CaseAccepted", ["caseType": "reported-upward", "promisedLimit": 10, "promisedLimitUnit": "working-days"]),
            ("CaseReportedUpward", ["reportedTo": "衡阳市行政审批服务局"]),
            ("CaseReturnedFromUpward", [:]),
            ("CaseUrged", ["urgedBy": "县电子监察室", "reason": "即将超期"]),
            ("CaseWithdrawn", ["reason": "申请人撤回"]),
        ])
        + stream("case/430424/W-3", day: "2025-03-06", [
            ("CaseSubmitted", ["caseNumber": "W-3", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "王五"]),
            ("CaseRefused", ["reason": "不属于本机关职责范围"]),
        ])
        + stream("document/430424/D-1", day: "2025-03-07", [
            ("DocumentPublished", ["title": "2025年工作要点", "category": "plans", "departmentCode": "test"]),
            ("DocumentRevised", ["reason": "更正错字", "title": "2025年度工作要点"]),
            ("DocumentWithdrawn", ["reason": "已失效"]),
        ])
        + stream("request/430424/R-1", day: "2025-03-10", [
            ("DisclosureRequestReceived", ["requesterName": "赵六", "requesterKind": "citizen", "description": "请求公开某项目批复", "departmentCode": "test"]),
            ("DisclosureSupplementRequested", ["correction": "请明确项目名称"]),
            ("DisclosureSupplementReceived", [:]),
            ("ThirdPartyConsulted", ["thirdPartyName": "某公司"]),
            ("DisclosureRequestExtended", ["reason": "需征求第三方意见", "extensionLimit": 20]),
            ("DisclosureRequestAnswered", ["outcome": "partially-disclosed"]),
            ("ReconsiderationFiled", ["filedWith": "衡东县人民政府"]),
            ("ReconsiderationDecided", ["outcome": "upheld"]),
            ("LitigationFiled", ["court": "衡东县人民法院"]),
            ("LitigationDecided", ["outcome": "upheld"]),
        ])
        + stream("letter/430424/L-1", day: "2025-03-11", [
            ("LetterReceived", ["mailbox": "county-head", "writerName": "钱七", "title": "道路破损", "content": "某路段破损严重"]),
            ("LetterAccepted", ["replyLimit": 15]),
            ("LetterTransferred", ["toDepartmentCode": "transport", "replyLimit": 10]),
            ("LetterReturned", ["reason": "不属本单位职责"]),
            ("LetterTransferred", ["toDepartmentCode": "housing"]),
            ("LetterEscalated", ["escalatedTo": "县长"]),
            ("LetterUrged", ["urgedBy": "县信访局"]),
            ("LetterExtensionGranted", ["extensionLimit": 5, "reason": "需现场勘查"]),
            ("LetterReplied", ["reply": "已安排修复", "published": true]),
        ])
        + stream("consultation/430424/Q-1", day: "2025-03-12", [
            ("ConsultationReceived", ["question": "办理需要哪些材料？", "departmentCode": "test", "itemCode": "430424XK001", "replyLimit": 3]),
            ("ConsultationAnswered", ["answer": "见办事指南"]),
        ])
        + stream("complaint/430424/C-1", day: "2025-03-13", [
            ("ComplaintReceived", ["content": "窗口排队时间长", "departmentCode": "test", "caseSubject": "case/430424/W-1"]),
            ("ComplaintAnswered", ["answer": "已增设窗口", "substantiated": true]),
        ])

    @Test("every event type of a case, item, document, request, letter, consultation and complaint reaches its read model")
    func wholeCatalog() async throws {
        try await TestCluster.with { cluster in
            _ = try await cluster.gateway.append(Self.events)
            let db = cluster.node.database
            try await cluster.running([cluster.projector()]) {
                // Every event of the test (ids <subject>#n) is in the log, so every partition's batch is applied.
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE id LIKE '%#%'", equals: Int64(Self.events.count))
            }
            func expectRow(_ sql: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let row = try await db.query(PostgresQuery(unsafeSQL: sql)).first?.decode(String?.self, at: 0)  // booleans as PostgreSQL's text: t / f
                #expect(row == expected, sourceLocation: sourceLocation)
            }

            try await expectRow("SELECT concat_ws(',', promised_limit, retirement_kind, retired_at IS NOT NULL, revised_at IS NOT NULL) FROM catalog.items WHERE item_code = 'XK-OLD'", "8,delegated,t,t")
            try await expectRow(
                """
                SELECT concat_ws(',', status, promised_limit_unit, review_completed_at IS NOT NULL, special_procedures, special_procedure_kind IS NULL,
                                 delivered_at IS NOT NULL, satisfaction_code, rectified_at IS NOT NULL, follow_up_satisfaction_code)
                FROM approval.cases WHERE subject = 'case/430424/W-1'
                """, "delivered,calendar-days,t,1,t,t,4,t,2")
            try await expectRow(
                """
                SELECT concat_ws(',', status, reported_upward_at IS NOT NULL, returned_from_upward_at IS NOT NULL, urges, withdrawn_at IS NOT NULL, concluded_on IS NULL)
                FROM approval.cases WHERE subject = 'case/430424/W-2'
                """, "withdrawn,t,t,1,t,t")
            try await expectRow("SELECT refusal_reason FROM approval.cases WHERE subject = 'case/430424/W-3'", "不属于本机关职责范围")
            try await expectRow("SELECT concat_ws(',', title, revisions, withdrawn_at IS NOT NULL) FROM disclosure.documents WHERE subject = 'document/430424/D-1'", "2025年度工作要点,1,t")
            try await expectRow(
                """
                SELECT concat_ws(',', supplement_requested_at IS NOT NULL, supplement_received_at IS NOT NULL, third_party_consultations, extension_limit,
                                 outcome, reconsideration_outcome, litigation_outcome, reconsideration_filed_at IS NOT NULL, litigation_filed_at IS NOT NULL)
                FROM disclosure.requests WHERE subject = 'request/430424/R-1'
                """, "t,t,1,20,partially-disclosed,upheld,upheld,t,t")
            try await expectRow(
                """
                SELECT concat_ws(',', status, mailbox, reply_limit, department_code, transfers, returns, escalations, urges, extension_limit, published)
                FROM interaction.letters WHERE subject = 'letter/430424/L-1'
                """, "replied,county-head,10,housing,2,1,1,1,5,t")
            try await expectRow("SELECT concat_ws(',', reply_limit, answered_at IS NOT NULL) FROM interaction.consultations", "3,t")
            try await expectRow("SELECT concat_ws(',', case_subject, substantiated) FROM interaction.complaints", "case/430424/W-1,t")

            // Clocks: the letter's limit is its last transfer's 10 working days plus the 5 of the extension, from Tuesday
            // 2025-03-11: Tuesday 04-01. The consultation's own 3 days from Wednesday 03-12: Monday 03-17. The complaint
            // carries no limit: the configured 5 from Thursday 03-13: Thursday 03-20. W-1's bad rating on Tuesday 03-04:
            // rectification within the configured 10 working days, by Tuesday 03-18. All answered the same day: in time.
            try await expectRow("SELECT concat_ws(',', deadline, replied_in_time) FROM interaction.letters", "2025-04-01,t")
            try await expectRow("SELECT concat_ws(',', deadline, replied_in_time) FROM interaction.consultations", "2025-03-17,t")
            try await expectRow("SELECT concat_ws(',', deadline, replied_in_time) FROM interaction.complaints", "2025-03-20,t")
            try await expectRow("SELECT concat_ws(',', rectification_deadline, rectified_in_time) FROM approval.cases WHERE subject = 'case/430424/W-1'", "2025-03-18,t")
            try await expectRow("SELECT concat_ws(',', clock->>'regime', answered_in_time) FROM disclosure.requests", "order-711,t")

            // Public listings leave out the retired item and the withdrawn document.
            try await cluster.application().test(.router) { client in
                let items = try await client.read("/v1/items?region=430424", token: nil)
                #expect(items.json["items"]?.arrayValue?.contains { $0["itemCode"] == "XK-OLD" } == false)
                #expect(items.json["items"]?.arrayValue?.contains { $0["itemCode"] == "430424XK001" } == true)
                let documents = try await client.read("/v1/disclosures?region=430424", token: nil)
                #expect(documents.json["documents"] == .array([]))
                #expect(documents.json["next"] == .null)
                // Interaction metrics for the quarter.
                let metrics = try await client.read("/v1/metrics/interactions?region=430424&period=quarter")
                let rows = try #require(metrics.json["rows"]?.arrayValue)
                #expect(rows.map { $0["kind"] } == ["complaint", "consultation", "disclosure-request", "letter"])
                let letter = try #require(rows.first { $0["kind"] == "letter" })
                #expect(letter["period"] == "2025-Q1" && letter["received"] == 1 && letter["answeredInTime"] == 1 && letter["inTimeRate"]?.doubleValue == 1)
                #expect(letter["transferred"] == 1 && letter["escalated"] == 1 && letter["extended"] == 1 && letter["returned"] == 1 && letter["urged"] == 1)
                let request = try #require(rows.first { $0["kind"] == "disclosure-request" })
                #expect(request["byOutcome"]?["partially-disclosed"] == 1 && request["byOutcome"]?["disclosed"] == 0)
                #expect(request["extended"] == 1)
            }
        }
    }
}
