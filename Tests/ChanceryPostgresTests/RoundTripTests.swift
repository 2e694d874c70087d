import ChanceryPostgres
import Foundation
import Testing

/// Sends `value` as `$1::sqlType`, reads it back, and checks NULL of the same type.
private func roundTrip<T: PostgresEncodable & PostgresDecodable & Equatable>(
    _ value: T,
    as sqlType: String,
    on connection: PostgresConnection,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let rows = try await connection.query("SELECT \(value)::\(unescaped: sqlType) AS v")
    #expect(rows.count == 1, sourceLocation: sourceLocation)
    let decoded = try rows[0].decode(T.self, column: "v")
    #expect(decoded == value, "\(sqlType): sent \(value), got \(decoded)", sourceLocation: sourceLocation)
    let nullRows = try await connection.query("SELECT \(String?.none)::\(unescaped: sqlType) AS v")
    #expect(nullRows[0].isNull(at: 0), sourceLocation: sourceLocation)
    #expect(try nullRows[0].decode(T?.self, at: 0) == nil, sourceLocation: sourceLocation)
}

@Suite("Parameter round-trips")
struct RoundTripTests {
    @Test func scalarTypesRoundTrip() async throws {
        try await TestDatabase.withSchema { connection, _ in
            for text in ["", "plain", "中文字符和标点。", "emoji 🚀👩‍💻", "it's \"quoted\"", #"back\slash \\ \n literal"#,
                         "tab\tnewline\ncr\r", "NULL", "$1", "'); DROP TABLE x; --"] {
                try await roundTrip(text, as: "text", on: connection)
            }
            for value in [0, 1, -1, Int.max, Int.min] { try await roundTrip(value, as: "bigint", on: connection) }
            for value in [Int64.max, Int64.min, 42] { try await roundTrip(value, as: "bigint", on: connection) }
            for value in [Int32.max, Int32.min, 7] { try await roundTrip(value, as: "integer", on: connection) }
            for value in [Int16.max, Int16.min] { try await roundTrip(value, as: "smallint", on: connection) }
            for value in [0.1, -2.5e-300, 1.7976931348623157e308, .infinity, -.infinity, 123456.789] {
                try await roundTrip(value, as: "double precision", on: connection)
            }
            for value: Float in [0.1, 3.4e38, -1.5] { try await roundTrip(value, as: "real", on: connection) }
            try await roundTrip(true, as: "boolean", on: connection)
            try await roundTrip(false, as: "boolean", on: connection)
            try await roundTrip(Decimal(string: "12345678901234567890.123456789")!, as: "numeric", on: connection)
            try await roundTrip(UUID(), as: "uuid", on: connection)
            try await roundTrip([UInt8](0...255), as: "bytea", on: connection)
            try await roundTrip([UInt8](), as: "bytea", on: connection)
            try await roundTrip(Data([0, 0x5c, 0x27, 0xff]), as: "bytea", on: connection)
            try await roundTrip(Date(timeIntervalSince1970: 1_714_566_600.25), as: "timestamptz", on: connection)
            try await roundTrip(Date(timeIntervalSince1970: 0), as: "timestamptz", on: connection)
            try await roundTrip(Date(timeIntervalSince1970: -1_000_000_000.5), as: "timestamptz", on: connection)
        }
    }

    @Test func nanAndMicrosecondDates() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let nan = try await connection.query("SELECT \(Double.nan)::float8")
            #expect(try nan[0].decode(Double.self, at: 0).isNaN)

