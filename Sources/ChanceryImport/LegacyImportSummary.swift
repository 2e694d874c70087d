import ChanceryDomain
import Foundation

/// An event the gateway refused: its id and stream, and the gateway's RFC 9457 problem (status, code, detail).
public struct LegacyImportRefusal: Sendable, Hashable {
    /// The event id, `<subject>#<n>`.
    public var eventID: String
    /// The event's stream (`subject`).
    public var subject: String
    /// The HTTP status, e.g. 409.
    public var status: Int
    /// The problem code: the last path segment of the problem's `type` (`/problems/duplicate-id-conflict` →
    /// `duplicate-id-conflict`), or `http-<status>` when the answer was not problem+json.
    public var code: String
    /// The problem's `detail` (or its `title`, or the answer's text when it was not problem+json).
    public var detail: String

    /// A refusal with these parts.
    public init(eventID: String, subject: String, status: Int, code: String, detail: String) {
        self.eventID = eventID
        self.subject = subject
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// The refusal of event `eventID` of stream `subject`, from the gateway's answer: `status` and its body, an
    /// `application/problem+json` document (`{"type": "/problems/<code>", "title": …, "detail": …}`) or any text.
    public init(eventID: String, subject: String, status: Int, body: [UInt8]) {
        var code = "http-\(status)"
        var detail = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = try? JSONDecoder().decode(ProblemDocument.self, from: Data(body)) {
            if let type = problem.type, let last = type.split(separator: "/").last { code = String(last) }
            if let text = problem.detail ?? problem.title { detail = text }
        }
        self.init(eventID: eventID, subject: subject, status: status, code: code, detail: detail)
    }

    /// `<status> <code>: <detail>`, e.g. `409 duplicate-id-conflict: …`.
    public var problem: String { "\(status) \(code): \(detail)" }

    private struct ProblemDocument: Decodable {
        var type: String?
        var title: String?
        var detail: String?
    }
}

/// What an import did, for a person: rows read, imported, skipped and rejected, and what became of the events.
///
/// A row whose events the gateway refused (e.g. 409 `duplicate-id-conflict`: the row changed since it was first
/// imported) counts as rejected, not imported, with the gateway's status and code as its reason; refused events of
/// no row (the item catalogue) are listed apart. ``lines(listing:rejectionsFile:)`` prints the counts and the first
/// rows left out with their reasons; ``rowReport()`` lists every skipped and rejected row (tab-separated: row,
/// `skipped` or `rejected`, reason).
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
    public var refused: [LegacyImportRefusal]
    /// Whether nothing was sent (`chancery import --dry-run`): the events line then says so instead of giving the
    /// gateway's answers; the rows line is the same as a real run's before the gateway answers.
    public var dryRun: Bool

    /// A summary of `result` and of what the gateway answered when its events were sent.
    public init(file: String, result: LegacyImportResult, appended: Int, alreadyPresent: Int, refused: [LegacyImportRefusal]) {
        self.file = file
        self.result = result
        self.appended = appended
        self.alreadyPresent = alreadyPresent
        self.refused = refused
        self.dryRun = false
    }

    /// The summary of a dry run: `result` converted and checked, nothing sent.
    public init(dryRunOf result: LegacyImportResult, file: String) {
        self.init(file: file, result: result, appended: 0, alreadyPresent: 0, refused: [])
        dryRun = true
    }

    /// Rows whose events the gateway refused, in row order, each with its first refusal: `refused by the gateway:
    /// <status> <code>: <detail> (<event id>)`.
    public var refusedRows: [(row: Int, reason: String)] {
        var first: [Int: LegacyImportRefusal] = [:]
        for refusal in refused {
            guard let row = result.rowOfStream[refusal.subject], first[row] == nil else { continue }
            first[row] = refusal
        }
        return first.sorted { $0.key < $1.key }.map { ($0.key, "refused by the gateway: \($0.value.problem) (\($0.value.eventID))") }
    }

    /// Refused events that belong to no row (the item catalogue's).
    public var refusedWithoutRow: [LegacyImportRefusal] {
        refused.filter { result.rowOfStream[$0.subject] == nil }
    }

    /// Rows rejected: by the conversion, or by the gateway (``refusedRows``), in row order.
    public var rejected: [(row: Int, reason: String)] {
        (result.rejected + refusedRows).sorted { $0.row < $1.row }
    }

    /// Rows imported: converted, and none of their events refused by the gateway.
    public var imported: Int { result.imported - refusedRows.count }

    /// The summary as lines: counts first, then at most `limit` rejected and `limit` skipped rows and refused
    /// events of no row, each followed by how many more there are (and where they all are, when `rejectionsFile`
    /// is given).
    public func lines(listing limit: Int, rejectionsFile: String? = nil) -> [String] {
        let items = result.events.filter { $0.subject.hasPrefix("item/") }.count
        let rejected = self.rejected
        let events = dryRun
            ? "events: \(result.events.count) (\(items) for the item catalogue), dry run: nothing sent"
            : "events: \(result.events.count) (\(items) for the item catalogue), \(appended) appended, \(alreadyPresent) already present (replayed), \(refused.count) refused by the gateway"
        var out = [
            "\(file): \(result.rowsRead) rows read, \(imported) imported, \(result.skipped.count) skipped, \(rejected.count) rejected",
            events,
        ]
        let elsewhere = rejectionsFile.map { " (all rows in \($0))" } ?? ""
        func list<T>(_ title: String, _ entries: [T], _ line: (T) -> String) {
            guard !entries.isEmpty else { return }
            out.append("\(title):")
            out += entries.prefix(max(0, limit)).map { "  " + line($0) }
            if entries.count > limit { out.append("  … and \(entries.count - max(0, limit)) more\(elsewhere)") }
        }
        list("rejected", rejected) { "row \($0.row): \($0.reason)" }
        list("skipped", result.skipped) { "row \($0.row): \($0.reason)" }
        list("refused by the gateway", refusedWithoutRow) { "\($0.eventID): \($0.problem)" }
        return out
    }

    /// Every skipped and rejected row (rejections by the gateway included) in row order, one per line:
    /// `row<TAB>skipped|rejected<TAB>reason`, with tabs and line breaks in reasons replaced by spaces; a header line
    /// first.
    public func rowReport() -> String {
        let rows = (result.skipped.map { ($0.row, "skipped", $0.reason) } + rejected.map { ($0.row, "rejected", $0.reason) })
            .sorted { $0.0 < $1.0 }
        var text = "row\toutcome\treason\n"
        for (row, outcome, reason) in rows {
            let clean = reason.map { $0 == "\t" || $0.isNewline ? " " : String($0) }.joined()
            text += "\(row)\t\(outcome)\t\(clean)\n"
        }
        return text
    }
}
