import ArgumentParser
import ChanceryDomain
import ChanceryImport
import ChanceryPostgres
import Foundation
import Logging

/// `chancery import`: loads a legacy export (CSV or JSON Lines) as events through the HTTP door, driven by a mapping
/// file (``LegacyImportMapping``).
///
/// Standard output gets the summary: rows read, imported, skipped and rejected (rows whose events the gateway
/// refused included, with its code), events appended and already present, and the first `--list` rows left out
/// with their reasons; `--rejections FILE` writes all of them. Standard error gets a progress bar (plain lines when
/// it is not a terminal). After sending, it waits until the read models reflect the events, asking the server
/// (`POST /v1/catch-up`), or the database when `--database-url` is given. `--dry-run` converts and checks every row
/// the same way and sends nothing: no server, no database.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a legacy export (CSV or JSON Lines) as events through POST /v1/events, as its mapping file says.",
        discussion: """
            Needs a running `chancery server` (--url) and a token that may publish the mapping's source and region \
            (--token or $CHANCERY_TOKEN); it then waits for the read models through the server's API. With --dry-run \
            it needs neither: every row is converted, validated and folded as in a real run, the summary is printed \
            and, with --output, the events are written as CloudEvents JSON Lines; nothing is sent.
            """)

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

    @Flag(name: .customLong("dry-run"), help: "Convert, validate and fold every row and print the summary; send nothing (no server or database needed).")
    var dryRun = false

    @Option(help: "Write the events, in sending order, as CloudEvents JSON Lines (one application/cloudevents+json event per line) to this file.")
    var output: String?

    @Option(name: .customLong("database-url"),
            help: "Optional: wait for the read models on this PostgreSQL (libpq URL) instead of asking the server's API.")
    var databaseURL: String?

    @Option(name: .customLong("catch-up-timeout"), help: "Seconds to wait at most for the read models after sending.")
    var catchUpTimeout: Double = 600

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        guard list >= 0 else { throw ValidationError("--list may not be negative") }
        guard catchUpTimeout > 0 else { throw ValidationError("--catch-up-timeout must be positive") }
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
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw LegacyImportError("the export \(file) cannot be read as UTF-8 text: \(error.localizedDescription)")
        }
        // Conversion takes seconds: its bar shows only on a terminal, for large exports.
        let converting = ProgressBar(title: "converting rows", total: 0)
        let result = try LegacyImport.events(text: text, format: try exportFormat(), mapping: importMapping) { done, total in
            guard converting.isTerminal, total >= 2_000 else { return }
            converting.total = total
            converting.update(done)
        }
        if converting.started { converting.finish() }
        let events = result.sendingOrder
        if let output {
            do {
                try Data(LegacyImport.jsonLines(events)).write(to: URL(fileURLWithPath: output))
            } catch {
                throw LegacyImportError("cannot write the events to \(output): \(error.localizedDescription)")
            }
        }

        let summary: LegacyImportSummary
        var heads: [String: Int64] = [:]
        if dryRun {
            summary = LegacyImportSummary(dryRunOf: result, file: file)
        } else {
            let publisher = EventPublisher(baseURL: url, batchSize: batchSize, token: credentials.resolved)
            let sending = ProgressBar(title: "sending events", total: events.count)
            let report = try await publisher.publish(events) { sending.update($0) }
            sending.finish()
            summary = LegacyImportSummary(file: file, result: result, appended: report.appended,
                                          alreadyPresent: report.alreadyAppended, refused: report.rejected)
            heads = report.heads
        }
        if let rejections {
            try summary.rowReport().write(toFile: rejections, atomically: true, encoding: .utf8)
        }
        for line in summary.lines(listing: list, rejectionsFile: rejections) { print(line) }
        if let output { print("events written to \(output) (CloudEvents JSON Lines)") }
        guard !dryRun else { return }

        if let databaseURL {
            var logger = Logger(label: "chancery.import")
            logger.logLevel = .warning
            let client = PostgresClient(url: databaseURL, maxConnections: 2, logger: logger)
            do {
                try await CatchUp.wait(for: heads, database: client, timeout: catchUpTimeout)
                await client.shutdown()
            } catch {
                await client.shutdown()
                throw error
            }
        } else {
            try await CatchUp.wait(for: heads, baseURL: url, token: credentials.resolved, timeout: catchUpTimeout)
        }
        print("read models up to date")
    }
}
