import ChanceryPostgres

/// Compares two copies of the read models table by table (`chancery verify --read-models`: the live ones with a
/// shadow rebuilt from the log; the replay test: two replays): row counts, a content checksum per table and, where they
/// differ, the primary keys of the rows that differ.
///
/// A row's content is `md5(ROW(columns…)::text)` over every column but those of ``tables`` that legitimately differ
/// between two builds of the same log; a table's checksum is the md5 of its rows' digests in primary-key order.
public enum ReadModelComparison {
    /// A derived table that is compared, with the columns left out of its content.
    public struct Table: Sendable, Hashable {
        /// Live schema and table name.
        public var schema: String
        public var name: String
        /// Columns that differ between two builds of the same log, and why (README "Auditors").
        public var excluded: [String]

        public init(_ schema: String, _ name: String, excluding excluded: [String] = []) {
            self.schema = schema
            self.name = name
            self.excluded = excluded
        }
    }

    /// Every table built from the log alone, compared. Left out: `projection.consumer_offsets` (Kafka offsets and
    /// wall times: where a consumer is, not what it built), `audit.quarantine` (what a consumer refused depends on what
    /// the broker delivered: duplicates, aborted records), `projection.outbox` (derived events waiting to be appended)
    /// and everything not built from the log (the journal and the verifiable log's tables, tokens, receipts,
    /// dead-letter retries). Excluded columns: `approval.stream_heads.updated_at` (the wall time of the write) and
    /// `audit.events.offset` (the Kafka offset, which a restart of the embedded broker may change; a rebuild gives
    /// the record's place among the journal records of its partition).
    public static let tables: [Table] = [
        Table("approval", "cases"), Table("approval", "daily_counts"), Table("approval", "stream_heads", excluding: ["updated_at"]),
        Table("audit", "events", excluding: ["offset"]),
        Table("catalog", "items"),
        Table("disclosure", "documents"), Table("disclosure", "requests"),
        Table("interaction", "letters"), Table("interaction", "consultations"), Table("interaction", "complaints"),
        Table("supervision", "alerts"), Table("supervision", "case_clocks"), Table("supervision", "reply_clocks"), Table("supervision", "watermarks"),
        Table("projection", "stream_positions"),
    ]

    /// One table's comparison.
    public struct TableResult: Sendable, Codable, Hashable {
        /// `schema.table` as in the live layout.
        public var table: String
        public var leftRows: Int64
        public var rightRows: Int64
        public var leftChecksum: String
        public var rightChecksum: String
        /// Rows whose key is on one side only or whose content differs.
        public var differingRows: Int64
        /// Up to the listing limit: the differing rows' primary keys (`ROW(key…)::text`, e.g. `(case/430424/2025-0001)`)
        /// and how they differ: `changed`, `only-left` (missing from the right), `only-right`.
        public var differences: [Difference]
        public var equal: Bool { differingRows == 0 && leftRows == rightRows && leftChecksum == rightChecksum }
    }

    /// A differing row.
    public struct Difference: Sendable, Codable, Hashable {
        public var key: String
        public var kind: String

        public init(key: String, kind: String) {
            self.key = key
            self.kind = kind
        }
    }

    /// The whole comparison.
    public struct Report: Sendable, Codable, Hashable {
        /// What the left and right sides are (`live`, or a build's name).
        public var left: String
        public var right: String
        public var tables: [TableResult]
        public var equal: Bool { tables.allSatisfy(\.equal) }
        /// The tables that differ.
        public var differing: [TableResult] { tables.filter { !$0.equal } }
    }

    /// Compares `left` with `right` (nil: the live read models), listing up to `listLimit` differing keys per table.
    public static func compare(_ left: ReadModelNamespace?, _ right: ReadModelNamespace?, listLimit: Int = 20,
                               database: PostgresClient) async throws -> Report {
        var results: [TableResult] = []
        for table in tables {
            results.append(try await compare(table, left, right, listLimit: listLimit, database: database))
        }
        return Report(left: left?.name ?? "live", right: right?.name ?? "live", tables: results)
    }

    /// The quoted qualified name of `table` in `namespace` (nil: live).
    static func qualified(_ table: Table, in namespace: ReadModelNamespace?) -> String {
        let schema = namespace?.schema(table.schema) ?? table.schema
        return "\(PostgresSchemaRoute.quote(schema)).\(PostgresSchemaRoute.quote(table.name))"
    }

    private static func compare(_ table: Table, _ left: ReadModelNamespace?, _ right: ReadModelNamespace?, listLimit: Int,
                                database: PostgresClient) async throws -> TableResult {
        let l = qualified(table, in: left), r = qualified(table, in: right)
        let columns = try await database.query(
            "SELECT attname FROM pg_attribute WHERE attrelid = \(l)::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname")
            .map { try $0.decode(String.self, at: 0) }.filter { !table.excluded.contains($0) }
        let keys = try await database.query(
            """
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = \(l)::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)
            """).map { try $0.decode(String.self, at: 0) }
        let content = "md5(ROW(\(columns.map(PostgresSchemaRoute.quote).joined(separator: ", ")))::text)"
        let key = "ROW(\((keys.isEmpty ? columns : keys).map(PostgresSchemaRoute.quote).joined(separator: ", ")))::text"
        let sides = "a AS (SELECT \(key) AS k, \(content) AS h FROM \(l)), b AS (SELECT \(key) AS k, \(content) AS h FROM \(r))"
        let totals = try await database.query(
            """
            WITH \(unescaped: sides)
            SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
                   (SELECT coalesce(md5(string_agg(h, '' ORDER BY k COLLATE "C", h)), '') FROM a),
                   (SELECT coalesce(md5(string_agg(h, '' ORDER BY k COLLATE "C", h)), '') FROM b)
            """)
        let row = totals[0]
        var result = TableResult(
            table: "\(table.schema).\(table.name)", leftRows: try row.decode(Int64.self, at: 0), rightRows: try row.decode(Int64.self, at: 1),
            leftChecksum: try row.decode(String.self, at: 2), rightChecksum: try row.decode(String.self, at: 3), differingRows: 0, differences: [])
        guard result.leftChecksum != result.rightChecksum || result.leftRows != result.rightRows else { return result }
        let diff = try await database.query(
            """
            WITH \(unescaped: sides), d AS (
                SELECT coalesce(a.k, b.k) AS k, CASE WHEN b.k IS NULL THEN 'only-left' WHEN a.k IS NULL THEN 'only-right' ELSE 'changed' END AS kind
                FROM a FULL JOIN b ON a.k = b.k WHERE a.h IS DISTINCT FROM b.h)
            SELECT (SELECT count(*) FROM d), k, kind FROM d ORDER BY k COLLATE "C" LIMIT \(max(1, listLimit))
            """)
        result.differingRows = try diff.first?.decode(Int64.self, at: 0) ?? 0
        result.differences = try diff.prefix(listLimit).map { Difference(key: try $0.decode(String.self, at: 1), kind: try $0.decode(String.self, at: 2)) }
        if result.differingRows == 0 { result.differingRows = max(1, abs(result.leftRows - result.rightRows)) }
        return result
    }
}
