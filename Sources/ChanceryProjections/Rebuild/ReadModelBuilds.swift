import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The read models built beside the live ones (`projection.read_model_builds`, migration 0021): creating a build's
/// schemas with every read-model migration applied in them, recording it, finding it and dropping it.
public enum ReadModelBuilds {
    /// Why a build was made (the `purpose` column).
    public enum Purpose: String, Sendable, Codable {
        /// `chancery replay`: kept until dropped; readable through the API's `replay` parameter and `--schema`.
        case replay
        /// `chancery verify --read-models`: dropped after the comparison.
        case shadow
        /// `chancery rebuild`: swapped in for the live read models once caught up.
        case rebuild
    }

    /// A recorded build.
    public struct Build: Sendable, Codable, Hashable {
        /// The build's name (its schemas are `NAME__<live schema>`).
        public var name: String
        public var purpose: String
        /// The `--as-of` instant (RFC 3339, UTC), if any.
        public var cutoff: String?
        /// `business` or `recorded`, with a cutoff.
        public var cutoffBy: String?
        /// Journal position read up to (inclusive).
        public var lastPosition: Int64
        /// Canonical events applied.
        public var events: Int64
        /// ``ReadModelVersion/current`` of the code that built it.
        public var projectionVersion: Int
        /// Whether the build finished (only finished builds are readable).
        public var finished: Bool
    }

    /// A build that cannot be made or used.
    public struct BuildError: Error, CustomStringConvertible {
        /// What went wrong, in English, naming the build.
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Creates the schemas of `namespace` and applies every read-model migration in them (through the namespace's
    /// route), then records the build as unfinished.
    ///
    /// - Parameters:
    ///   - replace: drop an earlier build of the same name first; without it an existing build is an error.
    /// - Throws: ``BuildError`` when the build exists (without `replace`) or one of its schemas exists without being
    ///   a recorded build (never dropped); ``PostgresError``.
    ///   - version: the projection version the build is made for (``ReadModelVersion/current``).
    public static func create(_ namespace: ReadModelNamespace, purpose: Purpose, cutoff: ReplayCutoff?, replace: Bool,
                              version: Int = ReadModelVersion.current, database: PostgresClient) async throws {
        if try await find(namespace.name, database: database) != nil {
            guard replace else {
                throw BuildError("read models '\(namespace.name)' already exist (drop them with `chancery replay --drop \(namespace.name)` or pass --replace)")
            }
            try await drop(namespace, database: database)
        }
        let existing = try await database.query("SELECT nspname FROM pg_namespace WHERE nspname = ANY(\(namespace.schemas)) ORDER BY 1")
        if let taken = try existing.first?.decode(String.self, at: 0) {
            throw BuildError("schema \(taken) exists and is not read models built by Chancery; choose another name")
        }
        try await database.execute(
            """
            INSERT INTO projection.read_model_builds (name, purpose, cutoff, cutoff_by, projection_version)
            VALUES (\(namespace.name), \(purpose.rawValue), \(cutoff?.instant.description)::timestamptz, \(cutoff?.by.rawValue), \(version))
            """)
        try await database.withConnection { connection in
            for schema in namespace.schemas {
                try await connection.execute("CREATE SCHEMA \(unescaped: PostgresSchemaRoute.quote(schema))")
            }
            let migrator = PostgresMigrator(migrations: try ReadModelMigrations.all(), schema: namespace.schema("projection"))
            _ = try await PostgresSchemaRoute.$current.withValue(namespace.route) { try await migrator.migrate(on: connection) }
        }
    }

    /// Records that the build read the journal up to `lastPosition` and applied `events` events in all.
    public static func record(_ namespace: ReadModelNamespace, lastPosition: Int64, events: Int64, finished: Bool,
                              database: PostgresClient) async throws {
        try await database.execute(
            """
            UPDATE projection.read_model_builds SET last_position = \(lastPosition), events = \(events),
                   finished_at = CASE WHEN \(finished)::boolean THEN now() END
            WHERE name = \(namespace.name)
            """)
    }

    /// The recorded build named `name`, finished or not; nil when there is none.
    public static func find(_ name: String, database: PostgresClient) async throws -> Build? {
        try await list(database: database).first { $0.name == name }
    }

    /// Every recorded build, by name.
    public static func list(database: PostgresClient) async throws -> [Build] {
        let rows = try await database.query(
            """
            SELECT name, purpose, to_char(cutoff AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), cutoff_by, last_position, events,
                   projection_version, finished_at IS NOT NULL
            FROM projection.read_model_builds ORDER BY name
            """)
        return try rows.map { r in
            Build(name: try r.decode(String.self, at: 0), purpose: try r.decode(String.self, at: 1), cutoff: try r.decode(String?.self, at: 2),
                  cutoffBy: try r.decode(String?.self, at: 3), lastPosition: try r.decode(Int64.self, at: 4), events: try r.decode(Int64.self, at: 5),
                  projectionVersion: try r.decode(Int.self, at: 6), finished: try r.decode(Bool.self, at: 7))
        }
    }

    /// The namespace of the finished build `name`, for reading (the API's `replay` parameter, the CLI's `--schema`).
    /// - Throws: ``ReadModelNamespace/InvalidName`` for a malformed name; ``BuildError`` when no finished build has it.
    public static func readable(_ name: String, database: PostgresClient) async throws -> ReadModelNamespace {
        let namespace = try ReadModelNamespace(name)
        guard try await find(name, database: database)?.finished == true else {
            throw BuildError("no finished read-model replay is named '\(name)' (chancery replay --into \(name) builds one)")
        }
        return namespace
    }

    /// Drops the schemas of `namespace` and forgets the build. Only recorded builds are dropped.
    /// - Throws: ``BuildError`` when `namespace` is not a recorded build.
    public static func drop(_ namespace: ReadModelNamespace, database: PostgresClient) async throws {
        guard try await find(namespace.name, database: database) != nil else {
            throw BuildError("no read models are named '\(namespace.name)'")
        }
        try await database.transaction { connection in
            for schema in namespace.schemas {
                try await connection.execute("DROP SCHEMA IF EXISTS \(unescaped: PostgresSchemaRoute.quote(schema)) CASCADE")
            }
            try await connection.execute("DELETE FROM projection.read_model_builds WHERE name = \(namespace.name)")
        }
    }
}

/// The version of the read models' shape and rules: raise it when a projection changes what it writes (a new column,
/// another rule), so a server started with the new code rebuilds them beside the live ones and swaps them in
/// (``ReadModelSwap``; README "Auditors").
public enum ReadModelVersion {
    /// The version this code builds.
    public static let current = 1
}
