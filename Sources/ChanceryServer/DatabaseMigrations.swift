import ChanceryGateway
import ChanceryPortal
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import ChancerySupervision

/// Every module's migrations as one sequence: each module keeps the SQL of the tables it owns beside its code
/// (``ProjectionMigrations``, ``GatewayMigrations``, ``RuntimeMigrations``, ``SupervisionMigrations``,
/// ``PortalMigrations``, ``AccessTokenMigrations``); versions are numbered across all of them.
public enum DatabaseMigrations {
    /// All migrations in version order. A version used by two modules is refused where every list is applied, by
    /// ``PostgresMigrator/migrate(on:)`` (its `.migration` error names both).
    /// - Throws: ``PostgresError`` `.migration` when a module's bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try (ProjectionMigrations.all() + GatewayMigrations.all() + RuntimeMigrations.all() + SupervisionMigrations.all()
            + PortalMigrations.all() + AccessTokenMigrations.all()).sorted { $0.version < $1.version }
    }

    /// Applies pending migrations on `database`.
    /// - Returns: the versions applied now.
    /// - Throws: as ``all()``, and ``PostgresError`` from the migrator (``PostgresMigrator/migrate(on:)``).
    public static func migrate(_ database: PostgresClient) async throws -> [Int] {
        let migrator = PostgresMigrator(migrations: try all())
        return try await database.withConnection { try await migrator.migrate(on: $0) }
    }
}
