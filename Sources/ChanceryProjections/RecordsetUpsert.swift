/// The upsert of every changed row of a table in one statement: the rows travel as one JSON array (`$1`, read by
/// `jsonb_to_recordset`), and a row that exists (same `subject`) is updated column by column by how each is written.
/// Used by the projections that fold a batch in memory (``CaseProjection``, ``ReplyProjection``).
struct RecordsetUpsert: Sendable {
    /// A column and its SQL type; `jsonb` columns travel as JSON text inside the document.
    typealias Column = (name: String, type: String)

    /// The statement: `INSERT … SELECT … FROM jsonb_to_recordset($1::jsonb) … ON CONFLICT (subject) DO UPDATE …`.
    let sql: String

    /// - Parameters:
    ///   - inserted: written when the row is new, then left as they are (`subject` first: the conflict target).
    ///   - replaced: set from this batch on every write.
    ///   - kept: set when this batch gives a value, else the stored one stays (`coalesce(EXCLUDED.c, table.c)`).
    ///   - firstKept: of `kept`, those whose first value stays once set (`coalesce(table.c, EXCLUDED.c)`).
    init(table: String, inserted: [Column], replaced: [Column], kept: [Column], firstKept: Set<String> = []) {
        let all = inserted + replaced + kept
        let recordType = all.map { "\($0.name) \($0.type == "jsonb" ? "text" : $0.type)" }.joined(separator: ", ")
        let select = all.map { $0.type == "jsonb" ? "\($0.name)::jsonb" : $0.name }.joined(separator: ", ")
        let updates = replaced.map { "\($0.name) = EXCLUDED.\($0.name)" }
            + kept.map { c in
                firstKept.contains(c.name) ? "\(c.name) = coalesce(\(table).\(c.name), EXCLUDED.\(c.name))"
                    : "\(c.name) = coalesce(EXCLUDED.\(c.name), \(table).\(c.name))"
            }
        sql = """
            INSERT INTO \(table) (\(all.map(\.name).joined(separator: ", ")))
            SELECT \(select) FROM jsonb_to_recordset($1::jsonb) AS r(\(recordType))
            ON CONFLICT (subject) DO UPDATE SET \(updates.joined(separator: ", "))
            """
    }
}
