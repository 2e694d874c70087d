import ChanceryDomain
import ChanceryScenario
import Foundation
import Testing

/// The scenario is generated once per test process (a lazily initialised global is thread-safe).
let scenarioEvents: [CloudEvent] = ReferenceScenario().events()

/// The business date (Asia/Shanghai) of an event, as the read models compute it.
func shanghaiDate(_ event: CloudEvent) -> CivilDate {
    (try! RFC3339Timestamp(parsing: event.time)).civilDate(atOffsetSeconds: 8 * 3600)
}

/// The figures counted from the events the way the read models count them.
struct CountedFigures: Equatable {
    var zhuhuiDisclosingDepartments = 0
    var zhuhuiReported = 0
    var zhuhuiReportedByCategory: [String: Int] = [:]
    var zhuhuiReportedTo: Set<String> = []
    var zhuhuiItemsRegistered = 0
    var zhuhuiItemsConfirmedByOwner = 0
    var zhuhuiKinds: [String: Int] = [:]
    var zhuhuiCaseTypes: [String: Int] = [:]
    var zhuhuiFirstConfirmation: CivilDate?
    var zhuhuiLastConfirmation: CivilDate?
    var zhuhuiRequests = 0
    var zhuhuiDisclosed = 0
    var hengdongItemsRegistered = 0
    var hengdongItemsConfirmedByOwner = 0
    var hengdongDepartments = 0
    var hengdongAccepted = 0
    var hengdongConcluded = 0

    init(_ events: [CloudEvent], period: ClosedRange<CivilDate>) {
        var category: [String: String] = [:]  // document subject → category
        var publishers: Set<String> = []
        var owner: [String: String] = [:]  // item subject → department
        var hengdongOwners: Set<String> = []
        var hengdongConfirmed: Set<String> = []
        let year = CivilDate(year: 2025, month: 1, day: 1)...CivilDate(year: 2025, month: 12, day: 31)
        for e in events {
            let date = shanghaiDate(e)
            switch (e.region, e.type) {
            case ("430405", "gov.disclosure.document.published"):
                category[e.subject] = e.data["category"]!.stringValue!
                publishers.insert(e.data["departmentCode"]!.stringValue!)
            case ("430405", "gov.disclosure.document.reported"):
                guard year.contains(date), let c = category[e.subject] else { continue }
                zhuhuiReported += 1
                zhuhuiReportedByCategory[c, default: 0] += 1
                zhuhuiReportedTo.insert(e.data["reportedTo"]!.stringValue!)
            case ("430405", "gov.catalog.item.registered"):
                zhuhuiItemsRegistered += 1
                owner[e.subject] = e.data["departmentCode"]!.stringValue!
                zhuhuiKinds[e.data["itemKind"]!.stringValue!, default: 0] += 1
                zhuhuiCaseTypes[e.data["caseType"]!.stringValue!, default: 0] += 1
            case ("430405", "gov.catalog.item.confirmed"):
                if owner[e.subject] == e.data["departmentCode"]?.stringValue { zhuhuiItemsConfirmedByOwner += 1 }
                zhuhuiFirstConfirmation = min(zhuhuiFirstConfirmation ?? date, date)
                zhuhuiLastConfirmation = max(zhuhuiLastConfirmation ?? date, date)
            case ("430405", "gov.disclosure.request.received"):
                zhuhuiRequests += 1
            case ("430405", "gov.disclosure.request.answered"):
                if e.data["outcome"] == "disclosed" { zhuhuiDisclosed += 1 }
            case ("430424", "gov.catalog.item.registered"):
                hengdongItemsRegistered += 1
                owner[e.subject] = e.data["departmentCode"]!.stringValue!
                hengdongOwners.insert(e.data["departmentCode"]!.stringValue!)
            case ("430424", "gov.catalog.item.confirmed"):
                // An item confirmed again after a revision (ItemRevised) is still one item.
                if owner[e.subject] == e.data["departmentCode"]?.stringValue { hengdongConfirmed.insert(e.subject) }
            case ("430424", "gov.approval.case.accepted"):
                if period.contains(date) { hengdongAccepted += 1 }
            case ("430424", "gov.approval.case.concluded"):
                if period.contains(date) { hengdongConcluded += 1 }
            default:
                break
            }
        }
        zhuhuiDisclosingDepartments = publishers.count
        hengdongDepartments = hengdongOwners.count
        hengdongItemsConfirmedByOwner = hengdongConfirmed.count
    }
}

