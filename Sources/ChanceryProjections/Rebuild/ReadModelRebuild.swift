import ChanceryPostgres
import Foundation

/// `chancery rebuild`, and a server whose code carries a newer ``ReadModelVersion/current`` than the live read models:
/// builds every read model from the start of the log into the build `NAME` (purpose `rebuild`) while the live ones keep
/// serving, catches up with the log, then swaps it in (``ReadModelSwap``).
public enum ReadModelRebuild {
    /// The build's name when none is given.
    public static let defaultName = "rebuild"

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
    }

    /// Builds, catches up and swaps.
    /// - Parameters:
    ///   - name: the build's name (an unfinished rebuild of that name is dropped first; another kind of build is an error).
    ///   - consumers: the projector and the supervisor as the server runs them.
    ///   - chunk: journal records per transaction.
    ///   - version: the projection version the new read models are recorded with.
    ///   - progress: after every chunk of the bulk build.
    /// - Throws: ``ReadModelBuilds/BuildError``, ``PostgresError``.
    public static func run(name: String = defaultName, consumers: [ReplayConsumer], database: PostgresClient, chunk: Int = 2_000,
                           version: Int = ReadModelVersion.current,
                           progress: @escaping @Sendable (JournalReplay.Progress) -> Void = { _ in }) async throws -> Outcome {
        let started = Date()
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
        try await ReadModelBuilds.create(namespace, purpose: .rebuild, cutoff: nil, replace: false, version: version, database: database)
        let replay = JournalReplay(database: database, namespace: namespace, consumers: consumers, cutoff: nil, chunk: chunk)
        var summary = try await replay.run(progress: progress)
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
        let swap = try await ReadModelSwap.swap(replay, database: database)
        return Outcome(events: events, catchUps: passes, swap: swap, seconds: Date().timeIntervalSince(started))
    }
}
