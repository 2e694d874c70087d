import ChanceryPostgres
import Testing

@Suite("COPY FROM STDIN")
struct CopyTests {
    @Test func copyPreservesAwkwardValues() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, extra text)")
            let rows: [[String?]] = [
                ["1", "tab\there", nil],
                ["2", "new\nline and\r\ncrlf", "x"],
                ["3", #"back\slash \N \t literal"#, #"\"#],
                ["4", "", "中文 🚀"],
                ["5", #"\."#, "\\."],
                ["6", nil, nil],
            ]
            #expect(try await connection.copyFrom("COPY notes (id, body, extra) FROM STDIN", rows: rows) == rows.count)
            let back = try await connection.query("SELECT id::text, body, extra FROM notes ORDER BY id")
            #expect(back.map(\.values) == rows)
            #expect(try await connection.query("SELECT count(*) FROM notes WHERE body IS NULL")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func copyManyRowsAcrossChunks() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE bulk (id bigint, payload text)")
            let rows: [[String?]] = (0..<20_000).map { [String($0), String(repeating: "x\t", count: $0 % 17)] }
            #expect(try await connection.copyFrom("COPY bulk FROM STDIN", rows: rows) == 20_000)
            let summary = try await connection.query("SELECT count(*), sum(id), sum(length(payload)) FROM bulk")
            let (count, sum, length) = try summary[0].decode((Int, Int64, Int64).self)
            #expect(count == 20_000)
            #expect(sum == Int64((0..<20_000).reduce(0, +)))
            #expect(length == Int64((0..<20_000).reduce(0) { $0 + 2 * ($1 % 17) }))
        }
    }

    @Test func copyErrorsAreReportedAndLeaveTheSessionUsable() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE strict (id int PRIMARY KEY, v text NOT NULL)")

            let badValue = await #expect(throws: PostgresError.self) {
                try await connection.copyFrom("COPY strict FROM STDIN", rows: [["1", "a"], ["x", "b"]])
            }
            #expect(badValue?.kind == .copy)
            #expect(badValue?.sqlState == PostgresError.SQLState.invalidTextRepresentation)

            let notNull = await #expect(throws: PostgresError.self) {
                try await connection.copyFrom("COPY strict FROM STDIN", rows: [["1", nil]])
            }
            #expect(notNull?.sqlState == PostgresError.SQLState.notNullViolation)

            let nul = await #expect(throws: PostgresError.self) {
                try await connection.copyFrom("COPY strict FROM STDIN", rows: [["1", "a\u{0}"]])
            }
            #expect(nul?.kind == .copy)

            let missingTable = await #expect(throws: PostgresError.self) {
                try await connection.copyFrom("COPY nope FROM STDIN", rows: [["1"]])
            }
            #expect(missingTable?.sqlState == PostgresError.SQLState.undefinedTable)

            let notCopy = await #expect(throws: PostgresError.self) {
                try await connection.copyFrom("SELECT 1", rows: [])
            }
            #expect(notCopy?.kind == .copy)

            let copyOut = await #expect(throws: PostgresError.self) {
                try await connection.copyFrom("COPY strict TO STDOUT", rows: [])
            }
            #expect(copyOut?.kind == .copy)

            #expect(try await connection.query("SELECT count(*) FROM strict")[0].decode(Int.self, at: 0) == 0)
            #expect(try await connection.copyFrom("COPY strict FROM STDIN", rows: [["1", "ok"]]) == 1)
        }
    }

    @Test func copyInsideTransactionRollsBack() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE t (v text)")
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await connection.transaction { tx in
                    _ = try await tx.copyFrom("COPY t FROM STDIN", rows: [["a"], ["b"]])
                    throw Abort()
                }
            }
            #expect(try await connection.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        }
    }
}