            let precise = Date(timeIntervalSince1970: 1_700_000_000.123456)
            let rows = try await connection.query("SELECT \(precise)::timestamptz, \(precise)::timestamptz::text")
            let back = try rows[0].decode(Date.self, at: 0)
            #expect(back.postgresText == precise.postgresText)
            #expect(abs(back.timeIntervalSince(precise)) < 0.000_001)
            #expect(try rows[0].decode(String.self, at: 1) == "2023-11-14 22:13:20.123456+00")
        }
    }

    @Test func arraysRoundTrip() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await roundTrip(["a", "b c", "q\"uote", #"back\slash"#, "NULL", "", "{braces}", "中文", "comma,here"],
                                as: "text[]", on: connection)
            try await roundTrip([String](), as: "text[]", on: connection)
            try await roundTrip([Int64.min, 0, Int64.max], as: "bigint[]", on: connection)
            try await roundTrip([Int32(1), 2, 3], as: "int4[]", on: connection)
            try await roundTrip([[1, 2], [3, 4]], as: "int8[][]", on: connection)
            try await roundTrip([true, false], as: "bool[]", on: connection)

            // The server sees real elements, not a string that looks like an array.
            let rows = try await connection.query(
                "SELECT array_length(\(["x", "y\"z", "NULL"])::text[], 1), (\(["x", "y\"z", "NULL"])::text[])[2], (\(["x", "y\"z", "NULL"])::text[])[3] IS NULL")
            #expect(try rows[0].decode((Int, String, Bool).self) == (3, "y\"z", false))

            let withNulls = try await connection.query("SELECT ARRAY['a', NULL, 'c']::text[]")
            #expect(try withNulls[0].decode([String?].self, at: 0) == ["a", nil, "c"])
            #expect(throws: PostgresError.self) { try withNulls[0].decode([String].self, at: 0) }
        }
    }

    @Test func serverInterpretsParametersCorrectly() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let chinese = "你好，世界"
            let rows = try await connection.query(
                """
                SELECT length(\(chinese)::text), octet_length(\(chinese)::text), \([UInt8]([0x00, 0xff]))::bytea = '\\x00ff'::bytea,
                       \(Date(timeIntervalSince1970: 1_714_566_600.25))::timestamptz = '2024-05-01 12:30:00.25+00'::timestamptz, \(#"a'b\c"#)::text = 'a''b\\c'
                """)
            let (characters, bytes, byteaEqual, dateEqual, textEqual) = try rows[0].decode((Int, Int, Bool, Bool, Bool).self)
            #expect(characters == 5)
            #expect(bytes == chinese.utf8.count)
            #expect(byteaEqual)
            #expect(dateEqual)
            #expect(textEqual)
        }
    }

    @Test func sqlInjectionStaysAValue() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL)")
            let attacks = [
                "Robert'); DROP TABLE people; --",
                "' OR '1'='1",
                "1; DELETE FROM people",
                #"\'; DROP TABLE people; --"#,
                "$$; DROP TABLE people; $$",
            ]
            for attack in attacks {
                #expect(try await connection.execute("INSERT INTO people (name) VALUES (\(attack))") == 1)
            }
            let rows = try await connection.query("SELECT name FROM people ORDER BY id")
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == attacks)
            let matched = try await connection.query("SELECT count(*) FROM people WHERE name = \("' OR '1'='1")")
            #expect(try matched[0].decode(Int.self, at: 0) == 1)
            // A second statement cannot ride along in a parameterised query.
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT 1; DROP TABLE people")
            }
            #expect(error?.sqlState == PostgresError.SQLState.syntaxError)
            #expect(try await connection.query("SELECT count(*) FROM people")[0].decode(Int.self, at: 0) == attacks.count)
        }
    }

    @Test func optionalVariablesBindAsValueOrNull() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let missing: String? = nil
            let present: Int64? = 5
            let rows = try await connection.query("SELECT \(missing)::text IS NULL, \(present)::bigint, \(String?.none)::text")
            let (isNull, five, third) = try rows[0].decode((Bool, Int64?, String?).self)
            #expect(isNull)
            #expect(five == 5)
            #expect(third == nil)
        }
    }

    @Test func nulParameterIsRejectedCleanly() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT \("a\u{0}b")::text")
            }
            #expect(error?.kind == .query)
            let one = try await connection.query("SELECT 1")[0].decode(Int.self, at: 0)
            #expect(one == 1)
        }
    }

    @Test func executeReportsAffectedRowsAndColumnsAreNamed() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
            #expect(try await connection.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)") == 3)
            #expect(try await connection.execute("UPDATE t SET v = \("z") WHERE id >= \(2)") == 2)
            #expect(try await connection.execute("DELETE FROM t WHERE id = \(99)") == 0)
            let rows = try await connection.query("SELECT id, v AS value FROM t ORDER BY id")
            #expect(rows.count == 3)
            #expect(rows[0].columns == ["id", "value"])
            #expect(try rows.map { try $0.decode((Int32, String?).self) }.map(\.1) == ["a", "z", "z"] as [String?])
        }
    }
}
