import ChanceryPostgres
import Foundation
import Testing

private let baseMigrations = [
    PostgresMigration(version: 1, name: "create_events", sql: """
        CREATE TABLE events (id bigserial PRIMARY KEY, body text NOT NULL);
        CREATE INDEX events_body_idx ON events (body);
        """),
    PostgresMigration(version: 2, name: "add_created_at", sql: """
        ALTER TABLE events ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
        """),
]

private func migrator(_ migrations: [PostgresMigration], schema: String) -> PostgresMigrator {
    PostgresMigrator(migrations: migrations, schema: schema)
}

@Suite("Migrations")
struct MigratorTests {
    @Test func appliesOnceAndIsIdempotent() async throws {
        try await TestDatabase.withSchema { connection, schema in
            #expect(try await migrator(baseMigrations, schema: schema).migrate(on: connection) == [1, 2])
            #expect(try await migrator(baseMigrations, schema: schema).migrate(on: connection) == [])
            try await connection.execute("INSERT INTO events (body) VALUES (\("hello"))")

            let bookkeeping = try await connection.query(
                "SELECT version, name, checksum, applied_at FROM \(unescaped: schema).schema_migrations ORDER BY version"
            )
            #expect(bookkeeping.count == 2)
            let (version, name, checksum, appliedAt) = try bookkeeping[0].decode((Int, String, String, Date).self)
            #expect(version == 1 && name == "create_events")
            #expect(checksum == baseMigrations[0].checksum)
            #expect(abs(appliedAt.timeIntervalSinceNow) < 300)

            let third = PostgresMigration(version: 3, name: "add_kind", sql: "ALTER TABLE events ADD COLUMN kind text;")
            #expect(try await migrator(baseMigrations + [third], schema: schema).migrate(on: connection) == [3])
            #expect(try await migrator(baseMigrations + [third], schema: schema).appliedVersions(on: connection) == [1, 2, 3])
        }
    }

    @Test func changedChecksumIsRefused() async throws {
        try await TestDatabase.withSchema { connection, schema in
            _ = try await migrator(baseMigrations, schema: schema).migrate(on: connection)
            var edited = baseMigrations
            edited[1].sql += "\n-- sneaky edit\n"
            let later = PostgresMigration(version: 3, name: "later", sql: "CREATE TABLE later (id int);")
            let error = await #expect(throws: PostgresError.self) {
                try await migrator(edited + [later], schema: schema).migrate(on: connection)
            }
            #expect(error?.kind == .migration)
            #expect(error?.message.contains("checksum") == true)
            // Nothing else was applied.
            #expect(try await connection.query("SELECT to_regclass('later') IS NULL")[0].decode(Bool.self, at: 0))
        }
    }

    @Test func failingMigrationIsRolledBack() async throws {
        try await TestDatabase.withSchema { connection, schema in
            let broken = PostgresMigration(version: 3, name: "broken", sql: """
                CREATE TABLE half_done (id int);
                INSERT INTO no_such_table VALUES (1);
                """)
            let error = await #expect(throws: PostgresError.self) {
                try await migrator(baseMigrations + [broken], schema: schema).migrate(on: connection)
            }
            #expect(error?.sqlState == PostgresError.SQLState.undefinedTable)
            let applied = try await migrator(baseMigrations, schema: schema).appliedVersions(on: connection)
            #expect(applied == [1, 2])
            let halfDoneAbsent = try await connection.query("SELECT to_regclass('half_done') IS NULL")[0].decode(Bool.self, at: 0)
            #expect(halfDoneAbsent)
        }
    }

    @Test func duplicateVersionsAreRejected() async throws {
        try await TestDatabase.withSchema { connection, schema in
            let duplicate = baseMigrations + [PostgresMigration(version: 2, name: "again", sql: "SELECT 1;")]
            let error = await #expect(throws: PostgresError.self) {
                try await migrator(duplicate, schema: schema).migrate(on: connection)
            }
            #expect(error?.kind == .migration)
        }
    }

    @Test func concurrentStartersApplyEachMigrationOnce() async throws {
        try await TestDatabase.withSchema { _, schema in
            let migrations = baseMigrations + (3...8).map {
                PostgresMigration(version: $0, name: "step\($0)", sql: "CREATE TABLE step\($0) (id int); SELECT pg_sleep(0.02);")
            }
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let connection = try await TestDatabase.connect()
                        do {
                            try await connection.execute("SET search_path TO \(unescaped: schema)")
                            let applied = try await migrator(migrations, schema: schema).migrate(on: connection)
                            await connection.close()
                            return applied
                        } catch {
                            await connection.close()
                            throw error
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(results.sorted() == Array(1...8))
        }
    }

    @Test func loadsMigrationFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CREATE TABLE b (id int);".write(to: directory.appendingPathComponent("0002_second_step.sql"), atomically: true, encoding: .utf8)
        try "CREATE TABLE a (id int);".write(to: directory.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        try "notes".write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)

        let loaded = try PostgresMigrator.load(directory: directory)
        #expect(loaded.map(\.version) == [1, 2])
        #expect(loaded.map(\.name) == ["first", "second_step"])
        #expect(loaded[0].sql == "CREATE TABLE a (id int);")

        try "SELECT 1;".write(to: directory.appendingPathComponent("oops.sql"), atomically: true, encoding: .utf8)
        let badName = #expect(throws: PostgresError.self) { try PostgresMigrator.load(directory: directory) }
        #expect(badName?.kind == .migration)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("oops.sql"))

        try "SELECT 1;".write(to: directory.appendingPathComponent("2_dup.sql"), atomically: true, encoding: .utf8)
        #expect(throws: PostgresError.self) { try PostgresMigrator.load(directory: directory) }

        #expect(throws: PostgresError.self) {
            try PostgresMigrator.load(directory: directory.appendingPathComponent("missing"))
        }
    }
}
