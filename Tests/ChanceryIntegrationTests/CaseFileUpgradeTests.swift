import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections
import ChanceryScenario
import ChanceryServer
import Foundation
import Testing

/// Migration 0014 stores each case's file (`approval.cases.case_file`), migration 0023 each reply stream's
/// (`reply_file` of `disclosure.requests` and `interaction.*`); rows written before them have none. The projector then
/// folds such a stream again from `audit.events` when its next event arrives: the rows must come out as a projector that
/// always had the files writes them.
@Suite("Case and reply file upgrade", .serialized, .timeLimit(.minutes(5)))
struct CaseFileUpgradeTests {
    /// `approval.cases` without the file column, in a stable order.
    static let casesWithoutFile = """
        SELECT to_jsonb(c) - 'case_file' FROM approval.cases c ORDER BY subject
        """
    /// The reply tables.
    static let replyTables = ["disclosure.requests", "interaction.letters", "interaction.consultations", "interaction.complaints"]
    /// Every reply table's rows without the file and its sequence, in a stable order.
    static let repliesWithoutFile = replyTables.map { "SELECT to_jsonb(r) - 'reply_file' - 'last_sequence' FROM \($0) r" }
        .joined(separator: " UNION ALL ") + " ORDER BY 1"

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
            var legacyReplies = 0
            for table in Self.replyTables { legacyReplies += try await db.execute("UPDATE \(unescaped: table) SET reply_file = NULL, last_sequence = NULL") }
            #expect(legacyReplies >= 5, "requests, letters, consultations or complaints were projected before the upgrade")
            _ = try await db.execute("CREATE TABLE legacy_cases AS SELECT subject, last_sequence FROM approval.cases")
            _ = try await cluster.gateway.append(events.dropFirst(1500).map { SubmittedEvent(event: $0) })
            try await cluster.running([cluster.projector(batchSize: 250)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 3000)
            }
            let upgraded = try await db.query(Self.casesWithoutFile).map(\.values)
            let upgradedReplies = try await db.query(Self.repliesWithoutFile).map(\.values)
            let refoldedReplies = try await db.query(
                Self.replyTables.map { "SELECT count(*) FROM \($0) WHERE reply_file IS NOT NULL AND last_sequence > 1" }.joined(separator: " UNION ALL "))
            #expect(try refoldedReplies.map { try $0.decode(Int64.self, at: 0) }.reduce(0, +) > 0, "legacy reply streams moved after the upgrade")
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
            let replayedReplies = try await cleanClient.query(Self.repliesWithoutFile).map(\.values)
            await cleanClient.shutdown()
            await clean.drop()
            #expect(upgraded.count == replayed.count)
            #expect(upgraded == replayed)
            #expect(upgradedReplies.count == replayedReplies.count)
            #expect(upgradedReplies == replayedReplies)
        }
    }
}
