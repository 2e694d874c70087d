import ChanceryPostgres
import Foundation
import Testing

/// Counts how many bodies run at once and remembers the most.
final class ConcurrencyGauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0
    func enter() { lock.withLock { current += 1; peak = max(peak, current) } }
    func leave() { lock.withLock { current -= 1 } }
    var maximum: Int { lock.withLock { peak } }
}

@Suite("Connection pool")
struct ClientTests {
    @Test func servesConcurrentWorkWithinTheLimit() async throws {
        let client = PostgresClient(url: try TestDatabase.url(), maxConnections: 3, logger: TestDatabase.logger)
        let gauge = ConcurrencyGauge()
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<24 {
                group.addTask {
                    try await client.withConnection { connection in
                        gauge.enter()
                        defer { gauge.leave() }
                        let rows = try await connection.query("SELECT pg_backend_pid(), \(index)::int, pg_sleep(0.1)")
                        #expect(try rows[0].decode(Int.self, at: 1) == index)
                        return try rows[0].decode(Int32.self, at: 0)
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(pids.count <= 3)
        #expect(pids.count >= 2) // work really ran in parallel
        #expect(await client.openConnections <= 3)
        // Work really overlapped, and never beyond the limit.
        #expect(gauge.maximum >= 2)
        #expect(gauge.maximum <= 3)
        await client.shutdown()
        #expect(await client.openConnections == 0)
    }

    @Test func conveniencesAndTransactions() async throws {
        let schema = TestDatabase.uniqueSchemaName()
        let client = PostgresClient(url: try TestDatabase.url(), maxConnections: 2, logger: TestDatabase.logger)
        do {
            try await client.execute("CREATE SCHEMA \(unescaped: schema)")
            try await client.execute("CREATE TABLE \(unescaped: schema).kv (k text PRIMARY KEY, v text)")
            #expect(try await client.execute("INSERT INTO \(unescaped: schema).kv VALUES (\("a"), \("1"))") == 1)
            try await client.transaction { tx in
                try await tx.execute("INSERT INTO \(unescaped: schema).kv VALUES (\("b"), \("2"))")
            }
            let rows = try await client.query("SELECT k, v FROM \(unescaped: schema).kv ORDER BY k")
            #expect(try rows.map { try $0.decode((String, String).self) }.map(\.0) == ["a", "b"])
        } catch {
            await client.shutdown()
            await TestDatabase.dropSchema(schema)
            throw error
        }
        await client.shutdown()
        await TestDatabase.dropSchema(schema)
    }

    @Test func leftoverTransactionIsRolledBackOnRelease() async throws {
        let schema = TestDatabase.uniqueSchemaName()
        let client = PostgresClient(url: try TestDatabase.url(), maxConnections: 1, logger: TestDatabase.logger)
        try await client.execute("CREATE SCHEMA \(unescaped: schema)")
        try await client.execute("CREATE TABLE \(unescaped: schema).t (id int)")
        struct Oops: Error {}
        await #expect(throws: Oops.self) {
            try await client.withConnection { connection in
                try await connection.execute("BEGIN")
                try await connection.execute("INSERT INTO \(unescaped: schema).t VALUES (1)")
                throw Oops()
            }
        }
        #expect(try await client.query("SELECT count(*) FROM \(unescaped: schema).t")[0].decode(Int.self, at: 0) == 0)
        await client.shutdown()
        await TestDatabase.dropSchema(schema)
    }

    @Test func brokenConnectionIsReplaced() async throws {
        let client = PostgresClient(url: try TestDatabase.url(), maxConnections: 1, logger: TestDatabase.logger)
        let error = await #expect(throws: PostgresError.self) {
            try await client.withConnection { connection in
                _ = try await connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
        }
        #expect(error?.kind == .connection)
        #expect(try await client.query("SELECT 41 + 1")[0].decode(Int.self, at: 0) == 42)
        await client.shutdown()
    }

    @Test func waitingForAConnectionCanBeCancelled() async throws {
        let client = PostgresClient(url: try TestDatabase.url(), maxConnections: 1, logger: TestDatabase.logger)
        let holder = Task {
            try await client.withConnection { connection in
                try await connection.execute("SELECT pg_sleep(1)")
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let waiter = Task { try await client.query("SELECT 1") }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        _ = try await holder.value
        #expect(try await client.query("SELECT 7")[0].decode(Int.self, at: 0) == 7)
        await client.shutdown()
    }

    @Test func shutdownRefusesNewWork() async throws {
        let client = PostgresClient(url: try TestDatabase.url(), maxConnections: 2, logger: TestDatabase.logger)
        #expect(try await client.query("SELECT 1").count == 1)
        await client.shutdown()
        await client.shutdown()
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.kind == .closed)
    }
}
