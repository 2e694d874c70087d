@testable import ChanceryPostgres
import Foundation
import Testing

/// Pure encoding/decoding checks; these need no server.
@Suite("Text coding (no server)")
struct CodingTests {
    @Test func copyTextEscapesSpecialCharacters() throws {
        let line = try PostgresCopyText.encodeRow(["a\tb", nil, "line1\nline2\r", "back\\slash", "\\N", ""])
        #expect(line == "a\\tb\t\\N\tline1\\nline2\\r\tback\\\\slash\t\\\\N\t\n")
    }

    @Test func copyTextRejectsNul() {
        let error = #expect(throws: PostgresError.self) { try PostgresCopyText.encodeRow(["a\u{0}b"]) }
        #expect(error?.kind == .copy)
    }

    @Test func arrayLiteralEncoding() {
        #expect(["a", "b c", "q\"uote", "back\\slash", "NULL", "", "{}", "中文"].postgresText
            == #"{"a","b c","q\"uote","back\\slash","NULL","","{}","中文"}"#)
        #expect([Int64(1), -2, 3].postgresText == #"{"1","-2","3"}"#)
        #expect([[1, 2], [3, 4]].postgresText == #"{{"1","2"},{"3","4"}}"#)
        #expect([String]().postgresText == "{}")
        #expect([UInt8]([0, 1, 0xab, 0xff]).postgresText == #"\x0001abff"#)
    }

