import Foundation
import Logging

/// Applies versioned SQL migrations exactly once and records them in a bookkeeping table,
/// by default `public.schema_migrations(version int primary key, name text, checksum text,
/// applied_at timestamptz)`.
///
/// Safe to run from several processes at once: every step takes a transaction-scoped
/// advisory lock (`pg_advisory_xact_lock`, key derived from the table name), so concurrent
/// starters serialise and each migration is applied by exactly one of them. Each pending
/// migration runs in its own transaction together with its bookkeeping row, so a failing
/// migration leaves no trace and stops the run.
public struct PostgresMigrator: Sendable {
    /// The known migrations, sorted by ascending version.
    public let migrations: [PostgresMigration]
    /// Schema of the bookkeeping table (created if missing).
    public let schema: String
    /// Name of the bookkeeping table.
    public let table: String

    /// Creates a migrator.
    ///
    /// - Parameters:
    ///   - migrations: the migrations, in any order; versions must be unique and in
    ///     `1...Int32.max` (checked by ``migrate(on:)``).
    ///   - schema: schema of the bookkeeping table, default `public`.
    ///   - table: bookkeeping table name, default `schema_migrations`.
    public init(migrations: [PostgresMigration], schema: String = "public", table: String = "schema_migrations") {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.schema = schema
        self.table = table
    }

    /// Applies every migration not yet recorded, in ascending version order.
    ///
    /// A migration whose version is lower than an already applied one is still applied (and
    /// a warning logged). Recorded versions unknown to this migrator (e.g. from a newer
    /// release) are tolerated with a warning.
    ///
    /// - Parameter connection: a connection outside any transaction.
    /// - Returns: the versions applied by this call, ascending (empty when up to date).
    /// - Throws: ``PostgresError`` `.migration` for duplicate/out-of-range versions or when an
    ///   applied migration's checksum differs from its current SQL (nothing is applied then);
    ///   the `.query` error of a failing migration (that migration is rolled back, earlier
    ///   ones in this run stay applied); `.connection`, `.closed`.
    public func migrate(on connection: PostgresConnection) async throws -> [Int] {
        try validate()
        var applied: [Int] = []
        while let version = try await applyNext(on: connection) {
            applied.append(version)
        }
        return applied
    }

    /// Versions recorded in the bookkeeping table, ascending (empty if it does not exist).
    ///
    /// - Throws: ``PostgresError`` `.query`, `.connection`, `.closed`.
    public func appliedVersions(on connection: PostgresConnection) async throws -> [Int] {
        let exists = try await connection.query("SELECT to_regclass(\(qualifiedTable)) IS NOT NULL")
        guard try exists.first?.decode(Bool.self, at: 0) == true else { return [] }
        return try await connection.query("SELECT version FROM \(unescaped: qualifiedTable) ORDER BY version")
            .map { try $0.decode(Int.self, at: 0) }
    }

