import ChanceryDomain
import Foundation
import Testing

/// The small JSON Schema validator (Sources/ChanceryDomain/Schema): each supported keyword, given a schema
/// and instances, then the verdict and the pointer of the first violation.
@Suite("JSON Schema validator")
struct SchemaValidatorTests {
    static func schema(_ text: String) -> JSONSchema {
        do { return try JSONSchema(parsing: Array(text.utf8), formats: JSONSchema.Format.chancery) } catch { fatalError("test schema does not load: \(error)") }
    }

    static func json(_ text: String) -> JSONValue {
        do { return try OrderedJSON(parsing: text).jsonValue } catch { fatalError("test instance is not JSON: \(error)") }
    }

    struct Row: Sendable, CustomStringConvertible {
        var keyword: String
        var schema: String
        var instance: String
        /// nil: valid; otherwise the pointer of the first violation.
        var firstViolation: String?
        var description: String { "\(keyword): \(instance)" }
    }

    static let rows: [Row] = [
        // type
        Row(keyword: "type string", schema: #"{"type":"string"}"#, instance: #""a""#, firstViolation: nil),
        Row(keyword: "type string", schema: #"{"type":"string"}"#, instance: "1", firstViolation: ""),
        Row(keyword: "type string", schema: #"{"type":"string"}"#, instance: "null", firstViolation: ""),
        Row(keyword: "type integer", schema: #"{"type":"integer"}"#, instance: "3", firstViolation: nil),
        Row(keyword: "type integer", schema: #"{"type":"integer"}"#, instance: "3.0", firstViolation: nil),
        Row(keyword: "type integer", schema: #"{"type":"integer"}"#, instance: "3.5", firstViolation: ""),
        Row(keyword: "type integer", schema: #"{"type":"integer"}"#, instance: #""3""#, firstViolation: ""),
        Row(keyword: "type number", schema: #"{"type":"number"}"#, instance: "3", firstViolation: nil),
        Row(keyword: "type boolean", schema: #"{"type":"boolean"}"#, instance: "0", firstViolation: ""),
        Row(keyword: "type list", schema: #"{"type":["string","null"]}"#, instance: "null", firstViolation: nil),
        Row(keyword: "type object", schema: #"{"type":"object"}"#, instance: "[]", firstViolation: ""),
        Row(keyword: "type array", schema: #"{"type":"array"}"#, instance: "{}", firstViolation: ""),
        // const, enum
        Row(keyword: "const", schema: #"{"const":"yellow"}"#, instance: #""yellow""#, firstViolation: nil),
        Row(keyword: "const", schema: #"{"const":"yellow"}"#, instance: #""red""#, firstViolation: ""),
        Row(keyword: "const number", schema: #"{"const":1}"#, instance: "1.0", firstViolation: nil),
        Row(keyword: "enum", schema: #"{"enum":["a","b"]}"#, instance: #""b""#, firstViolation: nil),
        Row(keyword: "enum", schema: #"{"enum":["a","b"]}"#, instance: #""c""#, firstViolation: ""),
        Row(keyword: "enum mixed", schema: #"{"enum":["any",0]}"#, instance: "0", firstViolation: nil),
        // numbers
        Row(keyword: "minimum", schema: #"{"minimum":0}"#, instance: "0", firstViolation: nil),
        Row(keyword: "minimum", schema: #"{"minimum":0}"#, instance: "-1", firstViolation: ""),
        Row(keyword: "maximum", schema: #"{"maximum":3650}"#, instance: "3650", firstViolation: nil),
        Row(keyword: "maximum", schema: #"{"maximum":3650}"#, instance: "3651", firstViolation: ""),
        Row(keyword: "exclusiveMinimum", schema: #"{"exclusiveMinimum":0}"#, instance: "0", firstViolation: ""),
        Row(keyword: "exclusiveMaximum", schema: #"{"exclusiveMaximum":5}"#, instance: "4.9", firstViolation: nil),
        Row(keyword: "multipleOf", schema: #"{"multipleOf":5}"#, instance: "12", firstViolation: ""),
        Row(keyword: "minimum ignores strings", schema: #"{"minimum":10}"#, instance: #""1""#, firstViolation: nil),
        // strings: lengths count code points
        Row(keyword: "minLength", schema: #"{"minLength":1}"#, instance: #""""#, firstViolation: ""),
        Row(keyword: "maxLength", schema: #"{"maxLength":2}"#, instance: #""衡东""#, firstViolation: nil),
        Row(keyword: "maxLength", schema: #"{"maxLength":2}"#, instance: #""衡东县""#, firstViolation: ""),
        Row(keyword: "maxLength astral", schema: #"{"maxLength":1}"#, instance: #""\ud83d\ude00""#, firstViolation: nil),
        Row(keyword: "pattern", schema: #"{"pattern":"^[0-9]{6,7}$"}"#, instance: #""430424""#, firstViolation: nil),
        Row(keyword: "pattern", schema: #"{"pattern":"^[0-9]{6,7}$"}"#, instance: #""43042""#, firstViolation: ""),
        Row(keyword: "pattern unanchored", schema: #"{"pattern":"b"}"#, instance: #""abc""#, firstViolation: nil),
        // formats
        Row(keyword: "format date", schema: #"{"format":"date"}"#, instance: #""2024-02-29""#, firstViolation: nil),
        Row(keyword: "format date", schema: #"{"format":"date"}"#, instance: #""2025-02-29""#, firstViolation: ""),
        Row(keyword: "format date", schema: #"{"format":"date"}"#, instance: #""2025-1-05""#, firstViolation: ""),
        Row(keyword: "format date", schema: #"{"format":"date"}"#, instance: #""+025-01-05""#, firstViolation: ""),
        Row(keyword: "format date", schema: #"{"format":"date"}"#, instance: #""0000-01-01""#, firstViolation: ""),
        Row(keyword: "format date-time", schema: #"{"format":"date-time"}"#, instance: #""2025-03-05T10:00:00+08:00""#, firstViolation: nil),
        Row(keyword: "format date-time", schema: #"{"format":"date-time"}"#, instance: #""2025-03-05t10:00:00.123456789z""#, firstViolation: nil),
        Row(keyword: "format date-time", schema: #"{"format":"date-time"}"#, instance: #""2025-03-05T10:00:00""#, firstViolation: ""),
        Row(keyword: "format date-time", schema: #"{"format":"date-time"}"#, instance: #""2025-04-31T10:00:00Z""#, firstViolation: ""),
        Row(keyword: "format date-time", schema: #"{"format":"date-time"}"#, instance: #""2016-12-31T23:59:60Z""#, firstViolation: ""),
        Row(keyword: "format ignores numbers", schema: #"{"format":"date"}"#, instance: "5", firstViolation: nil),
        // objects
        Row(keyword: "required", schema: #"{"properties":{"a":{},"b":{}},"required":["a","b"]}"#, instance: #"{"a":1}"#, firstViolation: "/b"),
        Row(keyword: "required order", schema: #"{"properties":{"a":{"type":"string"},"b":{}},"required":["b"]}"#, instance: #"{"a":1}"#, firstViolation: "/a"),
        Row(keyword: "required undeclared", schema: #"{"required":["x"]}"#, instance: #"{}"#, firstViolation: "/x"),
        Row(keyword: "additionalProperties false", schema: #"{"properties":{"a":{}},"additionalProperties":false}"#, instance: #"{"a":1,"z":2,"y":3}"#, firstViolation: "/y"),
        Row(keyword: "additionalProperties schema", schema: #"{"additionalProperties":{"type":"integer"}}"#, instance: #"{"a":1,"b":"x"}"#, firstViolation: "/b"),
        Row(keyword: "minProperties", schema: #"{"minProperties":2}"#, instance: #"{"a":1}"#, firstViolation: ""),
        Row(keyword: "maxProperties", schema: #"{"maxProperties":1}"#, instance: #"{"a":1}"#, firstViolation: nil),
        Row(keyword: "nested pointer", schema: #"{"properties":{"a/b":{"properties":{"c~d":{"type":"string"}}}}}"#, instance: #"{"a/b":{"c~d":1}}"#, firstViolation: "/a~1b/c~0d"),
        // arrays
        Row(keyword: "items", schema: #"{"items":{"type":"string"}}"#, instance: #"["a",2]"#, firstViolation: "/1"),
        Row(keyword: "minItems", schema: #"{"minItems":1}"#, instance: "[]", firstViolation: ""),
        Row(keyword: "maxItems", schema: #"{"maxItems":1}"#, instance: "[1,2]", firstViolation: ""),
        // references and combinators
        Row(keyword: "$ref defs", schema: ##"{"properties":{"n":{"$ref":"#/$defs/wd","maximum":20}},"$defs":{"wd":{"type":"integer","minimum":0,"maximum":3650}}}"##, instance: ##"{"n":21}"##, firstViolation: "/n"),
        Row(keyword: "$ref defs", schema: ##"{"properties":{"n":{"$ref":"#/$defs/wd","maximum":20}},"$defs":{"wd":{"type":"integer","minimum":0,"maximum":3650}}}"##, instance: ##"{"n":-1}"##, firstViolation: "/n"),
        Row(keyword: "$ref defs", schema: ##"{"properties":{"n":{"$ref":"#/$defs/wd","maximum":20}},"$defs":{"wd":{"type":"integer","minimum":0,"maximum":3650}}}"##, instance: ##"{"n":20}"##, firstViolation: nil),
        Row(keyword: "$ref root recursion", schema: ##"{"type":"object","properties":{"child":{"$ref":"#"}},"additionalProperties":false}"##, instance: ##"{"child":{"child":{"x":1}}}"##, firstViolation: "/child/child/x"),
        Row(keyword: "allOf", schema: #"{"allOf":[{"minimum":1},{"maximum":5}]}"#, instance: "6", firstViolation: ""),
        Row(keyword: "anyOf", schema: #"{"anyOf":[{"enum":["any","no-stream"]},{"type":"integer","minimum":0}]}"#, instance: "3", firstViolation: nil),
        Row(keyword: "anyOf", schema: #"{"anyOf":[{"enum":["any","no-stream"]},{"type":"integer","minimum":0}]}"#, instance: #""latest""#, firstViolation: ""),
        Row(keyword: "oneOf", schema: #"{"oneOf":[{"minimum":0},{"maximum":10}]}"#, instance: "5", firstViolation: ""),
        Row(keyword: "oneOf", schema: #"{"oneOf":[{"minimum":0},{"maximum":10}]}"#, instance: "50", firstViolation: nil),
        Row(keyword: "not", schema: #"{"not":{"type":"null"}}"#, instance: "null", firstViolation: ""),
        Row(keyword: "if/then", schema: #"{"if":{"properties":{"o":{"const":"w"}},"required":["o"]},"then":{"properties":{"r":{"enum":["s"]}}}}"#, instance: #"{"o":"w","r":"t"}"#, firstViolation: "/r"),
        Row(keyword: "if/then not taken", schema: #"{"if":{"properties":{"o":{"const":"w"}},"required":["o"]},"then":{"properties":{"r":{"enum":["s"]}}}}"#, instance: #"{"o":"x","r":"t"}"#, firstViolation: nil),
        Row(keyword: "if/else", schema: #"{"if":{"type":"string"},"then":{"minLength":2},"else":{"minimum":10}}"#, instance: "3", firstViolation: ""),
        Row(keyword: "false property", schema: #"{"properties":{"x":false}}"#, instance: #"{"x":1}"#, firstViolation: "/x"),
        Row(keyword: "true schema", schema: "true", instance: #"{"x":1}"#, firstViolation: nil),
        Row(keyword: "false schema", schema: "false", instance: "1", firstViolation: ""),
        Row(keyword: "annotations ignored", schema: #"{"title":"T","description":"d","x-personal-data":true,"examples":[1],"$comment":"c"}"#, instance: "1", firstViolation: nil),
    ]

    @Test("each keyword", arguments: rows)
    func keyword(_ row: Row) {
        let violations = Self.schema(row.schema).validate(Self.json(row.instance))
        #expect(violations.first?.pointer == row.firstViolation, "\(violations)")
    }

    @Test("unsupported keywords, formats and references fail loading instead of being ignored")
    func unsupported() {
        for text in [
            ##"{"patternProperties":{"^a":{}}}"##, ##"{"format":"email"}"##, ##"{"$ref":"other.json#/x"}"##, ##"{"$ref":"#/$defs/missing"}"##,
            #"{"properties":{"a":{"$id":"urn:x"}}}"#, #"{"type":"text"}"#, #"{"pattern":"("}"#, #"{"minLength":-1}"#, #"{"enum":[]}"#, "[]",
        ] {
            #expect(throws: JSONSchema.LoadError.self, "\(text)") { _ = try JSONSchema(parsing: Array(text.utf8), formats: JSONSchema.Format.chancery) }
        }
    }

    @Test("the general validator asserts only the formats it is given; the domain gives date and date-time")
    func formatsAreGiven() throws {
        let text = Array(#"{"format":"date"}"#.utf8)
        #expect(throws: JSONSchema.LoadError.self) { _ = try JSONSchema(parsing: text) }
        let schema = try JSONSchema(parsing: text, formats: JSONSchema.Format.chancery)
        #expect(schema.isValid(.string("2025-10-31")))
        #expect(schema.validate(.string("2025-02-30")).first?.message == "the value must be a date YYYY-MM-DD")
        let custom = try JSONSchema(parsing: text, formats: [JSONSchema.Format(name: "date", expectation: "a day") { $0 == "today" }])
        #expect(custom.isValid(.string("today")) && !custom.isValid(.string("2025-10-31")))
    }

    @Test("violations come in the schema's declared property order, then undeclared members by name")
    func order() {
        let s = Self.schema(#"{"properties":{"z":{"type":"string"},"a":{"type":"string"},"m":{}},"required":["z","a","m"],"additionalProperties":false}"#)
        let v = s.validate(Self.json(#"{"a":1,"q":1,"b":2}"#))
        #expect(v.map(\.pointer) == ["/z", "/a", "/m", "/b", "/q"])
        #expect(v.map(\.keyword) == ["required", "type", "required", "additionalProperties", "additionalProperties"])
    }

    @Test("messages name the member")
    func messages() {
        let s = Self.schema(#"{"properties":{"promisedLimit":{"type":"integer","maximum":3650},"card":{"enum":["yellow","red"]}}}"#)
        #expect(s.validate(Self.json(#"{"promisedLimit":"5"}"#)).first?.message == "'promisedLimit' must be an integer, not string")
        #expect(s.validate(Self.json(#"{"promisedLimit":4000}"#)).first?.message == "'promisedLimit' must be at most 3650")
        #expect(s.validate(Self.json(#"{"card":"blue"}"#)).first?.message == "'card' must be one of yellow, red, not \"blue\"")
    }

    @Test("subschemas are reachable by pointer; refChain follows $ref")
    func subschemas() throws {
        let s = Self.schema(#"""
            {"type":"object","properties":{"a":{"$ref":"#/$defs/n","x-personal-data":true}},
             "$defs":{"n":{"type":"integer","x-unit":"u"},"sub":{"$ref":"#","required":["a"]}}}
            """#)
        #expect(s.isValid(Self.json("{}")))
        #expect(!s.isValid(Self.json("{}"), against: "/$defs/sub"))
        #expect(s.isValid(Self.json(#"{"a":1}"#), against: "/$defs/sub"))
        let a = try #require(s.root.property("a"))
        let chain = s.refChain(a)
        #expect(chain.count == 2)
        #expect(chain[0].extensions["x-personal-data"] == .bool(true))
        #expect(chain[1].types == [.integer])
        #expect(chain[1].extensions["x-unit"] == .string("u"))
    }
}

@Suite("Ordered JSON parser")
struct OrderedJSONTests {
    @Test("keeps member order, escapes, surrogate pairs, integers apart from fractions")
    func parses() throws {
        let doc = try OrderedJSON(parsing: #" {"z":1,"a":[true,false,null],"s":"\u8861\u4e1c\n\"\/","e":"\ud83d\ude00","n":-0.5,"x":1e3,"big":123456789012345678901} "#)
        #expect(doc.members?.map(\.key) == ["z", "a", "s", "e", "n", "x", "big"])
        #expect(doc["z"] == .integer(1))
        #expect(doc["s"] == .string("衡东\n\"/"))
        #expect(doc["e"] == .string("😀"))
        #expect(doc["n"] == .number(-0.5))
        #expect(doc["x"] == .number(1000))
        #expect(doc["big"]?.doubleValue == 123456789012345678901.0)
        #expect(doc.value(at: "/a/1") == .bool(false))
        #expect(doc.jsonValue["a"] == [true, false, nil])
    }

    @Test("rejects what RFC 8259 rejects")
    func rejects() {
        for text in ["", "{", #"{"a":}"#, "[1,]", "01", "1.", "-", #""\x""#, "\"a\nb\"", #""\ud83d""#, "tru", "{} {}", "{'a':1}", "NaN"] {
            #expect(throws: OrderedJSON.ParseError.self, "\(text)") { _ = try OrderedJSON(parsing: text) }
        }
    }
}
