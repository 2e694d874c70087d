import ArgumentParser
import ChanceryDomain
import ChanceryPostgres
import ChanceryScenario
import Foundation
import Logging

/// `chancery import`: loads a legacy export (CSV) as events through the HTTP door, driven by a mapping file.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a legacy CSV export as events through POST /v1/events, as its mapping file says.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var credentials: TokenOptions

    @Option(help: "The mapping file (JSON): CSV columns to event fields.")
    var mapping: String

    @Argument(help: "The CSV file.")
    var csv: String

    @Option(help: "Base URL of a running `chancery server`.")
    var url: String = "http://127.0.0.1:8080"

    @Option(name: .customLong("batch-size"), help: "Events per request.")
    var batchSize: Int = 1000

    func run() async throws {
        let mappingData = try Data(contentsOf: URL(fileURLWithPath: mapping))
        let importMapping = try JSONDecoder().decode(LegacyImportMapping.self, from: mappingData)
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let result = try LegacyImport.events(csvText: text, mapping: importMapping)
        print("\(csv): \(result.imported) rows to import, \(result.skipped.count) skipped, \(result.rejected.count) rejected; \(result.events.count) events")
        for r in result.rejected.prefix(10) { print("  row \(r.row) rejected: \(r.reason)") }
        for r in result.skipped.prefix(10) { print("  row \(r.row) skipped: \(r.reason)") }
        // In business-time order (items first), so the supervisor's event-time clock never runs ahead of a
        // case that is still to come; each stream's own order is kept.
        let events = result.events.enumerated().sorted { a, b in
            let ia = a.element.subject.hasPrefix("item/"), ib = b.element.subject.hasPrefix("item/")
            if ia != ib { return ia }
            let ta = (try? RFC3339Timestamp(parsing: a.element.time)) ?? RFC3339Timestamp(epochSeconds: 0)
            let tb = (try? RFC3339Timestamp(parsing: b.element.time)) ?? RFC3339Timestamp(epochSeconds: 0)
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map(\.element)
        let publisher = EventPublisher(baseURL: url, batchSize: batchSize, token: credentials.resolved)
        let report = try await publisher.publish(events) { sent in
            if sent % 10_000 < batchSize || sent == events.count { print("  sent \(sent)/\(events.count)") }
        }
        print("appended \(report.appended), already appended before \(report.alreadyAppended), refused by the gateway \(report.rejected.count)")
        for r in report.rejected.prefix(10) { print("  refused \(r.id): \(r.problem)") }
        let heads = report.heads
        try await database.withClient(label: "chancery.import", connections: 2) { try await CatchUp.wait(for: heads, database: $0) }
        print("read models up to date")
    }
}
