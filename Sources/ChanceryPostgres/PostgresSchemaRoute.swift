import Foundation

/// Sends the SQL of the current task to other schemas: every `schema.` qualifier (and `SCHEMA schema` in DDL) of a mapped
/// schema is replaced by its target, quoted, before the statement is sent. While a route is bound
/// (`PostgresSchemaRoute.$current.withValue(route) { … }`), every statement, script and `COPY` that
/// ``PostgresConnection`` runs in that task and its child tasks is rewritten, so code that qualifies its tables
/// (`approval.cases`) reads and writes another copy of them (`"june30__approval".cases`) unchanged — the way a
/// `search_path` would if the code did not qualify its names.
///
/// What is rewritten: an unquoted mapped schema name followed by `.` and not preceded by a letter, digit, `_`, `$`, `.`
/// or `"` (so `gov.approval.case.accepted` in a string literal and quoted identifiers stay as they are), and the name
/// after `SCHEMA` / `SCHEMA IF [NOT] EXISTS`. Parameters are never touched. Identifiers already quoted
/// (``PostgresMigrator``'s bookkeeping table) are not mapped.
public final class PostgresSchemaRoute: Sendable {
    /// The route of the current task, if any (task-local: bound with `$current.withValue`).
    @TaskLocal public static var current: PostgresSchemaRoute?

    /// Source schema → target schema.
    public let mapping: [String: String]
    private let qualified: NSRegularExpression
    private let ddl: NSRegularExpression
    private let cache = RouteCache()

    /// - Parameter mapping: unquoted lower-case schema names (`approval`) → target schema names (any text; quoted
    ///   when written). An empty mapping rewrites nothing.
    public init(mapping: [String: String]) {
        self.mapping = mapping
        let names = mapping.keys.sorted().map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        let alternatives = names.isEmpty ? "(?!)" : names
        // Force-try: the patterns are built from escaped names and are always valid.
        self.qualified = try! NSRegularExpression(pattern: #"(?<![A-Za-z0-9_$."])(\#(alternatives))(?=\.)"#)
        self.ddl = try! NSRegularExpression(
            pattern: #"(?i)(\bSCHEMA\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?)(\#(alternatives))\b(?!\.)"#)
    }

    /// `sql` with every mapped schema replaced by its quoted target (cached per statement text).
    public func rewrite(_ sql: String) -> String {
        if let hit = cache.get(sql) { return hit }
        var result = sql
        // DDL first (`CREATE SCHEMA IF NOT EXISTS approval`), then qualifiers, each replaced from the end backwards.
        for (regex, group) in [(ddl, 2), (qualified, 1)] {
            let current = result as NSString
            let matches = regex.matches(in: result, range: NSRange(location: 0, length: current.length))
            guard !matches.isEmpty else { continue }
            let mutable = NSMutableString(string: result)
            for match in matches.reversed() {
                let range = match.range(at: group)
                let name = current.substring(with: range)
                guard let target = mapping[name] else { continue }
                mutable.replaceCharacters(in: range, with: Self.quote(target))
            }
            result = String(mutable)
        }
        cache.set(sql, result)
        return result
    }

    /// `name` as a quoted PostgreSQL identifier (`"` doubled).
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Rewritten statements by their text (a statement's text is usually a constant, so the cache stays small; it is
/// cleared when it grows past 4,096 entries).
private final class RouteCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: String] = [:]

    func get(_ key: String) -> String? { lock.withLock { entries[key] } }

    func set(_ key: String, _ value: String) {
        lock.withLock {
            if entries.count >= 4_096 { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }
}
