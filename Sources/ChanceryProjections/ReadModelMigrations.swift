import ChanceryPostgres
import Foundation

/// The versioned SQL migrations of Chancery's read models (`Migrations/NNNN_name.sql`, bundled).
public enum ReadModelMigrations {
    /// All migrations in version order.
    /// - Throws: when the bundled folder is missing or a file name is not `NNNN_name.sql`.
    public static func all() throws -> [PostgresMigration] {
        guard let url = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the bundled Migrations folder is missing"])
        }
        return try PostgresMigrator.load(directory: url)
    }

    /// Applies pending migrations on `database`.
    /// - Returns: the versions applied now.
    public static func migrate(_ database: PostgresClient) async throws -> [Int] {
        let migrator = PostgresMigrator(migrations: try all())
        return try await database.withConnection { try await migrator.migrate(on: $0) }
    }
}
