import ChanceryPostgres
import Foundation

/// The tables the supervisor owns beyond the founding schema: regional watermarks (`supervision.watermarks`) and the
/// reply clocks (`supervision.reply_clocks`, with the case clocks' due index).
///
/// Versions are numbered across every module; the server applies all modules' migrations in one sequence.
public enum SupervisionMigrations {
    /// This module's migrations (`Migrations/NNNN_name.sql`, bundled), in version order.
    /// - Throws: ``PostgresError`` `.migration` when the bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundled: Bundle.module.url(forResource: "Migrations", withExtension: nil), module: "SupervisionMigrations")
    }
}
