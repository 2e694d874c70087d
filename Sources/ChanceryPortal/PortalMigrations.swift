import ChanceryPostgres
import Foundation

/// The tables the public portal owns: receipt codes (`portal.receipts`).
///
/// Versions are numbered across every module; the server applies all modules' migrations in one sequence.
public enum PortalMigrations {
    /// This module's migrations (`Migrations/NNNN_name.sql`, bundled), in version order.
    /// - Throws: ``PostgresError`` `.migration` when the bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundled: Bundle.module.url(forResource: "Migrations", withExtension: nil), module: "PortalMigrations")
    }
}
