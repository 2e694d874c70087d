import ChanceryPostgres
import Foundation
import Testing

@Suite("Errors")
struct ErrorTests {
    @Test func uniqueViolationCarriesSQLState() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE accounts (id int PRIMARY KEY, email text CONSTRAINT accounts_email_key UNIQUE)")
            try await connection.execute("INSERT INTO accounts VALUES (\(1), \("a@example.com"))")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO accounts VALUES (\(2), \("a@example.com"))")
            }
            #expect(error?.kind == .query)
            #expect(error?.sqlState == PostgresError.SQLState.uniqueViolation)
            #expect(error?.constraint == "accounts_email_key")
            #expect(error?.table == "accounts")
            #expect(error?.message.contains("duplicate key") == true)
            #expect(error?.detail?.contains("a@example.com") == true)
            #expect(error?.description.contains("23505") == true)
            // The session is still usable after a statement error.
            #expect(try await connection.query("SELECT count(*) FROM accounts")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func undefinedTableAndSyntaxErrors() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let missing = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT * FROM no_such_table WHERE id = \(1)")
            }
            #expect(missing?.sqlState == PostgresError.SQLState.undefinedTable)
            #expect(missing?.message.contains("no_such_table") == true)

            let syntax = await #expect(throws: PostgresError.self) { try await connection.query("SELEC 1") }
            #expect(syntax?.sqlState == PostgresError.SQLState.syntaxError)

            let badInput = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT \("not a number")::int")
            }
            #expect(badInput?.sqlState == PostgresError.SQLState.invalidTextRepresentation)

            let script = await #expect(throws: PostgresError.self) {
                try await connection.executeScript("CREATE TABLE ok (id int); SELECT * FROM nope;")
            }
            #expect(script?.sqlState == PostgresError.SQLState.undefinedTable)
        }
    }

    @Test func decodingErrorsAreTyped() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let rows = try await connection.query("SELECT NULL::text AS empty, 'abc' AS word")
            let null = #expect(throws: PostgresError.self) { try rows[0].decode(String.self, column: "empty") }
            #expect(null?.kind == .decoding)
            let word = #expect(throws: PostgresError.self) { try rows[0].decode(Int.self, column: "word") }
            #expect(word?.kind == .decoding)
            #expect(word?.message.contains("word") == true)
        }
    }

    @Test func connectFailureIsAConnectionError() async throws {
        _ = try TestDatabase.url()
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(url: "postgresql://postgres@127.0.0.1:1/chancery?connect_timeout=2", logger: TestDatabase.logger)
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.isEmpty == false)
    }

    @Test func closedConnectionThrowsClosed() async throws {
        let connection = try await TestDatabase.connect()
        #expect(try await connection.serverVersion() >= 100_000)
        await connection.close()
        await connection.close() // idempotent
        let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
        #expect(error?.kind == .closed)
    }

    @Test func terminatedBackendIsAConnectionError() async throws {
        let victim = try await TestDatabase.connect()
        let killer = try await TestDatabase.connect()
        let pid = try await victim.query("SELECT pg_backend_pid()")[0].decode(Int32.self, at: 0)
        #expect(try await killer.query("SELECT pg_terminate_backend(\(pid))")[0].decode(Bool.self, at: 0))
        let error = await #expect(throws: PostgresError.self) { try await victim.query("SELECT 1") }
        #expect(error?.kind == .connection)
        await victim.close()
        await killer.close()
    }

    @Test func cancellingTheTaskCancelsTheStatement() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let started = ContinuousClock.now
            // A 120 s statement: only a cancellation ends it within a minute, however loaded the machine is.
            let task = Task { try await connection.query("SELECT pg_sleep(120)") }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let result = await task.result
            let error = #expect(throws: PostgresError.self) { try result.get() }
            #expect(error?.sqlState == PostgresError.SQLState.queryCanceled)
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(try await connection.query("SELECT 2")[0].decode(Int.self, at: 0) == 2)
        }
    }
}
