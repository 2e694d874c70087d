import ChanceryDomain
import Foundation
import Testing

/// CloudEvents JSON format §2.2: "When decoding attributes and a null value is encountered, it MUST be treated as the
/// equivalent of unset or omitted." Chancery reads its optional attributes (`datacontenttype`, `dataschema`,
/// `expectedsequence`) given as `null` as absent, a required attribute given as `null` as missing, and keeps the
/// canonical form (and so the hash chain) of an event the same whether an optional attribute was absent or `null`.
@Suite("Null attributes in submitted events")
struct NullAttributesTests {
    static let members: [String: JSONValue] = [
        "specversion": "1.0", "id": "e-1", "source": "/430424/departments/test", "type": "gov.approval.case.submitted",
        "subject": "case/430424/2025-1", "time": "2025-03-05T10:00:00+08:00", "region": "430424",
        "data": ["caseNumber": "2025-1", "itemCode": "X1", "departmentCode": "d", "applicantName": "张三"],
    ]

    static func event(_ changes: [String: JSONValue]) -> JSONValue {
        var o = members
        for (k, v) in changes { o[k] = v }
        return .object(o)
    }

    static func rejection(_ json: JSONValue) -> EventRejection? {
        do {
            _ = try EventValidator.validateSubmission(json)
            return nil
        } catch {
            return error
        }
    }

    @Test("datacontenttype, dataschema and expectedsequence given as null are accepted as absent",
          arguments: ["datacontenttype", "dataschema", "expectedsequence"])
    func optionalNull(name: String) throws {
        let (withNull, expectedWithNull) = try EventValidator.validateSubmission(Self.event([name: .null]))
        let (without, expectedWithout) = try EventValidator.validateSubmission(Self.event([:]))
        #expect(withNull == without)
        #expect(expectedWithNull == expectedWithout)
        #expect(expectedWithNull == .any)
        #expect(withNull.datacontenttype == "application/json")
        #expect(withNull.dataschema == "urn:chancery:schema:gov.approval.case.submitted:\(EventCatalog.eventType("gov.approval.case.submitted")!.version)")
    }

    @Test("the canonical bytes, the hash and the idempotency content do not change when optional attributes are null")
    func canonicalFormUnchanged() throws {
        let nulls = Self.event(["datacontenttype": .null, "dataschema": .null, "expectedsequence": .null])
        var a = try EventValidator.validateSubmission(nulls).0
        var b = try EventValidator.validateSubmission(Self.event([:])).0
        #expect(a.publisherContent() == b.publisherContent())
        a.sequence = 1; a.recordedtime = "2026-12-07T10:00:00Z"; a.prevhash = CloudEvent.genesisHash
        b.sequence = 1; b.recordedtime = "2026-12-07T10:00:00Z"; b.prevhash = CloudEvent.genesisHash
        #expect(a.canonicalBytes() == b.canonicalBytes())
        #expect(a.computeHash() == b.computeHash())
        let text = String(decoding: a.canonicalBytes(), as: UTF8.self)
        #expect(!text.contains("null,") && !text.contains(":null"), "\(text)")
    }

    @Test("a pinned older dataschema still applies; null falls back to the newest version like absence")
    func dataschemaNullMeansNewest() throws {
        let accepted: [String: JSONValue] = [
            "type": "gov.approval.case.accepted", "id": "e-2", "dataschema": .null,
            "data": ["caseType": "promised", "promisedLimit": 5, "statutoryLimit": 20, "promisedLimitUnit": "working-days"],
        ]
        let event = try EventValidator.validateSubmission(Self.event(accepted)).0
        #expect(event.dataschema == EventCatalog.eventType("gov.approval.case.accepted")!.dataschema())
    }

    @Test("a required attribute given as null is missing", arguments: ["specversion", "id", "source", "type", "subject", "time", "region"])
    func requiredNull(name: String) {
        let r = Self.rejection(Self.event([name: .null]))
        #expect(r?.code == "missing-attribute")
        #expect(r?.pointer == "/\(name)")
    }

    @Test("gateway attributes and unknown attributes are refused even as null",
          arguments: [("hash", "invalid-attribute"), ("sequence", "invalid-attribute"), ("colour", "unknown-attribute")])
    func refusedNull(name: String, code: String) {
        let r = Self.rejection(Self.event([name: .null]))
        #expect(r?.code == code)
        #expect(r?.pointer == "/\(name)")
    }

    @Test("data given as null is refused (data is not an attribute)")
    func dataNull() {
        let r = Self.rejection(Self.event(["data": .null]))
        #expect(r?.code == "invalid-data")
        #expect(r?.pointer == "/data")
    }

    @Test("a non-null wrong value is still refused", arguments: [("datacontenttype", JSONValue.string("text/plain")), ("dataschema", JSONValue.integer(1))])
    func wrongValues(name: String, value: JSONValue) {
        let r = Self.rejection(Self.event([name: value]))
        #expect(r?.code == "invalid-attribute")
        #expect(r?.pointer == "/\(name)")
    }

    @Test("in a batch the null attributes of each element are read as absent")
    func batchElements() throws {
        let body = #"[{"specversion":"1.0","id":"e-1","source":"/430424/departments/test","type":"gov.approval.case.submitted","subject":"case/430424/2025-1","time":"2025-03-05T10:00:00+08:00","region":"430424","datacontenttype":null,"dataschema":null,"data":{"caseNumber":"2025-1","itemCode":"X1","departmentCode":"d","applicantName":"张三"}}]"#
        let json = try EventJSON.parseSubmission(Array(body.utf8), form: .batch)
        let event = try EventValidator.validateSubmission(json[0]!, pointerPrefix: "/0").0
        #expect(event.id == "e-1")
        #expect(event.datacontenttype == "application/json")
    }
}