    @Test func arrayLiteralDecoding() throws {
        #expect(try [String](postgresText: #"{a,"b c","q\"uote","back\\slash","NULL",""}"#)
            == ["a", "b c", "q\"uote", "back\\slash", "NULL", ""])
        #expect(try [String?](postgresText: "{a,NULL,null}") == ["a", nil, nil])
        #expect(try [Int64](postgresText: "{1,-2,3}") == [1, -2, 3])
        #expect(try [Int](postgresText: "[0:1]={7,8}") == [7, 8])
        #expect(try [[Int]](postgresText: "{{1,2},{3,4}}") == [[1, 2], [3, 4]])
        #expect(try [[String]](postgresText: #"{{"}",b},{"{",d}}"#) == [["}", "b"], ["{", "d"]])
        #expect(try [String](postgresText: "{}") == [])
        #expect(throws: PostgresError.self) { try [String](postgresText: "{a,NULL}") }
        #expect(throws: PostgresError.self) { try [Int](postgresText: "{1,2") }
        #expect(throws: PostgresError.self) { try [Int](postgresText: "1,2") }
    }

    @Test func dateFormatting() {
        #expect(Date(timeIntervalSince1970: 0).postgresText == "1970-01-01T00:00:00.000000Z")
        #expect(Date(timeIntervalSince1970: 1_714_566_600.25).postgresText == "2024-05-01T12:30:00.250000Z")
        #expect(Date(timeIntervalSince1970: -0.5).postgresText == "1969-12-31T23:59:59.500000Z")
        #expect(Date(timeIntervalSince1970: 951_782_400).postgresText == "2000-02-29T00:00:00.000000Z")
    }

    @Test func dateParsing() throws {
        let expected = Date(timeIntervalSince1970: 1_714_566_600.25)
        #expect(try Date(postgresText: "2024-05-01 12:30:00.25+00") == expected)
        #expect(try Date(postgresText: "2024-05-01T12:30:00.250000Z") == expected)
        #expect(try Date(postgresText: "2024-05-01 14:30:00.25+02") == expected)
        #expect(try Date(postgresText: "2024-05-01 07:00:00.25-05:30") == expected)
        #expect(try Date(postgresText: "2024-05-01 12:30:00.25") == expected)
        #expect(try Date(postgresText: "2024-05-01") == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(try Date(postgresText: "infinity") == .distantFuture)
        #expect(throws: PostgresError.self) { try Date(postgresText: "yesterday") }
        #expect(throws: PostgresError.self) { try Date(postgresText: "2024-13-01") }
    }

    @Test func byteaCoding() throws {
        let all = [UInt8](0...255)
        #expect(try [UInt8](postgresText: all.postgresText) == all)
        #expect(try [UInt8](postgresText: #"\xDEADbeef"#) == [0xde, 0xad, 0xbe, 0xef])
        #expect(try [UInt8](postgresText: #"a\\b\001"#) == [0x61, 0x5c, 0x62, 0x01])
        #expect(try Data(postgresText: #"\x0102"#) == Data([1, 2]))
        #expect(throws: PostgresError.self) { try [UInt8](postgresText: #"\x123"#) }
    }

    @Test func scalarDecoding() throws {
        #expect(try Bool(postgresText: "t") == true)
        #expect(try Bool(postgresText: "f") == false)
        #expect(try Int64(postgresText: "-9223372036854775808") == .min)
        #expect(try Double(postgresText: "Infinity") == .infinity)
        #expect(try Double(postgresText: "NaN").isNaN)
        #expect(try Decimal(postgresText: "123.4500") == Decimal(string: "123.45"))
        #expect(throws: PostgresError.self) { try Int(postgresText: "12abc") }
        #expect(throws: PostgresError.self) { try Int16(postgresText: "40000") }
        #expect(throws: PostgresError.self) { try Bool(postgresText: "maybe") }
        #expect(throws: PostgresError.self) { try Decimal(postgresText: "12abc") }
        #expect(Double.infinity.postgresText == "Infinity")
        #expect((-Double.infinity).postgresText == "-Infinity")
        #expect(Double.nan.postgresText == "NaN")
    }

    @Test func rowDecoding() throws {
        let row = PostgresRow(columns: ["id", "name", "note"], values: ["42", "Ada", nil])
        #expect(try row.decode(Int64.self, at: 0) == 42)
        #expect(try row.decode(String.self, column: "name") == "Ada")
        #expect(try row.decode(String?.self, at: 2) == nil)
        #expect(try row.decode(String?.self, column: "note") == nil)
        #expect(row.isNull(at: 2))
        #expect(!row.isNull(at: 0))
        let (id, name, note) = try row.decode((Int64, String, String?).self)
        #expect(id == 42 && name == "Ada" && note == nil)

        let nullError = #expect(throws: PostgresError.self) { try row.decode(String.self, at: 2) }
        #expect(nullError?.kind == .decoding)
        #expect(nullError?.message.contains("note") == true)
        #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 1) }
        #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 3) }
        #expect(throws: PostgresError.self) { try row.decode(Int.self, column: "missing") }
        #expect(throws: PostgresError.self) { try row.decode((Int64, String).self) }
    }

    @Test func fnv1aKnownVectors() {
        #expect(FNV1a64.hex(of: Array("".utf8)) == "cbf29ce484222325")
        #expect(FNV1a64.hex(of: Array("a".utf8)) == "af63dc4c8601ec8c")
        #expect(FNV1a64.hex(of: Array("foobar".utf8)) == "85944171f73967e8")
        let lf = PostgresMigration(version: 1, name: "x", sql: "SELECT 1;\nSELECT 2;\n")
        let crlf = PostgresMigration(version: 1, name: "x", sql: "SELECT 1;\r\nSELECT 2;\r\n")
        #expect(lf.checksum == crlf.checksum)
        #expect(lf.checksum.hasPrefix("fnv1a64:"))
        #expect(lf.checksum != PostgresMigration(version: 1, name: "x", sql: "SELECT 3;").checksum)
    }

    @Test func errorDescription() {
        let error = PostgresError(kind: .query, message: "boom", sqlState: "23505", detail: "Key (id)=(1) already exists.", constraint: "t_pkey")
        #expect(error.description == "PostgresError(query, 23505): boom; detail: Key (id)=(1) already exists.; constraint: t_pkey")
    }
}
