import ChanceryPostgres
import Foundation

/// The read models' tables: the founding schema of every module (0001, which created the journal's, the consumers' and
/// the supervisor's first tables too, before each module kept its own) and the read models' later changes.
///
/// Versions are numbered across every module; the server applies all modules' migrations in one sequence.
public enum ProjectionMigrations {
    /// This module's migrations (`Migrations/NNNN_name.sql`, bundled), in version order.
    /// - Throws: ``PostgresError`` `.migration` when the bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundled: Bundle.module.url(forResource: "Migrations", withExtension: nil), module: "ChanceryProjections")
    }
}
