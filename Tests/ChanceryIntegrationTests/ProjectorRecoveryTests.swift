import ChanceryDomain
import ChanceryGateway
import ChanceryServer
import ChanceryPostgres
import ChanceryRuntime
import ChanceryProjections
import ChanceryScenario
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// DESIGN.md guarantee 4 for the projector: a crash between a batch's apply and its commit, then a
/// restart, gives read models equal to a clean replay.
@Suite("Projector recovery", .serialized, .timeLimit(.minutes(5)))
struct ProjectorRecoveryTests {
    struct InjectedCrash: Error {}

    /// Read-model tables in a stable order, without bookkeeping timestamps.
    static let snapshotQueries = [
        "SELECT subject, sequence, source, id, type, time, hash, prevhash, event::text FROM audit.events ORDER BY subject, sequence",
        "SELECT stream, sequence, hash, state::text FROM approval.stream_heads ORDER BY stream",
        "SELECT * FROM catalog.items ORDER BY subject",
        "SELECT * FROM approval.cases ORDER BY subject",
        "SELECT * FROM approval.daily_counts ORDER BY region, department_code, item_code, day",
        "SELECT * FROM approval.monthly_counts ORDER BY region, department_code, item_code, case_type, month",
        "SELECT * FROM approval.monthly_working_days ORDER BY region, department_code, item_code, case_type, month, working_days_used",
        "SELECT * FROM approval.monthly_limits ORDER BY region, department_code, item_code, case_type, month, statutory_limit, promised_limit",
        "SELECT * FROM disclosure.documents ORDER BY subject",
        "SELECT * FROM disclosure.requests ORDER BY subject",
        "SELECT count(*) FROM audit.quarantine",
    ]

    static func snapshot(_ db: PostgresClient) async throws -> [[PostgresRow]] {
        var out: [[PostgresRow]] = []
        for q in snapshotQueries { out.append(try await db.query(PostgresQuery(unsafeSQL: q))) }
        return out
    }

    @Test("killing the projector between apply and commit, then restarting, equals a clean replay")
    func crashBetweenApplyAndCommit() async throws {
        try await TestCluster.with(seedCatalog: false) { cluster in
            // The first 3,000 events of the reference scenario: items, documents and cases in mid-flight.
            let events = Array(ReferenceScenario().events().prefix(3000))
            let result = try await cluster.gateway.append(events.map { SubmittedEvent(event: $0) })
            #expect(result.events.count == 3000)

            // Crash on the third batch, after its changes were applied inside the transaction.
            let batches = CallCounter()
            let crashing = cluster.projector(batchSize: 250) { stage, _ in
                if stage == .afterApply, batches.increment() == 3 { throw InjectedCrash() }
            }
            await #expect(throws: InjectedCrash.self) { try await crashing.run() }
            let partial = try await cluster.node.database.query("SELECT count(*) FROM audit.events")[0].decode(Int64.self, at: 0)
            #expect(partial < 3000, "the crashed batch and those after it are not visible")

            // Restart: resumes from the offsets committed with the read models.
            try await cluster.running([cluster.projector(batchSize: 250)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 3000)
            }
            let recovered = try await Self.snapshot(cluster.node.database)

            // A clean replay from offset zero into a second database.
            let clean = try await TestDatabase.create()
            let cleanClient = PostgresClient(url: clean.url, maxConnections: 2, logger: cluster.logger)
            _ = try await DatabaseMigrations.migrate(cleanClient)
            try await cluster.running([cluster.projector(database: cleanClient)]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 3000, on: cleanClient)
            }
            let replayed = try await Self.snapshot(cleanClient)
            await cleanClient.shutdown()
            await clean.drop()
            for (i, query) in Self.snapshotQueries.enumerated() {
                #expect(recovered[i].map(\.values) == replayed[i].map(\.values), "\(query)")
            }
            #expect(recovered[3].count > 300, "cases were projected")
            #expect(recovered[5].count > 50, "monthly counts were kept")
        }
    }
}

/// A thread-safe counter for fault injection.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
