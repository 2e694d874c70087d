import ChanceryPostgres
import Foundation
import Logging
import Testing

@testable import ChancerySupervision

/// The supervisor's batch upsert (``MultiRowUpsert``): more rows than one statement's parameters allow are written in
/// several statements; an existing row keeps its kept columns and takes the others; casts apply to every row.
@Suite("Multi-row upsert", .timeLimit(.minutes(2)))
struct MultiRowUpsertTests {
    static let upsert = MultiRowUpsert(
        table: "clocks", columns: [("subject", ""), ("region", ""), ("due", "::date"), ("file", "::jsonb"), ("alert_ids", "")],
        kept: ["subject", "region"])

    @Test("given 15,000 new rows (more than the 13,107 of one statement) then an update of every tenth, the table holds each row's values, kept columns unchanged")
    func splitsAndUpdates() async throws {
        let database = try await TestDatabase.create()
        let client = PostgresClient(url: database.url, maxConnections: 1, logger: Logger(label: "test"))
        do {
            #expect(MultiRowUpsert.rowsPerStatement(columns: 5) == 13_107)
            try await client.withConnection { db in
                try await db.execute("CREATE TABLE clocks (subject text PRIMARY KEY, region text NOT NULL, due date, file jsonb, alert_ids text[] NOT NULL)")
                let rows: [[(any PostgresEncodable)?]] = (0..<15_000).map { i in
                    ["case/430424/\(i)", "430424", i % 2 == 0 ? "2025-03-0\(1 + i % 9)" : nil, "{\"n\": \(i)}", i % 3 == 0 ? ["a-\(i)", "b"] : [String]()]
                }
                try await Self.upsert.execute(rows, on: db)
                let updates: [[(any PostgresEncodable)?]] = stride(from: 0, to: 15_000, by: 10).map { i in
                    ["case/430424/\(i)", "999999", "2026-01-01", "{\"n\": -\(i)}", ["c"]]
                }
                try await Self.upsert.execute(updates, on: db)
                let counts = try await db.query(
                    """
                    SELECT count(*), count(*) FILTER (WHERE region = '430424'), count(*) FILTER (WHERE due = '2026-01-01'),
                           count(*) FILTER (WHERE (file ->> 'n')::int < 0), count(*) FILTER (WHERE alert_ids = '{c}')
                    FROM clocks
                    """)[0]
                #expect(try counts.decode(Int64.self, at: 0) == 15_000)
                #expect(try counts.decode(Int64.self, at: 1) == 15_000)  // region kept on update
                #expect(try counts.decode(Int64.self, at: 2) == 1_500)
                #expect(try counts.decode(Int64.self, at: 3) == 1_499)  // -0 is 0
                #expect(try counts.decode(Int64.self, at: 4) == 1_500)
                let one = try await db.query("SELECT due::text, file::text, alert_ids FROM clocks WHERE subject = 'case/430424/3'")[0]
                #expect(try one.decode(String?.self, at: 0) == nil)
                #expect(try one.decode(String.self, at: 1) == "{\"n\": 3}")
                #expect(try one.decode([String].self, at: 2) == ["a-3", "b"])
            }
        } catch {
            await client.shutdown()
            await database.drop()
            throw error
        }
        await client.shutdown()
        await database.drop()
    }
}
