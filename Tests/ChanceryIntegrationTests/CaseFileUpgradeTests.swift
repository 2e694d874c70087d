import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections
import ChanceryScenario
import ChanceryServer
import Foundation
import Testing

/// Migration 0014 stores each case's file (`approval.cases.case_file`); rows written before it have none. The
/// projector then folds such a case again from `audit.events` when its next event arrives: the rows must come out as a
/// projector that always had the files writes them.
@Suite("Case file upgrade", .serialized, .timeLimit(.minutes(5)))
struct CaseFileUpgradeTests {
    /// `approval.cases` without the file column, in a stable order.
    static let casesWithoutFile = """
        SELECT to_jsonb(c) - 'case_file' FROM approval.cases c ORDER BY subject
        """

    @Test("cases written before the file existed are folded again from the log and equal a clean replay")
    func legacyRowsFoldAgain() async throws {
        try await TestCluster.with(seedCatalog: false) { cluster in
            let events = Array(ReferenceScenario().events().prefix(3000))
            let db = cluster.node.database
            _ = try await cluster.gateway.append(events.prefix(1500).map { SubmittedEvent(event: $0) })
            try await cluster.running([cluster.projector(batchSize: 250)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 1500)
            }
            // As a version before 0014 left them: no files.
            let legacy = try await db.execute("UPDATE approval.cases SET case_file = NULL")
            #expect(legacy > 100, "cases were projected before the upgrade")
            _ = try await db.execute("CREATE TABLE legacy_cases AS SELECT subject, last_sequence FROM approval.cases")
            _ = try await cluster.gateway.append(events.dropFirst(1500).map { SubmittedEvent(event: $0) })
            try await cluster.running([cluster.projector(batchSize: 250)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 3000)
            }
            let upgraded = try await db.query(Self.casesWithoutFile).map(\.values)
            // Legacy cases that moved after the upgrade were folded again from the log and have their file again.
            let refolded = try await db.query(
                """
                SELECT count(*) FROM approval.cases c JOIN legacy_cases l USING (subject)
                WHERE c.last_sequence > l.last_sequence AND c.case_file IS NOT NULL
                """)
            #expect(try refolded[0].decode(Int64.self, at: 0) > 50, "legacy cases moved after the upgrade")

            let clean = try await TestDatabase.create()
            let cleanClient = PostgresClient(url: clean.url, maxConnections: 2, logger: cluster.logger)
            _ = try await ReadModelMigrations.migrate(cleanClient)
            try await cluster.running([cluster.projector(database: cleanClient)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 3000, on: cleanClient)
            }
            let replayed = try await cleanClient.query(Self.casesWithoutFile).map(\.values)
            await cleanClient.shutdown()
            await clean.drop()
            #expect(upgraded.count == replayed.count)
            #expect(upgraded == replayed)
        }
    }
}