    /// Loads migrations from the `*.sql` files in `directory` named `<version>_<name>.sql`,
    /// e.g. `0001_create_events.sql` → version 1, name `create_events`. Other files are
    /// ignored; subdirectories are not searched.
    ///
    /// - Parameter directory: a file URL of a directory.
    /// - Returns: the migrations sorted by version.
    /// - Throws: ``PostgresError`` `.migration` if the directory cannot be read, a `.sql` file
    ///   name does not match the pattern, a file is not UTF-8, or two files share a version.
    public static func load(directory: URL) throws -> [PostgresMigration] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw PostgresError(kind: .migration, message: "cannot read migrations directory \(directory.path): \(error)")
        }
        var migrations: [PostgresMigration] = []
        for file in files where file.pathExtension.lowercased() == "sql" {
            let stem = file.deletingPathExtension().lastPathComponent
            let digits = stem.prefix { $0.isASCII && $0.isNumber }
            let rest = stem.dropFirst(digits.count)
            guard !digits.isEmpty, rest.first == "_", rest.count > 1, let version = Int(digits), version > 0 else {
                throw PostgresError(
                    kind: .migration,
                    message: "migration file \(file.lastPathComponent) is not named <version>_<name>.sql"
                )
            }
            let data: Data
            do {
                data = try Data(contentsOf: file)
            } catch {
                throw PostgresError(kind: .migration, message: "cannot read \(file.path): \(error)")
            }
            guard let sql = String(data: data, encoding: .utf8) else {
                throw PostgresError(kind: .migration, message: "migration file \(file.lastPathComponent) is not UTF-8")
            }
            migrations.append(PostgresMigration(version: version, name: String(rest.dropFirst()), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        try validate(migrations)
        return migrations
    }

    // MARK: - Private

    private var qualifiedTable: String { "\(Self.quoteIdentifier(schema)).\(Self.quoteIdentifier(table))" }

    /// Advisory lock key: FNV-1a of the table's qualified name, as a signed 64-bit integer.
    private var lockKey: Int64 {
        Int64(bitPattern: FNV1a64.hash(Array("chancery.migrations:\(schema).\(table)".utf8)))
    }

    private func validate() throws { try Self.validate(migrations) }

    private static func validate(_ migrations: [PostgresMigration]) throws {
        var seen: [Int: String] = [:]
        for migration in migrations {
            guard (1...Int(Int32.max)).contains(migration.version) else {
                throw PostgresError(kind: .migration, message: "migration version \(migration.version) is outside 1...\(Int32.max)")
            }
            if let other = seen[migration.version] {
                throw PostgresError(
                    kind: .migration,
                    message: "duplicate migration version \(migration.version): '\(other)' and '\(migration.name)'"
                )
            }
            seen[migration.version] = migration.name
        }
    }

    /// In one transaction: lock, ensure the table, verify checksums, apply the lowest pending
    /// migration and record it. Returns its version, or `nil` if none is pending.
    private func applyNext(on connection: PostgresConnection) async throws -> Int? {
        let migrator = self
        return try await connection.transaction { connection -> Int? in
            try await connection.execute("SELECT pg_advisory_xact_lock(\(migrator.lockKey)::bigint)")
            try await migrator.ensureTable(on: connection)
            let rows = try await connection.query("SELECT version, name, checksum FROM \(unescaped: migrator.qualifiedTable) ORDER BY version")
            var appliedChecksums: [Int: String] = [:]
            for row in rows {
                let (version, name, checksum) = try row.decode((Int, String, String).self)
                appliedChecksums[version] = checksum
                guard let known = migrator.migrations.first(where: { $0.version == version }) else {
                    connection.logger.warning("applied migration is unknown to this release", metadata: [
                        "migration.version": "\(version)", "migration.name": "\(name)",
                    ])
                    continue
                }
                guard known.checksum == checksum else {
                    throw PostgresError(
                        kind: .migration,
                        message: "migration \(version) (\(name)) was applied with checksum \(checksum) but its SQL now has checksum \(known.checksum); restore the original SQL and add a new migration instead"
                    )
                }
            }
            guard let next = migrator.migrations.first(where: { appliedChecksums[$0.version] == nil }) else {
                return nil
            }
            if let highest = appliedChecksums.keys.max(), highest > next.version {
                connection.logger.warning("applying migration older than the newest applied one", metadata: [
                    "migration.version": "\(next.version)", "migration.newest-applied": "\(highest)",
                ])
            }
            connection.logger.info("applying migration", metadata: [
                "migration.version": "\(next.version)", "migration.name": "\(next.name)",
            ])
            try await connection.executeScript(next.sql)
            try await connection.execute(
                "INSERT INTO \(unescaped: migrator.qualifiedTable) (version, name, checksum, applied_at) VALUES (\(next.version), \(next.name), \(next.checksum), now())")
            return next.version
        }
    }

    private func ensureTable(on connection: PostgresConnection) async throws {
        let schemaExists = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)")
        if schemaExists.isEmpty {
            try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(unescaped: Self.quoteIdentifier(schema))")
        }
        try await connection.execute("""
            CREATE TABLE IF NOT EXISTS \(unescaped: qualifiedTable) (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    /// Double-quotes an SQL identifier (doubling embedded quotes).
    static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
