import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres
import Foundation

/// The figures of `make bench`'s table (issue "One consumer runtime …", P1–P6): each measured beside its baseline in
/// the same iteration, written as one JSON object per line to the file named by `CHANCERY_BENCH_FIGURES` (set by
/// `infra/bench.sh`, which prints the table from it with `scripts/bench-figures.py`).
///
/// JSON shape: `{"id":"P2","figure":"…","value":12345.0,"unit":"events/s","baseline":"…","baselineValue":35000.0,
/// "ratio":0.35,"goal":"≥ 0.5","met":false}`; `baseline`, `baselineValue` and `ratio` absent when a figure has none.
struct Figure: Codable, Sendable {
    var id: String
    var figure: String
    var value: Double
    var unit: String
    var baseline: String?
    var baselineValue: Double?
    var ratio: Double?
    var goal: String
    var met: Bool

    static let fileKey = "CHANCERY_BENCH_FIGURES"

    /// Appends the figure to the figures file, if one is set.
    func record() {
        guard let path = ProcessInfo.processInfo.environment[Self.fileKey], let line = try? JSONEncoder().encode(self) else { return }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(line + Data("\n".utf8))
        handle.closeFile()
    }
}

/// The COPY baseline of P2: the rows the projector wrote, copied with PostgreSQL's COPY into the same tables, with their
/// indexes, of a new database.
enum CopyBaseline {
    /// The read-model tables with rows in `db` (the projector's; the runtime's offsets, outbox and quarantine excluded),
    /// each with its rows as text.
    static func rows(of db: PostgresClient) async throws -> [(table: String, columns: [String], rows: [[String?]])] {
        let tables = try await db.query(
            """
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema IN ('audit', 'approval', 'catalog', 'disclosure', 'interaction', 'supervision')
            ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
        var out: [(String, [String], [[String?]])] = []
        for table in tables {
            let rows = try await db.query("SELECT * FROM \(unescaped: table)")
            guard let first = rows.first else { continue }
            out.append((table, first.columns, rows.map(\.values)))
        }
        return out
    }

    /// Copies `tables` into `db` in one transaction; returns the elapsed time.
    static func copy(_ tables: [(table: String, columns: [String], rows: [[String?]])], into db: PostgresClient) async throws -> Duration {
        let start = ContinuousClock.now
        try await db.transaction { connection in
            for t in tables {
                let columns = t.columns.map { "\"\($0)\"" }.joined(separator: ", ")
                _ = try await connection.copyFrom("COPY \(t.table) (\(columns)) FROM STDIN", rows: t.rows)
            }
        }
        return ContinuousClock.now - start
    }
}
