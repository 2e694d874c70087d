import ChanceryDomain
import Foundation
import Testing

/// The doors refuse what the PostgreSQL read models cannot store (StorageLimits, EventJSON): a NUL anywhere, a lone
/// surrogate, nesting deeper than 64 levels, integers beyond 64 bits, over-long identifiers, times PostgreSQL cannot
/// hold — each as `unstorable-value` with the pointer of the member.
@Suite("Storage limits at the doors")
struct StorageLimitsTests {
    static let caseData: [String: JSONValue] = ["caseNumber": "2025-1", "itemCode": "X1", "departmentCode": "d", "applicantName": "张三"]

    static func event(data: JSONValue = .object(caseData), changing changes: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = [
            "specversion": "1.0", "id": "e-1", "source": "/430424/departments/test", "type": "gov.approval.case.submitted",
            "subject": "case/430424/2025-1", "time": "2025-03-05T10:00:00+08:00", "region": "430424", "data": data,
        ]
        for (k, v) in changes { o[k] = v }
        return .object(o)
    }

    static func withData(_ changes: [String: JSONValue]) -> JSONValue {
        var d = caseData
        for (k, v) in changes { d[k] = v }
        return event(data: .object(d))
    }

    /// The refusal of validateSubmission, or nil when the event is valid.
    static func rejection(_ json: JSONValue, prefix: String = "") -> EventRejection? {
        do {
            _ = try EventValidator.validateSubmission(json, pointerPrefix: prefix)
            return nil
        } catch {
            return error
        }
    }

    /// The refusal of the door parser for `text`, or nil when it parses.
    static func parseRejection(_ text: String, form: EventJSON.Form = .event) -> EventRejection? {
        do {
            _ = try EventJSON.parseSubmission(Array(text.utf8), form: form)
            return nil
        } catch {
            return error
        }
    }

    /// A valid submitted event as JSON text, with `data`'s `applicantName` written as `applicant` (raw JSON).
    static func text(applicant: String = #""张三""#, extra: String = "", region: String = #""430424""#, subject: String = #""case/430424/2025-1""#) -> String {
        #"{"specversion":"1.0","id":"e-1","source":"/430424/departments/test","type":"gov.approval.case.submitted","subject":\#(subject),"#
            + #""time":"2025-03-05T10:00:00+08:00","region":\#(region),"data":{"caseNumber":"2025-1","itemCode":"X1","departmentCode":"d","#
            + #""applicantName":\#(applicant)\#(extra)}}"#
    }