@Suite("Reference scenario")
struct ReferenceScenarioTests {
    let figures = ReferenceScenario.expectedFigures

    @Test("Zhuhui: disclosure, reporting and the item clean-up reproduce the published figures")
    func zhuhuiFigures() {
        let z = figures.zhuhui
        let counted = CountedFigures(scenarioEvents, period: figures.hengdong.period)
        #expect(counted.zhuhuiDisclosingDepartments == 29 && z.disclosingDepartments == 29)
        #expect(counted.zhuhuiReported == 471 && z.documentsReported == 471)
        let expectedCategories = [
            "overview": 70, "notices": 32, "work-updates": 264, "normative-documents": 13, "plans": 27,
            "business-work": 30, "major-construction": 1, "fiscal-information": 7, "emergency-management": 2,
            "statistics": 7, "personnel": 10, "other": 8,
        ]
        #expect(counted.zhuhuiReportedByCategory == expectedCategories)
        #expect(z.documentsByCategory == expectedCategories)
        #expect(Set(expectedCategories.keys) == Set(EventCatalog.disclosureCategories))
        #expect(counted.zhuhuiReportedTo == ["/430400/portal/direct-reporting"])
        #expect(counted.zhuhuiItemsRegistered == 66 && z.items == 66)
        #expect(counted.zhuhuiItemsConfirmedByOwner == 66)
        #expect(counted.zhuhuiKinds == ["licensing": 59, "non-licensing-approval": 7])
        #expect(counted.zhuhuiCaseTypes["reported-upward"] == 16)
        #expect(counted.zhuhuiCaseTypes["joint"] == 1)
        #expect((counted.zhuhuiCaseTypes["promised"] ?? 0) + (counted.zhuhuiCaseTypes["immediate"] ?? 0) == 49)
        #expect(counted.zhuhuiFirstConfirmation == CivilDate(year: 2025, month: 10, day: 19))
        #expect(counted.zhuhuiLastConfirmation == CivilDate(year: 2025, month: 11, day: 13))
        #expect(counted.zhuhuiRequests == 1 && counted.zhuhuiDisclosed == 1)
        #expect(z.licensingItems == 59 && z.nonLicensingApprovalItems == 7 && z.reportedUpwardItems == 16 && z.jointItems == 1)
    }

    @Test("Zhuhui: every document is published, then reported; the request is the retiree's")
    func zhuhuiStreams() {
        let documents = Dictionary(grouping: scenarioEvents.filter { $0.subject.hasPrefix("document/430405/") }, by: \.subject)
        #expect(documents.count == 471)
        for (_, events) in documents {
            #expect(events.map(\.type) == ["gov.disclosure.document.published", "gov.disclosure.document.reported"])
        }
        let request = scenarioEvents.filter { $0.subject.hasPrefix("request/430405/") }
        #expect(request.map(\.type) == ["gov.disclosure.request.received", "gov.disclosure.request.answered"])
        #expect(request.first?.data["description"]?.stringValue?.contains("下岗失业人员养老保险") == true)
        #expect(request.last?.data["note"]?.stringValue?.contains("社会保障服务大厅") == true)
    }

    @Test("Hengdong: 313 items of 40 units; 9,541 accepted and 7,766 concluded in January–October")
    func hengdongFigures() {
        let h = figures.hengdong
        let counted = CountedFigures(scenarioEvents, period: h.period)
        #expect(counted.hengdongItemsRegistered == 313 && h.items == 313)
        #expect(counted.hengdongItemsConfirmedByOwner == 313)
        #expect(counted.hengdongDepartments == 40 && h.departments == 40)
        #expect(counted.hengdongAccepted == 9_541 && h.casesAccepted == 9_541)
        #expect(counted.hengdongConcluded == 7_766 && h.casesConcluded == 7_766)
        #expect(h.period == CivilDate(year: 2025, month: 1, day: 1)...CivilDate(year: 2025, month: 10, day: 31))
    }

