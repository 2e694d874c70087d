import ChanceryDomain
import Foundation

/// What an import did, for a person: rows read, imported, skipped and rejected, and what became of the events.
///
/// ``lines(listing:rejectionsFile:)`` prints the counts and the first rows left out with their reasons;
/// ``rowReport()`` lists every skipped and rejected row (tab-separated: row, `skipped` or `rejected`, reason).
public struct LegacyImportSummary: Sendable {
    /// The export's file name as given.
    public var file: String
    /// The conversion's outcome.
    public var result: LegacyImportResult
    /// Events the gateway appended now (counted per request: a batch that mixes new and known events counts here).
    public var appended: Int
    /// Events the gateway already had (same `source` and `id`): replayed, nothing appended.
    public var alreadyPresent: Int
    /// Events the gateway refused, with its problem details.
    public var refused: [(id: String, problem: String)]

    /// A summary of `result` and of what the gateway answered when its events were sent.
    public init(file: String, result: LegacyImportResult, appended: Int, alreadyPresent: Int, refused: [(id: String, problem: String)]) {
        self.file = file
        self.result = result
        self.appended = appended
        self.alreadyPresent = alreadyPresent
        self.refused = refused
    }

    /// The summary as lines: counts first, then at most `limit` skipped and `limit` rejected rows and refused
    /// events, each followed by how many more there are (and where they all are, when `rejectionsFile` is given).
    public func lines(listing limit: Int, rejectionsFile: String? = nil) -> [String] {
        let items = result.events.filter { $0.subject.hasPrefix("item/") }.count
        var out = [
            "\(file): \(result.rowsRead) rows read, \(result.imported) imported, \(result.skipped.count) skipped, \(result.rejected.count) rejected",
            "events: \(result.events.count) (\(items) for the item catalogue), \(appended) appended, \(alreadyPresent) already present (replayed), \(refused.count) refused by the gateway",
        ]
        let elsewhere = rejectionsFile.map { " (all rows in \($0))" } ?? ""
        func list<T>(_ title: String, _ entries: [T], _ line: (T) -> String) {
            guard !entries.isEmpty else { return }
            out.append("\(title):")
            out += entries.prefix(max(0, limit)).map { "  " + line($0) }
            if entries.count > limit { out.append("  … and \(entries.count - max(0, limit)) more\(elsewhere)") }
        }
        list("rejected", result.rejected) { "row \($0.row): \($0.reason)" }
        list("skipped", result.skipped) { "row \($0.row): \($0.reason)" }
        list("refused by the gateway", refused) { "\($0.id): \($0.problem)" }
        return out
    }

    /// Every skipped and rejected row in row order, one per line: `row<TAB>skipped|rejected<TAB>reason`, with tabs and
    /// line breaks in reasons replaced by spaces; a header line first.
    public func rowReport() -> String {
        let rows = (result.skipped.map { ($0.row, "skipped", $0.reason) } + result.rejected.map { ($0.row, "rejected", $0.reason) })
            .sorted { $0.0 < $1.0 }
        var text = "row\toutcome\treason\n"
        for (row, outcome, reason) in rows {
            let clean = reason.map { $0 == "\t" || $0.isNewline ? " " : String($0) }.joined()
            text += "\(row)\t\(outcome)\t\(clean)\n"
        }
        return text
    }
}
