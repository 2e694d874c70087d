import ChanceryPostgres
import Foundation

/// Rebuilds without downtime (issue 11; README "Auditors"): the read models are built from the log into a build of
/// purpose `rebuild` while the live ones keep serving, caught up, and then swapped in atomically, in one transaction
/// with the consumers' positions.
///
/// What is swapped: the schemas that hold only read models (``swappedSchemas``: renamed as a whole, views included) and
/// the derived tables of the schemas shared with the log of record (``swappedTables``: `audit.events` and the consumers'
/// `projection.stream_positions` and `projection.consumer_offsets`, moved with `ALTER TABLE … SET SCHEMA`). The journal,
/// the verifiable log, tokens, receipts, the quarantine and the outbox stay as they are.
///
/// The swap transaction:
/// 1. locks every live table of the swapped set `ACCESS EXCLUSIVE`, positions and offsets first. This waits for the
///    consumer batches in flight to commit, then holds the next ones at their first statement (they read their stream
///    positions first) and holds readers for the few milliseconds of the swap; a reader that was waiting resolves the
///    names again after the commit and reads the new tables — never a mixture, never an empty table. The other tables
///    are locked with a `lock_timeout` of 100 ms: a reader that holds one of them while it waits for another the swap
///    already holds would otherwise deadlock with it (and one of the two fail); the swap gives way instead — rolls back
///    and tries again 20 ms later, up to ``attempts`` times;
/// 2. applies to the build the journal records appended since its last catch-up (the consumers cannot have applied
///    anything the journal does not hold, so the build is now at least as far as each live consumer);
/// 3. copies the positions and offsets of consumer groups the build does not replay (none today);
/// 4. moves the live objects into the retired namespace `NAME_old`, the build's into their live places, and records the
///    version in `projection.read_model_version`.
/// After the commit, the consumers go on from their own positions: what the build already holds is a duplicate and is
/// skipped (stream continuity), the rest is applied to the new tables. The retired objects are then dropped.
public enum ReadModelSwap {
    /// Schemas that hold only read models.
    public static let swappedSchemas = ["approval", "catalog", "disclosure", "interaction", "supervision"]
    /// Derived tables of the schemas shared with the log of record, as (schema, table).
    public static let swappedTables = [("projection", "stream_positions"), ("projection", "consumer_offsets"), ("audit", "events")]

    /// How often the swap tries to take its locks before it gives up.
    public static let attempts = 500

    /// What a swap did.
    public struct Outcome: Sendable, Codable {
        /// Journal records applied inside the swap transaction (the final catch-up).
        public var caughtUp: Int
        /// The journal position the new read models were at when they were swapped in.
        public var position: Int64
        /// Milliseconds the swap transaction held the tables.
        public var milliseconds: Int
    }

    /// The namespace that receives the live objects swapped out (`NAME_old`).
    static func retired(_ build: ReadModelNamespace) throws -> ReadModelNamespace {
        try ReadModelNamespace(String("\(build.name)_old".suffix(30)))
    }

