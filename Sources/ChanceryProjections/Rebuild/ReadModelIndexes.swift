import ChanceryPostgres

/// The secondary indexes a rebuild leaves out while it loads its tables and builds afterwards (one sort per index
/// instead of an index update per written row), before the catch-up passes and the swap.
///
/// Deferred: indexes that are neither unique nor primary keys (those serve `ON CONFLICT` and the projections' look-ups
/// by key) and not partial — the partial indexes of `supervision` (`case_clocks_next_due`, `reply_clocks_next_due`, …)
/// serve the supervisor's queries for due streams, which it runs on every chunk.
public enum ReadModelIndexes {
    /// A dropped index: its name and the `CREATE INDEX` statement that makes it again (PostgreSQL's own, `pg_get_indexdef`,
    /// naming the build's schemas).
    public struct Definition: Sendable, Hashable {
        /// The index's schema-qualified name.
        public var name: String
        /// `CREATE INDEX … ON schema.table …`.
        public var statement: String
    }

    /// Drops the deferrable indexes of the build `namespace`'s schemas.
    /// - Returns: their definitions, for ``create(_:database:)``.
    /// - Throws: ``PostgresError``.
    public static func dropDeferrable(in namespace: ReadModelNamespace, database: PostgresClient) async throws -> [Definition] {
        let rows = try await database.query(
            """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(\(namespace.schemas)) AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion AND i.indpred IS NULL
            ORDER BY 1
            """)
        let definitions = try rows.map { Definition(name: try $0.decode(String.self, at: 0), statement: try $0.decode(String.self, at: 1)) }
        guard !definitions.isEmpty else { return [] }
        try await database.execute("DROP INDEX \(unescaped: definitions.map(\.name).joined(separator: ", "))")
        return definitions
    }

    /// Creates the indexes `definitions` names (after the bulk load).
    /// - Throws: ``PostgresError``.
    public static func create(_ definitions: [Definition], database: PostgresClient) async throws {
        for definition in definitions {
            try await database.execute(PostgresQuery(unsafeSQL: definition.statement))  // pg_get_indexdef of our own index
        }
    }
}
