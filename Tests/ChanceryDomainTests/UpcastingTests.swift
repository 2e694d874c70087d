import ChanceryDomain
import Foundation
import Testing

/// Schema evolution: every type's older versions reach its newest through the registered upcasters, on read.
@Suite("Upcasting")
struct UpcastingTests {
    static func accepted(_ data: JSONValue, version: Int?) -> CloudEvent {
        CloudEvent(id: "A-1", source: "/430424/departments/planning", type: "gov.approval.case.accepted", subject: "case/430424/A-1",
                   time: "2025-03-05T10:00:00+08:00", region: "430424", data: data,
                   dataschema: version.map { EventSchemaSet.schemaID(type: "gov.approval.case.accepted", version: $0) },
                   sequence: 2, recordedtime: "2025-03-05T02:00:01.000Z", prevhash: "aa", hash: "bb")
    }

    @Test("every version after 1 has an upcaster from the version before it")
    func chainsAreComplete() {
        for t in EventCatalog.all where t.version > 1 {
            let steps = UpcasterRegistry.standard.upcasters(of: t.type)
            #expect(Set(steps.keys) == Set(1..<t.version), "\(t.name)")
        }
    }

    @Test("CaseAccepted v1 reads as v2 with promisedLimitUnit working-days; envelope, sequence and hash are kept")
    func caseAcceptedV1() throws {
        let v1 = Self.accepted(["caseType": "promised", "promisedLimit": 5, "statutoryLimit": 20], version: 1)
        let read = UpcasterRegistry.standard.upcast(v1)
        #expect(read.data == ["caseType": "promised", "promisedLimit": 5, "statutoryLimit": 20, "promisedLimitUnit": "working-days"])
        #expect(read.dataschema == "urn:chancery:schema:gov.approval.case.accepted:2")
        #expect(read.hash == v1.hash && read.sequence == v1.sequence && read.id == v1.id && read.time == v1.time)
        // The upcast data is valid version 2 data.
        try EventValidator.validateData(read.data, of: EventCatalog.named("CaseAccepted"), version: 2, pointer: "/data")
        // An event without dataschema is read as version 1.
        #expect(UpcasterRegistry.standard.upcast(Self.accepted(["caseType": "promised", "promisedLimit": 5], version: nil)).data["promisedLimitUnit"] == "working-days")
    }

    @Test("newest-version events and types without upcasters are returned unchanged")
    func unchanged() {
        let v2 = Self.accepted(["caseType": "promised", "promisedLimit": 30, "promisedLimitUnit": "calendar-days"], version: 2)
        #expect(UpcasterRegistry.standard.upcast(v2) == v2)
        var other = v2
        other.type = "gov.approval.case.decided"
        other.data = ["decision": "approved"]
        other.dataschema = "urn:chancery:schema:gov.approval.case.decided:1"
        #expect(UpcasterRegistry.standard.upcast(other) == other)
    }

    @Test("every valid version-1 corpus example of an evolved type upcasts to valid newest data")
    func corpusUpcasts() throws {
        var checked = 0
        for url in try SchemaCorpusTests.corpusFiles() where url.lastPathComponent.hasPrefix("valid-") {
            let json = try OrderedJSON(parsing: Data(contentsOf: url)).jsonValue
            guard let type = json["type"]?.stringValue, let t = EventCatalog.eventType(type), t.version > 1,
                  json["dataschema"]?.stringValue == t.dataschema(version: 1), let data = json["data"] else { continue }
            var event = Self.accepted(data, version: 1)
            event.type = type
            let read = UpcasterRegistry.standard.upcast(event)
            #expect(throws: Never.self, "\(url.lastPathComponent)") {
                try EventValidator.validateData(read.data, of: t, version: t.version, pointer: "/data")
            }
            checked += 1
        }
        #expect(checked >= 3)
    }

    @Test("unpinned data in an older shape is refused with a hint naming the version it matches")
    func unpinnedHint() throws {
        let json: JSONValue = [
            "specversion": "1.0", "id": "A-1", "source": "/430424/departments/planning", "type": "gov.approval.case.accepted",
            "subject": "case/430424/A-1", "time": "2025-03-05T10:00:00+08:00", "region": "430424",
            "data": ["caseType": "promised", "promisedLimit": 5],
        ]
        let error = try #require(throws: EventRejection.self) { try EventValidator.validate(json) }
        #expect(error.code == "invalid-data")
        #expect(error.pointer == "/data/promisedLimitUnit")
        #expect(error.message.contains("urn:chancery:schema:gov.approval.case.accepted:1"))
        var pinned = json
        if case .object(var o) = pinned { o["dataschema"] = "urn:chancery:schema:gov.approval.case.accepted:1"; pinned = .object(o) }
        #expect(try EventValidator.validate(pinned).dataschema == "urn:chancery:schema:gov.approval.case.accepted:1")
    }
}
