import ChanceryPostgres
import Testing

private struct Boom: Error, Equatable {}

private func count(_ table: String, on connection: PostgresConnection) async throws -> Int {
    try await connection.query("SELECT count(*) FROM \(unescaped: table)")[0].decode(Int.self, at: 0)
}

@Suite("Transactions")
struct TransactionTests {
    @Test func commitMakesChangesVisibleToOthers() async throws {
        try await TestDatabase.withSchema { connection, schema in
            try await connection.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
            let result = try await connection.transaction { tx in
                try await tx.execute("INSERT INTO ledger VALUES (\(1)), (\(2))")
                return "done"
            }
            #expect(result == "done")
            let other = try await TestDatabase.connect()
            #expect(try await count("\(schema).ledger", on: other) == 2)
            await other.close()
        }
    }

    @Test func throwRollsBackAndRethrowsTheOriginalError() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
            await #expect(throws: Boom.self) {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO ledger VALUES (1)")
                    throw Boom()
                }
            }
            #expect(try await count("ledger", on: connection) == 0)

            let sqlError = await #expect(throws: PostgresError.self) {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO ledger VALUES (1)")
                    try await tx.execute("INSERT INTO ledger VALUES (1)")
                }
            }
            #expect(sqlError?.sqlState == PostgresError.SQLState.uniqueViolation)
            #expect(try await count("ledger", on: connection) == 0)
        }
    }

    @Test func swallowedErrorMakesCommitFail() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
            let error = await #expect(throws: PostgresError.self) {
                try await connection.transaction { tx in
                    try await tx.execute("INSERT INTO ledger VALUES (1)")
                    _ = try? await tx.execute("INSERT INTO ledger VALUES (1)")
                }
            }
            #expect(error?.sqlState == PostgresError.SQLState.inFailedTransaction)
            #expect(try await count("ledger", on: connection) == 0)
        }
    }

    @Test func nestedTransactionUsesSavepoint() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
            try await connection.transaction { tx in
                try await tx.execute("INSERT INTO ledger VALUES (1)")
                await #expect(throws: Boom.self) {
                    try await tx.transaction { inner in
                        try await inner.execute("INSERT INTO ledger VALUES (2)")
                        throw Boom()
                    }
                }
                try await tx.transaction { inner in
                    try await inner.execute("INSERT INTO ledger VALUES (3)")
                }
            }
            let ids = try await connection.query("SELECT id FROM ledger ORDER BY id").map { try $0.decode(Int.self, at: 0) }
            #expect(ids == [1, 3])
        }
    }

    @Test func isolationLevelIsApplied() async throws {
        try await TestDatabase.withSchema { connection, _ in
            let level = try await connection.transaction(isolation: .serializable) { tx in
                try await tx.query("SHOW transaction_isolation")[0].decode(String.self, at: 0)
            }
            #expect(level == "serializable")
        }
    }
}
