import ArgumentParser
import ChanceryDomain
import ChanceryPostgres
import ChanceryImport
import Foundation
import Logging

/// `chancery import`: loads a legacy export (CSV or JSON Lines) as events through the HTTP door, driven by a mapping
/// file (``LegacyImportMapping``).
///
/// Standard output gets the summary: rows read, imported, skipped and rejected, events appended and already
/// present, and the first `--list` rows left out with their reasons; `--rejections FILE` writes all of them.
/// Standard error gets a progress bar (plain lines when it is not a terminal).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a legacy export (CSV or JSON Lines) as events through POST /v1/events, as its mapping file says.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var credentials: TokenOptions

    @Option(help: "The mapping file (JSON): columns to event fields.")
    var mapping: String

    @Argument(help: "The export: CSV with a header row, or JSON Lines (one object per line).")
    var file: String

    @Option(help: "csv or jsonl; by default from the file's extension (.csv; .jsonl or .ndjson).")
    var format: String?

    @Option(help: "Write every skipped and rejected row with its reason to this file (tab-separated: row, outcome, reason).")
    var rejections: String?

    @Option(help: "How many rejected, skipped and refused entries to print.")
    var list: Int = 10

    @Option(help: "Base URL of a running `chancery server`.")
    var url: String = "http://127.0.0.1:8080"

    @Option(name: .customLong("batch-size"), help: "Events per request.")
    var batchSize: Int = 1000

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        guard list >= 0 else { throw ValidationError("--list may not be negative") }
        _ = try exportFormat()
    }

    func exportFormat() throws -> LegacyImportFormat {
        if let format {
            guard let f = LegacyImportFormat(rawValue: format.lowercased()) else { throw ValidationError("--format is csv or jsonl, not '\(format)'") }
            return f
        }
        let ext = URL(fileURLWithPath: file).pathExtension
        guard let f = LegacyImportFormat(pathExtension: ext) else {
            throw ValidationError("cannot tell the format of '\(file)' from its extension; give --format csv or --format jsonl")
        }
        return f
    }

    func run() async throws {
        let importMapping: LegacyImportMapping
        do {
            importMapping = try LegacyImportMapping.load(contentsOf: URL(fileURLWithPath: mapping))
        } catch {
            throw LegacyImportError("the mapping \(mapping) cannot be read: \(error)")
        }
        let text = try String(contentsOfFile: file, encoding: .utf8)
        // Conversion takes seconds: its bar shows only on a terminal, for large exports.
        let converting = ProgressBar(title: "converting rows", total: 0)
        let result = try LegacyImport.events(text: text, format: try exportFormat(), mapping: importMapping) { done, total in
            guard converting.isTerminal, total >= 2_000 else { return }
            converting.total = total
            converting.update(done)
        }
        if converting.started { converting.finish() }
        // In business-time order (items first), so the supervisor's event-time clock never runs ahead of a
        // stream that is still to come; each stream's own order is kept.
        let events = result.events.enumerated().sorted { a, b in
            let ia = a.element.subject.hasPrefix("item/"), ib = b.element.subject.hasPrefix("item/")
            if ia != ib { return ia }
            let ta = (try? RFC3339Timestamp(parsing: a.element.time)) ?? RFC3339Timestamp(epochSeconds: 0)
            let tb = (try? RFC3339Timestamp(parsing: b.element.time)) ?? RFC3339Timestamp(epochSeconds: 0)
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map(\.element)
        let publisher = EventPublisher(baseURL: url, batchSize: batchSize, token: credentials.resolved)
        let sending = ProgressBar(title: "sending events", total: events.count)
        let report = try await publisher.publish(events) { sending.update($0) }
        sending.finish()

        let summary = LegacyImportSummary(file: file, result: result, appended: report.appended,
                                          alreadyPresent: report.alreadyAppended, refused: report.rejected)
        if let rejections {
            try summary.rowReport().write(toFile: rejections, atomically: true, encoding: .utf8)
        }
        for line in summary.lines(listing: list, rejectionsFile: rejections) { print(line) }
        let heads = report.heads
        try await database.withClient(label: "chancery.import", connections: 2) { try await CatchUp.wait(for: heads, database: $0) }
        print("read models up to date")
    }
}
