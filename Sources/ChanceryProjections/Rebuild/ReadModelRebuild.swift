import ChanceryPostgres
import Foundation
import Logging

/// `chancery rebuild`, and a server whose code carries a newer ``ReadModelVersion/current`` than the live read models:
/// builds every read model from the start of the log into the build `NAME` (purpose `rebuild`) while the live ones keep
/// serving, catches up with the log, then swaps it in (``ReadModelSwap``).
///
/// The bulk build reads the journal in chunks of ``defaultChunk`` records (one transaction each), into tables without
/// their secondary indexes (``ReadModelIndexes``), which are built after the bulk, before the catch-up passes and the
/// swap. The handlers are the live consumers' own: a rebuild computes what the live projection computes.
public enum ReadModelRebuild {
    /// The build's name when none is given.
    public static let defaultName = "rebuild"

    /// Journal records per transaction of a rebuild when none is given. Measured (P3, README "Performance"; release
    /// build, a loaded machine): 1,000,000 events in 302.7 s in chunks of 20,000 against 326.4 s in chunks of 2,000 (the
    /// supervisor's per-chunk queries for due streams: 62.5 s against 84.6 s; the projector 229 s either way); 100,000
    /// events in 53.5 s against 44.9 s. The chunk moves the figure by a tenth at most.
    public static let defaultChunk = 20_000

    /// Where a rebuild's time went, in seconds.
    public struct Phases: Sendable, Codable, CustomStringConvertible {
        /// Dropping an unfinished build, creating the build's schemas and tables (every migration).
        public var create: Double = 0
        /// The bulk build from the start of the log.
        public var bulk: Double = 0
        /// The bulk build's breakdown.
        public var bulkTimings = JournalReplay.Timings()
        /// Building the secondary indexes left out during the bulk build.
        public var indexes: Double = 0
        /// The catch-up passes.
        public var catchUp: Double = 0
        /// The swap (its final catch-up included) and dropping what it replaced.
        public var swap: Double = 0

        public var description: String {
            String(format: "create %.1f s, bulk %.1f s (", create, bulk) + bulkTimings.description
                + String(format: "), indexes %.1f s, catch-up %.1f s, swap %.1f s", indexes, catchUp, swap)
        }
    }

    /// What a rebuild did.
    public struct Outcome: Sendable, Codable {
        /// Canonical events applied to the new read models before the swap (the bulk and every catch-up).
        public var events: Int
        /// Catch-up passes after the bulk build.
        public var catchUps: Int
        /// The swap itself.
        public var swap: ReadModelSwap.Outcome
        /// Seconds from start to the swap's commit.
        public var seconds: Double
        /// Where the time went.
        public var phases: Phases
    }

    /// Builds, catches up and swaps.
    /// - Parameters:
    ///   - name: the build's name (an unfinished rebuild of that name is dropped first; another kind of build is an error).
    ///   - consumers: the projector and the supervisor as the server runs them.
    ///   - migrations: every module's migrations, as the live schemas were made (the server's `DatabaseMigrations`).
    ///   - chunk: journal records per transaction.
    ///   - version: the projection version the new read models are recorded with.
    ///   - logger: where each phase's time is logged (info).
    ///   - progress: after every chunk of the bulk build.
    /// - Throws: ``ReadModelBuilds/BuildError``, ``PostgresError``.
    public static func run(name: String = defaultName, consumers: [ReplayConsumer], migrations: [PostgresMigration], database: PostgresClient,
                           chunk: Int = defaultChunk, version: Int = ReadModelVersion.current, logger: Logger? = nil,
                           progress: @escaping @Sendable (JournalReplay.Progress) -> Void = { _ in }) async throws -> Outcome {
        let started = Date()
        var phases = Phases()
        var phaseStarted = ContinuousClock.now
        /// Ends the phase that began at `phaseStarted`: logs it and returns its seconds.
        func endPhase(_ name: String, _ metadata: Logger.Metadata = [:]) -> Double {
            let seconds = JournalReplay.seconds(since: phaseStarted)
            phaseStarted = ContinuousClock.now
            logger?.info("rebuild: \(name) took \(String(format: "%.2f", seconds)) s", metadata: metadata)
            return seconds
        }
        let namespace = try ReadModelNamespace(name)
        if let earlier = try await ReadModelBuilds.find(name, database: database) {
            guard earlier.purpose == ReadModelBuilds.Purpose.rebuild.rawValue else {
                throw ReadModelBuilds.BuildError("read models named '\(name)' exist and are not a rebuild; drop them or choose another name")
            }
            try await ReadModelBuilds.drop(namespace, database: database)
        }
        let retired = try ReadModelSwap.retired(namespace)
        if try await ReadModelBuilds.find(retired.name, database: database) != nil {
            throw ReadModelBuilds.BuildError("read models named '\(retired.name)' exist: the rebuild '\(name)' needs that name for what it replaces")
        }
        try await database.transaction { connection in
            for schema in retired.schemas { try await connection.execute("DROP SCHEMA IF EXISTS \(unescaped: PostgresSchemaRoute.quote(schema)) CASCADE") }
        }
        try await ReadModelBuilds.create(namespace, purpose: .rebuild, cutoff: nil, replace: false, version: version, migrations: migrations,
                                         database: database)
        let deferred = try await ReadModelIndexes.dropDeferrable(in: namespace, database: database)
        phases.create = endPhase("creating the build's tables", ["deferredIndexes": "\(deferred.count)"])
        let replay = JournalReplay(database: database, namespace: namespace, consumers: consumers, cutoff: nil, chunk: chunk)
        var summary = try await replay.run(progress: progress)
        phases.bulkTimings = summary.timings
        phases.bulk = endPhase("the bulk build", ["events": "\(summary.events)", "records": "\(summary.records)", "breakdown": "\(summary.timings)"])
        try await ReadModelIndexes.create(deferred, database: database)
        phases.indexes = endPhase("building the deferred indexes", ["indexes": "\(deferred.count)"])
        var events = summary.events
        // Catch up until a pass finds less than a chunk to do, so the swap's own catch-up is short (at most 10 passes
        // on a log that grows faster than the rebuild reads it; the swap then catches up the rest).
        var passes = 0
        repeat {
            summary = try await replay.run()
            events += summary.events
            passes += 1
        } while summary.records >= chunk && passes < 10
        try await ReadModelBuilds.record(namespace, lastPosition: summary.lastPosition, events: Int64(events), finished: true, database: database)
        phases.catchUp = endPhase("catching up", ["passes": "\(passes)"])
        let swap = try await ReadModelSwap.swap(replay, database: database)
        phases.swap = endPhase("the swap", ["caughtUp": "\(swap.caughtUp)", "heldMilliseconds": "\(swap.milliseconds)"])
        return Outcome(events: events, catchUps: passes, swap: swap, seconds: Date().timeIntervalSince(started), phases: phases)
    }
}