    @Test("The figures hold for other seeds too", arguments: [UInt64(1), 42, 0xdead_beef])
    func otherSeeds(seed: UInt64) {
        let events = ReferenceScenario(seed: seed).events()
        let counted = CountedFigures(events, period: figures.hengdong.period)
        #expect(counted.zhuhuiReported == 471)
        #expect(counted.zhuhuiDisclosingDepartments == 29)
        #expect(counted.zhuhuiFirstConfirmation == CivilDate(year: 2025, month: 10, day: 19))
        #expect(counted.hengdongAccepted == 9_541)
        #expect(counted.hengdongConcluded == 7_766)
        #expect(counted.hengdongDepartments == 40)
        #expect(events.count != scenarioEvents.count || events != scenarioEvents)
    }

    @Test("Every event passes EventValidator.validate as JSON and round-trips unchanged")
    func everyEventValidates() throws {
        let encoder = JSONEncoder()
        var failures: [String] = []
        for event in scenarioEvents {
            let json = try OrderedJSON(parsing: Array(try encoder.encode(event))).jsonValue
            do {
                let validated = try EventValidator.validate(json)
                if validated != event { failures.append("\(event.id): changed by validation") }
            } catch {
                failures.append("\(event.id): \(error)")
            }
            #expect(event.sequence == nil && event.hash == nil && event.prevhash == nil && event.recordedtime == nil)
            if failures.count > 10 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("Generation is deterministic: same seed, identical events and ids")
    func deterministic() {
        let again = ReferenceScenario(seed: ReferenceScenario.defaultSeed).events()
        #expect(again == scenarioEvents)
        #expect(Set(scenarioEvents.map(\.id)).count == scenarioEvents.count)
    }

    @Test("Streams are in order: ids <subject>#n, times strictly increasing, globally sorted, items before cases")
    func ordering() throws {
        var lastOrdinal: [String: Int] = [:]
        var lastTime: [String: RFC3339Timestamp] = [:]
        var registered: Set<String> = []
        var previous: RFC3339Timestamp?
        for event in scenarioEvents {
            let t = try RFC3339Timestamp(parsing: event.time)
            if let previous { #expect(previous <= t) }
            previous = t
            let n = (lastOrdinal[event.subject] ?? 0) + 1
            #expect(event.id == "\(event.subject)#\(n)")
            lastOrdinal[event.subject] = n
            if let before = lastTime[event.subject] { #expect(before < t, "\(event.id)") }
            lastTime[event.subject] = t
            #expect(event.time.hasSuffix("+08:00"))
            // The scenario's publishers speak version 1 of every type (read through the upcasters).
            #expect(event.dataschema == EventCatalog.eventType(event.type)?.dataschema(version: 1))
            let stream = try #require(StreamID(event.subject))
            #expect(stream.region == event.region)
            #expect(event.source.hasPrefix("/\(event.region)/departments/"))
            if event.type == "gov.catalog.item.registered" { registered.insert("\(event.region)/\(event.data["itemCode"]!.stringValue!)") }
            if event.type == "gov.approval.case.submitted" {
                #expect(registered.contains("\(event.region)/\(event.data["itemCode"]!.stringValue!)"), "\(event.id) before its item")
                #expect(event.subject == "case/\(event.region)/\(event.data["caseNumber"]!.stringValue!)")
            }
        }
        #expect(scenarioEvents.first?.type == "gov.catalog.item.registered")
        #expect((60_000...90_000).contains(scenarioEvents.count))
    }
}

/// Replays events through the lifecycle and catalog rules the gateway applies; returns the first violations.
func lifecycleViolations(_ events: [CloudEvent]) -> [String] {
    var states: [String: AggregateState] = [:]
    var violations: [String] = []
    for event in events {
        let state = states[event.subject]
        do {
            _ = try Lifecycle.decide(event, given: state)
            try CatalogRules.check(event, given: state, item: CatalogRules.itemStream(for: event, given: state).flatMap { states[$0] })
        } catch {
            violations.append("\(event.id): \(error)")
            if violations.count >= 10 { break }
        }
        states[event.subject] = Lifecycle.evolve(state, event)
    }
    return violations
}

@Test("The scenario follows the lifecycle and catalog rules the gateway enforces, in the order returned")
func scenarioLifecycle() {
    let violations = lifecycleViolations(scenarioEvents)
    #expect(violations.isEmpty, "\(violations)")
}
