import ChanceryPostgres

/// The upsert of many rows of a table keyed by `subject` in as few statements as PostgreSQL's parameter limit allows:
/// `INSERT INTO table (columns) VALUES (row 1), (row 2), … ON CONFLICT (subject) DO UPDATE SET …`, each value a
/// parameter cast as the column needs (`::date`, `::jsonb`; PostgreSQL coerces the others to their column's type, as in
/// a single-row `VALUES`). One round trip per table and batch instead of one per row.
///
/// The rows of one call must have distinct subjects (PostgreSQL refuses to update a row twice in one statement).
struct MultiRowUpsert: Sendable {
    /// The table, schema-qualified.
    let table: String
    /// Every column written, in the order of each row's values, with the cast of its parameter (`""` for none).
    let columns: [(name: String, cast: String)]
    /// Columns an existing row keeps (the conflict key `subject` among them); every other column is replaced.
    let kept: Set<String>

    /// PostgreSQL's bound on the parameters of one statement.
    static let maximumParameters = 65_535

    /// Rows per statement for `columns` columns.
    static func rowsPerStatement(columns: Int) -> Int { max(1, maximumParameters / max(1, columns)) }

    /// Writes `rows` (one value per column each, in ``columns``' order).
    /// - Precondition: every row has one value per column.
    /// - Throws: ``PostgresError``.
    func execute(_ rows: [[(any PostgresEncodable)?]], on db: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        let width = columns.count
        let updates = columns.filter { !kept.contains($0.name) }.map { "\($0.name) = EXCLUDED.\($0.name)" }.joined(separator: ", ")
        let head = "INSERT INTO \(table) (\(columns.map(\.name).joined(separator: ", "))) VALUES "
        let tail = " ON CONFLICT (subject) DO UPDATE SET \(updates)"
        let perStatement = Self.rowsPerStatement(columns: width)
        var from = 0
        while from < rows.count {
            let to = min(from + perStatement, rows.count)
            var tuples: [String] = []
            tuples.reserveCapacity(to - from)
            var parameters: [(any PostgresEncodable)?] = []
            parameters.reserveCapacity((to - from) * width)
            for (i, row) in rows[from..<to].enumerated() {
                precondition(row.count == width, "\(table): \(row.count) values for \(width) columns")
                tuples.append("(" + columns.enumerated().map { "$\(i * width + $0.offset + 1)\($0.element.cast)" }.joined(separator: ", ") + ")")
                parameters += row
            }
            try await db.execute(PostgresQuery(unsafeSQL: head + tuples.joined(separator: ", ") + tail, binds: parameters))
            from = to
        }
    }
}
