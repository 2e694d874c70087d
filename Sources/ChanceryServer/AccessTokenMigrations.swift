import ChanceryPostgres
import Foundation

/// The tables the server's token store owns: bearer tokens (`auth.tokens`).
///
/// Versions are numbered across every module; the server applies all modules' migrations in one sequence.
public enum AccessTokenMigrations {
    /// This module's migrations (`Migrations/NNNN_name.sql`, bundled), in version order.
    /// - Throws: ``PostgresError`` `.migration` when the bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundled: Bundle.module.url(forResource: "Migrations", withExtension: nil), module: "AccessTokenMigrations")
    }
}
