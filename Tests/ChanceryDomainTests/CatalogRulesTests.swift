import ChanceryDomain
import Foundation
import Testing

/// The catalog rules of a case: its item exists in the region, is not retired, and belongs to its department.
@Suite("Catalog rules")
struct CatalogRulesTests {
    static func event(_ name: String, subject: String, _ data: JSONValue = [:]) -> CloudEvent {
        CloudEvent(id: UUID().uuidString, source: "/430424/departments/planning", type: EventCatalog.named(name).type, subject: subject,
                   time: "2025-03-05T10:00:00+08:00", region: "430424", data: data)
    }

    static let item = "item/430424/XK001"
    static let registered = event("ItemRegistered", subject: item, [
        "itemCode": "XK001", "itemName": "建设工程规划许可", "itemKind": "licensing", "departmentCode": "planning",
        "departmentName": "县自然资源局", "statutoryLimit": 20, "promisedLimit": 10, "caseType": "promised",
    ])
    static func submitted(item: String = "XK001", department: String = "planning") -> CloudEvent {
        event("CaseSubmitted", subject: "case/430424/C-1", ["caseNumber": "C-1", "itemCode": .string(item), "departmentCode": .string(department), "applicantName": "张三"])
    }
    static let accepted = event("CaseAccepted", subject: "case/430424/C-1", ["caseType": "promised", "promisedLimit": 10])

    /// The rejection of `event` after `itemEvents` on the item stream and `caseEvents` on the case stream, or nil.
    static func rejection(_ event: CloudEvent, item itemEvents: [CloudEvent], case caseEvents: [CloudEvent] = []) -> EventRejection? {
        let itemState = itemEvents.reduce(AggregateState?.none) { Lifecycle.evolve($0, $1) }
        let caseState = caseEvents.reduce(AggregateState?.none) { Lifecycle.evolve($0, $1) }
        #expect(CatalogRules.itemStream(for: event, given: caseState) == item)
        do {
            try CatalogRules.check(event, given: caseState, item: itemState)
            return nil
        } catch {
            return error
        }
    }

    @Test("a case for a registered item of its own department is accepted")
    func legal() {
        #expect(Self.rejection(Self.submitted(), item: [Self.registered]) == nil)
        #expect(Self.rejection(Self.accepted, item: [Self.registered], case: [Self.submitted()]) == nil)
    }

    @Test("an unknown item is refused at /data/itemCode")
    func unknownItem() throws {
        let r = try #require(Self.rejection(Self.submitted(), item: []))
        #expect(r.code == "catalog-violation")
        #expect(r.pointer == "/data/itemCode")
        #expect(r.message.contains("not in the catalog of region 430424"))
    }

    @Test("a retired item takes no new case and no acceptance")
    func retiredItem() throws {
        let retired = Self.event("ItemRetired", subject: Self.item, ["retirementKind": "cancelled"])
        let atSubmission = try #require(Self.rejection(Self.submitted(), item: [Self.registered, retired]))
        #expect(atSubmission.pointer == "/data/itemCode")
        #expect(atSubmission.message.contains("retired"))
        let atAcceptance = try #require(Self.rejection(Self.accepted, item: [Self.registered, retired], case: [Self.submitted()]))
        #expect(atAcceptance.code == "catalog-violation")
        #expect(atAcceptance.pointer == "/type")
    }

    @Test("a case for another department's item is refused at /data/departmentCode")
    func otherDepartment() throws {
        let r = try #require(Self.rejection(Self.submitted(department: "housing"), item: [Self.registered]))
        #expect(r.pointer == "/data/departmentCode")
        #expect(r.message.contains("belongs to department planning, not to housing"))
    }

    @Test("events other than submission and acceptance need no item")
    func otherEvents() {
        let decided = Self.event("CaseDecided", subject: "case/430424/C-1", ["decision": "approved"])
        #expect(CatalogRules.itemStream(for: decided, given: nil) == nil)
    }
}
