import ChanceryPostgres
import Foundation

/// The tables the gateway owns: the journal of record (`audit.journal`, `audit.journal_topics`), the verifiable log
/// (`audit.tree_*`, `audit.checkpoints`, `audit.checkpoint_keys`) and dead-letter retries (`audit.deadletter_retries`).
///
/// Versions are numbered across every module; the server applies all modules' migrations in one sequence.
public enum GatewayMigrations {
    /// This module's migrations (`Migrations/NNNN_name.sql`, bundled), in version order.
    /// - Throws: ``PostgresError`` `.migration` when the bundled folder is missing or a file is not a migration.
    public static func all() throws -> [PostgresMigration] {
        try PostgresMigrator.load(bundled: Bundle.module.url(forResource: "Migrations", withExtension: nil), module: "GatewayMigrations")
    }
}