    // MARK: NUL

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var event: JSONValue
        var pointer: String
        var description: String { name }
    }

    static let nulRows: [Row] = [
        Row(name: "in a data string", event: withData(["applicantName": "a\u{0}b"]), pointer: "/data/applicantName"),
        Row(name: "in a data member name (the object holding it)", event: withData(["a\u{0}b": "x"]), pointer: "/data"),
        Row(name: "in a nested array", event: withData(["materials": ["ok", "x\u{0}"]]), pointer: "/data/materials/1"),
        Row(name: "in subject", event: event(changing: ["subject": "case/430424/2025-1\u{0}"]), pointer: "/subject"),
        Row(name: "in source", event: event(changing: ["source": "/430424/departments/\u{0}test"]), pointer: "/source"),
        Row(name: "in id", event: event(changing: ["id": "\u{0}"]), pointer: "/id"),
        Row(name: "in the extension attribute region", event: event(changing: ["region": "430424\u{0}"]), pointer: "/region"),
        Row(name: "in the extension attribute expectedsequence", event: event(changing: ["expectedsequence": "1\u{0}"]), pointer: "/expectedsequence"),
        Row(name: "in an unknown attribute's value (before unknown-attribute)", event: event(changing: ["colour": "red\u{0}"]), pointer: "/colour"),
        Row(name: "in an attribute name", event: event(changing: ["col\u{0}our": "red"]), pointer: ""),
        Row(name: "in a member name with / and ~ (escaped pointer of the value's parent)",
            event: withData(["a/b~c": ["x\u{0}": 1]]), pointer: "/data/a~1b~0c"),
    ]

    @Test("a NUL in any string or member name is unstorable-value at its pointer", arguments: nulRows)
    func nul(_ row: Row) throws {
        let r = try #require(Self.rejection(row.event))
        #expect(r.code == "unstorable-value")
        #expect(r.pointer == row.pointer)
        #expect(r.message.contains("NUL"))
        // The same event without the NUL is not refused as unstorable.
        #expect(Self.rejection(Self.event())?.code == nil)
    }

    @Test("in a batch the pointer starts with the element's index")
    func batchPrefix() throws {
        let r = try #require(Self.rejection(Self.withData(["applicantName": "a\u{0}b"]), prefix: "/3"))
        #expect(r == EventRejection(code: "unstorable-value", pointer: "/3/data/applicantName", message: r.message))
    }

    @Test("the door parser refuses an escaped NUL in a value, a member name, subject and region with the pointer")
    func parserNUL() throws {
        #expect(Self.parseRejection(Self.text()) == nil)
        let cases: [(String, String)] = [
            (Self.text(applicant: #""a\u0000b""#), "/data/applicantName"),
            (Self.text(extra: #","a\u0000b":1"#), "/data"),
            (Self.text(subject: #""case/430424/2025-1\u0000""#), "/subject"),
            (Self.text(region: #""430424\u0000""#), "/region"),
        ]
        for (text, pointer) in cases {
            let r = try #require(Self.parseRejection(text), "\(pointer)")
            #expect(r.code == "unstorable-value", "\(pointer)")
            #expect(r.pointer == pointer)
        }
        // A raw NUL byte inside a string is not JSON at all (an unescaped control character).
        #expect(Self.parseRejection(Self.text(applicant: "\"a\u{0}b\""))?.code == "malformed-json")
    }

    // MARK: Surrogates

    @Test("a lone UTF-16 surrogate is refused with the pointer; a proper pair is kept")
    func loneSurrogates() throws {
        for escaped in [#""\ud800""#, #""a\ud800b""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800\ud800""#, #""x\uDBFF""#] {
            let r = try #require(Self.parseRejection(Self.text(applicant: escaped)), "\(escaped)")
            #expect(r.code == "unstorable-value", "\(escaped)")
            #expect(r.pointer == "/data/applicantName", "\(escaped)")
            #expect(r.message.contains("surrogate"), "\(escaped)")
        }
        let named = try #require(Self.parseRejection(Self.text(extra: #","\udfff":1"#)))
        #expect(named.code == "unstorable-value")
        #expect(named.pointer == "/data")

        let pair = try EventJSON.parse(Array(Self.text(applicant: #""\ud83d\ude00 \u5f20""#).utf8))
        #expect(pair["data"]?["applicantName"] == "😀 张")
    }

    // MARK: Depth

    /// `data` = {"x": k nested arrays}: the event is level 1, data level 2, the outermost array level 3, so the
    /// innermost array is at level k + 2.
    static func nested(_ k: Int) -> JSONValue {
        var v: JSONValue = []
        for _ in 1..<k { v = [v] }
        return event(data: ["x": v])
    }

    @Test("nesting of 64 levels is storable, 65 is refused at the pointer of the first array too deep")
    func depth() throws {
        #expect(StorageLimits.maxNestingDepth == 64)
        try StorageLimits.check(Self.nested(62))
        #expect(throws: EventRejection.self) { try StorageLimits.check(Self.nested(63)) }
        let deepPointer = "/data/x" + String(repeating: "/0", count: 62)
        do {
            try StorageLimits.check(Self.nested(63))
        } catch {
            #expect(error.code == "unstorable-value")
            #expect(error.pointer == deepPointer)
        }
        // Through the validator: 64 levels get past the storage check (and are refused by the schema: x is no field).
        #expect(Self.rejection(Self.nested(62))?.code == "invalid-data")
        #expect(Self.rejection(Self.nested(63)) == EventRejection(code: "unstorable-value", pointer: deepPointer, message: Self.rejection(Self.nested(63))!.message))
    }

    @Test("the door parser applies the same depth to an event, a batch element and binary-mode data")
    func parserDepth() throws {
        func text(_ k: Int) -> String { Self.text(extra: #","x":"# + String(repeating: "[", count: k) + String(repeating: "]", count: k)) }
        #expect(Self.parseRejection(text(62)) == nil)
        let r = try #require(Self.parseRejection(text(63)))
        #expect(r.code == "unstorable-value")
        #expect(r.pointer == "/data/x" + String(repeating: "/0", count: 62))

        #expect(Self.parseRejection("[\(text(62))]", form: .batch) == nil)
        let b = try #require(Self.parseRejection("[\(text(1)),\(text(63))]", form: .batch))
        #expect(b.pointer == "/1/data/x" + String(repeating: "/0", count: 62))

        // Binary mode: the value is data (level 2), so 63 levels of its own are the most.
        let data = { (k: Int) in #"{"x":"# + String(repeating: "[", count: k) + String(repeating: "]", count: k) + "}" }
        #expect(Self.parseRejection(data(62), form: .binaryData) == nil)
        let d = try #require(Self.parseRejection(data(63), form: .binaryData))
        #expect(d.pointer == "/data/x" + String(repeating: "/0", count: 62))

        // Thousands of levels are refused quickly, without exhausting the stack.
        #expect(Self.parseRejection(String(repeating: "[", count: 100_000))?.code == "unstorable-value")
    }

    // MARK: Numbers

    @Test("integers beyond 64 bits and non-finite numbers are refused; the 64-bit extremes parse")
    func numbers() throws {
        let big = try #require(Self.parseRejection(Self.text(extra: #","promisedLimit":9223372036854775808"#)))
        #expect(big.code == "unstorable-value")
        #expect(big.pointer == "/data/promisedLimit")
        #expect(Self.parseRejection(Self.text(extra: #","n":-9223372036854775809"#))?.pointer == "/data/n")
        #expect(Self.parseRejection(Self.text(extra: #","n":1e400"#))?.pointer == "/data/n")
        #expect(Self.parseRejection(Self.text(extra: #","n":-1.5e309"#))?.code == "unstorable-value")
        let extremes = try EventJSON.parse(Array(#"[9223372036854775807,-9223372036854775808,1e-400,2.5,5.0,1e2]"#.utf8))
        #expect(extremes == [.integer(.max), .integer(.min), .integer(0), .number(2.5), .integer(5), .integer(100)])

        // The same rules on values built in code.
        for (value, refused) in [(JSONValue.number(.infinity), true), (.number(-.infinity), true), (.number(.nan), true),
                                 (.number(1e19), true), (.number(-1e19), true), (.number(9e18), false), (.number(2.5), false),
                                 (.integer(.max), false)] {
            let r = Self.rejection(Self.withData(["n": value]))
            #expect((r?.code == "unstorable-value") == refused, "\(value)")
            if refused { #expect(r?.pointer == "/data/n") }
        }
    }

    @Test("every integer or number field of every event schema is bounded within PostgreSQL integer (int4), or bigint where marked")
    func schemaIntegersFitInt4() throws {
        var checked = 0
        func walk(_ node: OrderedJSON, _ at: String, _ file: String) {
            if let members = node.members {
                let types: [String] = node["type"].map { $0.stringValue.map { [$0] } ?? ($0.arrayValue ?? []).compactMap(\.stringValue) } ?? []
                if types.contains("integer") || types.contains("number") {
                    checked += 1
                    let low = node["minimum"]?.doubleValue ?? node["exclusiveMinimum"]?.doubleValue
                    let high = node["maximum"]?.doubleValue ?? node["exclusiveMaximum"]?.doubleValue
                    // `"x-postgres-type": "bigint"` marks a field kept in a bigint (a Kafka offset, a journal position).
                    let bigint = node["x-postgres-type"]?.stringValue == "bigint"
                    let (lowest, highest) = bigint ? (Double(Int64.min), Double(Int64.max)) : (Double(Int32.min), Double(Int32.max))
                    #expect(low.map { $0 >= lowest } == true, "\(file)#\(at) has no minimum within \(bigint ? "bigint" : "int4")")
                    #expect(high.map { $0 <= highest } == true, "\(file)#\(at) has no maximum within \(bigint ? "bigint" : "int4")")
                }
                for m in members { walk(m.value, "\(at)/\(m.key)", file) }
            } else if let elements = node.arrayValue {
                for (i, e) in elements.enumerated() { walk(e, "\(at)/\(i)", file) }
            }
        }
        for (type, versions) in EventSchemas.bundled.schemas {
            for (version, schema) in versions { walk(schema.document, "", "\(type).v\(version)") }
        }
        #expect(checked >= 17, "the walk found the integer fields of the 17 schema files that have some")
        // The limits stored in integer columns are refused above the bound.
        let r = try #require(Self.rejection(Self.event(data: ["caseType": "promised", "promisedLimit": 2_147_483_648, "promisedLimitUnit": "working-days"],
                                                        changing: ["type": "gov.approval.case.accepted"])))
        #expect(r.code == "invalid-data")
        #expect(r.pointer == "/data/promisedLimit")
    }

    // MARK: Identifiers and time

    @Test("id, source and subject have at most 1,024 bytes of UTF-8")
    func identifiers() throws {
        #expect(StorageLimits.maxIdentifierBytes == 1024)
        #expect(Self.rejection(Self.event(changing: ["id": .string(String(repeating: "a", count: 1024))])) == nil)
        for (name, value) in [("id", String(repeating: "a", count: 1025)), ("source", "/" + String(repeating: "张", count: 342)),
                              ("subject", "case/430424/" + String(repeating: "1", count: 1013))] {
            let r = try #require(Self.rejection(Self.event(changing: [name: .string(value)])), "\(name)")
            #expect(r.code == "unstorable-value", "\(name)")
            #expect(r.pointer == "/\(name)")
        }
    }

    @Test("time must be storable as timestamptz and its day as date", arguments: [
        ("2025-03-05T10:00:00+15:59", nil), ("2025-03-05T10:00:00-15:59", nil), ("0001-01-02T00:00:00Z", nil),
        ("9899-12-31T23:59:59.999999999Z", nil), ("0001-01-01T20:00:00-05:00", nil),
        ("2025-03-05T10:00:00+16:00", "unstorable-value"), ("2025-03-05T10:00:00-23:59", "unstorable-value"),
        ("2016-12-31T23:59:60Z", "unstorable-value"), ("2016-12-31T23:59:60.5+08:00", "unstorable-value"),
        ("0000-06-01T00:00:00Z", "unstorable-value"), ("0001-01-01T23:59:59Z", "unstorable-value"),
        ("9900-01-01T00:00:00Z", "unstorable-value"), ("9999-12-31T23:59:59Z", "unstorable-value"),
        ("2025-02-30T10:00:00Z", "invalid-attribute"),
    ] as [(String, String?)])
    func timeRange(_ time: String, _ code: String?) throws {
        let r = Self.rejection(Self.event(changing: ["time": .string(time)]))
        #expect(r?.code == code)
        if code != nil { #expect(r?.pointer == "/time") }
    }

    // MARK: Compatibility

    @Test("for storable JSON the door parser reads what Foundation's JSONDecoder read, so hashes do not change")
    func sameAsJSONDecoder() throws {
        let documents = [
            Self.text(), Self.text(applicant: #""a\"b\\c\/d\b\f\n\r\t \u00e9\u5f20 \ud83d\ude00 é""#),
            #"[5, 5.0, -0, 0.5, 1e2, 1E-2, -12.75e1, 9223372036854775807, -9223372036854775808, 1.5e300, true, false, null]"#,
            #"{"a":{"b":[[],{}]},"":"","k":"v"}"#, " \n\t{ \"a\" : [ 1 , 2 ] }\r\n", #""just a string""#, "42",
        ]
        for text in documents {
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            let door = try EventJSON.parse(Array(text.utf8))
            #expect(door == foundation, "\(text)")
        }
    }

    // MARK: Malformed

    @Test("text that is not JSON stays malformed-json with the empty pointer and the byte offset")
    func malformed() throws {
        let r = try #require(Self.parseRejection(#"{"id": "#))
        #expect(r.code == "malformed-json")
        #expect(r.pointer == "")
        #expect(r.message.contains("at byte 7"))
        #expect(Self.parseRejection(#"{"a":1} x"#)?.code == "malformed-json")
        #expect(Self.parseRejection(#"{"a":"\x"}"#)?.code == "malformed-json")
        // Invalid UTF-8 in a string.
        do {
            _ = try EventJSON.parseSubmission([0x22, 0xFF, 0x22])
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.code == "malformed-json")
        }
        // A repeated member name keeps the last value, as jsonb does.
        #expect(try EventJSON.parse(Array(#"{"a":1,"a":2}"#.utf8)) == ["a": 2])
    }
}
