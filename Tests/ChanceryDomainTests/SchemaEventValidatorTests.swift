import ChanceryDomain
import Foundation
import Testing

/// EventValidator checks `data` against the bundled schemas, keeping its codes and pointer conventions.
@Suite("Event validation against the schemas")
struct SchemaEventValidatorTests {
    static func submitted(_ data: JSONValue, type: String = "gov.approval.case.submitted", subject: String = "case/430424/2025-1",
                          extra: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = [
            "specversion": "1.0", "id": "e-1", "source": "/430424/departments/test", "type": .string(type), "subject": .string(subject),
            "time": "2025-03-05T10:00:00+08:00", "region": "430424", "data": data,
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    static let caseData: [String: JSONValue] = ["caseNumber": "2025-1", "itemCode": "X1", "departmentCode": "d", "applicantName": "张三"]

    static func rejection(_ json: JSONValue, prefix: String = "") -> EventRejection? {
        do {
            _ = try EventValidator.validateSubmission(json, pointerPrefix: prefix)
            return nil
        } catch {
            return error
        }
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var event: JSONValue
        var code: String
        var pointer: String
        var description: String { name }
    }

    static func with(_ changes: [String: JSONValue?]) -> JSONValue {
        var d = caseData
        for (k, v) in changes { d[k] = v }
        return submitted(.object(d))
    }

    static let rows: [Row] = [
        Row(name: "missing required field, first in schema order", event: submitted(["caseNumber": "2025-1"]), code: "invalid-data", pointer: "/data/itemCode"),
        Row(name: "wrong type", event: with(["itemCode": 5]), code: "invalid-data", pointer: "/data/itemCode"),
        Row(name: "empty string", event: with(["applicantName": ""]), code: "invalid-data", pointer: "/data/applicantName"),
        Row(name: "null is not a string", event: with(["applicantPhone": .null]), code: "invalid-data", pointer: "/data/applicantPhone"),
        Row(name: "unknown field", event: with(["colour": "red"]), code: "invalid-data", pointer: "/data/colour"),
        Row(name: "enum", event: with(["applicantKind": "robot"]), code: "invalid-data", pointer: "/data/applicantKind"),
        Row(name: "data not an object", event: submitted([1, 2]), code: "invalid-data", pointer: "/data"),
        Row(name: "working days out of range",
            event: submitted(["caseType": "promised", "promisedLimit": 4000, "promisedLimitUnit": "working-days"], type: "gov.approval.case.accepted"), code: "invalid-data", pointer: "/data/promisedLimit"),
        Row(name: "promised limit above statutory (beyond JSON Schema)",
            event: submitted(["caseType": "promised", "promisedLimit": 30, "promisedLimitUnit": "working-days", "statutoryLimit": 20], type: "gov.approval.case.accepted"),
            code: "invalid-data", pointer: "/data/promisedLimit"),
        Row(name: "item revision with only a reason",
            event: submitted(["reason": "x"], type: "gov.catalog.item.revised", subject: "item/430424/X1"), code: "invalid-data", pointer: "/data"),
        Row(name: "reason code of another outcome (if/then)",
            event: submitted(["outcome": "withheld", "reasonCode": "not-held"], type: "gov.disclosure.request.answered", subject: "request/430424/1"),
            code: "invalid-data", pointer: "/data/reasonCode"),
        Row(name: "date format",
            event: submitted(["urgedBy": "监察室", "reason": "催办", "deadline": "2025-02-30"], type: "gov.approval.case.urged"), code: "invalid-data", pointer: "/data/deadline"),
        Row(name: "unknown dataschema version", event: submitted(.object(caseData), extra: ["dataschema": "urn:chancery:schema:gov.approval.case.submitted:2"]),
            code: "invalid-attribute", pointer: "/dataschema"),
        Row(name: "dataschema version with a leading zero", event: submitted(.object(caseData), extra: ["dataschema": "urn:chancery:schema:gov.approval.case.submitted:01"]),
            code: "invalid-attribute", pointer: "/dataschema"),
        Row(name: "unknown type", event: submitted(.object(caseData), type: "gov.approval.case.teleported"), code: "unknown-type", pointer: "/type"),
        Row(name: "subject of another kind", event: submitted(.object(caseData), subject: "letter/430424/1"), code: "invalid-attribute", pointer: "/subject"),
        Row(name: "region differs from the subject's", event: submitted(.object(caseData), subject: "case/430405/1"), code: "invalid-attribute", pointer: "/region"),
        Row(name: "unknown attribute", event: submitted(.object(caseData), extra: ["colour": "red"]), code: "unknown-attribute", pointer: "/colour"),
        Row(name: "gateway attribute", event: submitted(.object(caseData), extra: ["hash": .string(String(repeating: "0", count: 64))]),
            code: "invalid-attribute", pointer: "/hash"),
        Row(name: "missing attribute", event: { guard case .object(var o) = submitted(.object(caseData)) else { return nil }; o["time"] = nil; return .object(o) }(),
            code: "missing-attribute", pointer: "/time"),
        Row(name: "not an object", event: "event", code: "invalid-event", pointer: ""),
    ]

    @Test("rejections keep their codes and pointers", arguments: rows)
    func rejected(_ row: Row) throws {
        let r = try #require(Self.rejection(row.event), "\(row.name) was accepted")
        #expect(r.code == row.code, "\(r)")
        #expect(r.pointer == row.pointer, "\(r)")
        // In a batch the pointer is prefixed by the element's index.
        let inBatch = try #require(Self.rejection(row.event, prefix: "/3"))
        #expect(inBatch.pointer == "/3" + row.pointer)
    }

    @Test("messages name the type and the field")
    func messages() throws {
        #expect(Self.rejection(Self.submitted(["caseNumber": "2025-1"]))?.message == "CaseSubmitted requires 'itemCode'")
        let unknown = try #require(Self.rejection(Self.with(["colour": "red"]))?.message)
        #expect(unknown.hasPrefix("'colour' is not a field of CaseSubmitted"))
        #expect(Self.rejection(Self.with(["itemCode": 5]))?.message == "CaseSubmitted: 'itemCode' must be a string, not integer")
    }

    @Test("valid events pass and keep their data; dataschema is filled in")
    func accepted() throws {
        let (event, expected) = try EventValidator.validateSubmission(Self.submitted(.object(Self.caseData), extra: ["expectedsequence": "no-stream"]))
        #expect(event.dataschema == "urn:chancery:schema:gov.approval.case.submitted:1")
        #expect(event.data == .object(Self.caseData))
        #expect(expected == .noStream)
        // An integral number written with a fraction is an integer for JSON Schema.
        let accepted = Self.submitted(["caseType": "promised", "promisedLimit": .number(5), "promisedLimitUnit": "working-days"], type: "gov.approval.case.accepted")
        #expect(Self.rejection(accepted) == nil)
    }

    @Test("validateData checks against a given version")
    func versions() throws {
        let t = EventCatalog.named("CaseAccepted")
        try EventValidator.validateData(["caseType": "immediate", "promisedLimit": 0], of: t, version: 1, pointer: "/data")
        #expect(throws: EventRejection.self) { try EventValidator.validateData(["caseType": "immediate", "promisedLimit": 0], of: t, version: 9, pointer: "/data") }
        #expect(EventValidator.crossFieldRules.map(\.rule) == ["promisedLimit ≤ statutoryLimit"])
        // A promise in calendar days (version 2) is not compared with a statutory limit in working days.
        try EventValidator.validateData(["caseType": "promised", "promisedLimit": 30, "promisedLimitUnit": "calendar-days", "statutoryLimit": 20],
                                        of: t, version: 2, pointer: "/data")
        #expect(throws: EventRejection.self) {
            try EventValidator.validateData(["caseType": "promised", "promisedLimit": 30, "promisedLimitUnit": "working-days", "statutoryLimit": 20],
                                            of: t, version: 2, pointer: "/data")
        }
    }
}