    /// Swaps the caught-up `build` in for the live read models (see above), then drops what it replaced.
    /// - Parameter replay: the build's replay (same namespace and consumers), for the final catch-up.
    /// - Throws: ``ReadModelBuilds/BuildError`` when `build` is not a finished rebuild; ``PostgresError``.
    public static func swap(_ replay: JournalReplay, database: PostgresClient) async throws -> Outcome {
        let build = replay.namespace
        guard let record = try await ReadModelBuilds.find(build.name, database: database), record.purpose == ReadModelBuilds.Purpose.rebuild.rawValue else {
            throw ReadModelBuilds.BuildError("read models '\(build.name)' are not a rebuild (chancery rebuild makes one)")
        }
        let retired = try retired(build)
        let groups = replay.consumers.map(\.group)
        let q = PostgresSchemaRoute.quote
        var attempt = 0
        var outcome: Outcome?
        while outcome == nil {
            attempt += 1
            do {
                outcome = try await attemptSwap(replay, record: record, retired: retired, groups: groups, database: database)
            } catch let error as PostgresError where error.sqlState == "55P03" && attempt < attempts {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        // What was replaced, and what is left of the build (its copy of the journal's tables, all empty), go.
        try await database.transaction { connection in
            for schema in retired.schemas + build.schemas {
                try await connection.execute("DROP SCHEMA IF EXISTS \(unescaped: q(schema)) CASCADE")
            }
        }
        return outcome!
    }

    /// One try of the swap transaction; a `55P03` (lock not available) error when a lock was not had within the timeout.
    private static func attemptSwap(_ replay: JournalReplay, record: ReadModelBuilds.Build, retired: ReadModelNamespace, groups: [String],
                                    database: PostgresClient) async throws -> Outcome {
        let build = replay.namespace
        let q = PostgresSchemaRoute.quote
        return try await database.withConnection { connection in
            try await connection.transaction { connection in
                let started = Date()
                // 1. Positions and offsets first (the consumers' first statement), waiting for the batches in flight; then
                //    every other live table of the swapped set, giving way to readers.
                let positions = swappedTables.map { "\(q($0.0)).\(q($0.1))" }
                try await connection.execute("LOCK TABLE \(unescaped: positions.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE")
                var live: [String] = []
                for row in try await connection.query(
                    "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(\(swappedSchemas)) ORDER BY 1, 2") {
                    live.append("\(q(try row.decode(String.self, at: 0))).\(q(try row.decode(String.self, at: 1)))")
                }
                try await connection.execute("SET LOCAL lock_timeout = '100ms'")
                try await connection.execute("LOCK TABLE \(unescaped: live.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE")
                try await connection.execute("SET LOCAL lock_timeout = 0")
                // 2. The final catch-up, in this transaction.
                let summary = try await replay.run(on: connection)
                // 3. Other consumer groups' positions and offsets move to the new tables unchanged.
                for table in ["stream_positions", "consumer_offsets"] {
                    try await connection.execute(
                        "INSERT INTO \(unescaped: q(build.schema("projection"))).\(unescaped: q(table)) SELECT * FROM projection.\(unescaped: q(table)) WHERE consumer_group <> ALL(\(groups))")
                }
                // 4. Live objects out to NAME_old, the build's in.
                for schema in ["audit", "projection"] { try await connection.execute("CREATE SCHEMA \(unescaped: q(retired.schema(schema)))") }
                for (schema, table) in swappedTables {
                    try await connection.execute("ALTER TABLE \(unescaped: q(schema)).\(unescaped: q(table)) SET SCHEMA \(unescaped: q(retired.schema(schema)))")
                    try await connection.execute("ALTER TABLE \(unescaped: q(build.schema(schema))).\(unescaped: q(table)) SET SCHEMA \(unescaped: q(schema))")
                }
                for schema in swappedSchemas {
                    try await connection.execute("ALTER SCHEMA \(unescaped: q(schema)) RENAME TO \(unescaped: q(retired.schema(schema)))")
                    try await connection.execute("ALTER SCHEMA \(unescaped: q(build.schema(schema))) RENAME TO \(unescaped: q(schema))")
                }
                try await connection.execute("UPDATE projection.read_model_version SET version = \(record.projectionVersion), swapped_at = now()")
                try await connection.execute("DELETE FROM projection.read_model_builds WHERE name = \(build.name)")
                return Outcome(caughtUp: summary.records, position: summary.lastPosition,
                               milliseconds: Int(Date().timeIntervalSince(started) * 1000))
            }
        }
    }

    /// The projection version of the live read models (`projection.read_model_version`).
    public static func liveVersion(database: PostgresClient) async throws -> Int {
        try await database.query("SELECT version FROM projection.read_model_version").first?.decode(Int.self, at: 0) ?? 0
    }
}
