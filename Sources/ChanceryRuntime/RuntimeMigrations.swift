import ChanceryPostgres
import Foundation

/// The tables the consumer runtime owns beyond the founding schema: the outbox of derived events (`projection.outbox`).
/// (Stream positions, consumer offsets and quarantine were created by the founding migration 0001 of the projections.)
///
/// Versions are numbered across every module; the server applies all modules' migrations in one sequence.
public enum RuntimeMigrations {
    /// This module's migrations (`Migrations/NNNN_name.sql`, bundled), in version order.
    /// - Throws: ``PostgresError`` `.migration` when the bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundled: Bundle.module.url(forResource: "Migrations", withExtension: nil), module: "RuntimeMigrations")
    }
}
