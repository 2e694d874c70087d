import ArgumentParser
import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation

/// `chancery verify --read-models`, after the chain check: rebuilds every derived read model from the journal into a
/// shadow (``ReadModelBuilds``, purpose `shadow`, schemas `verify_shadow__…`), compares it with the live read models
/// table by table (``ReadModelComparison``: row counts, content checksums, the keys of the rows that differ), drops the
/// shadow and reports. Exit status 1 when the chain or a table differs, 2 when the live consumers have not applied the
/// whole journal yet (nothing to compare with).
struct ReadModelVerification {
    /// The shadow's name.
    static let shadowName = "verify_shadow"

    let database: DatabaseOptions
    let consumers: ReadModelConsumerOptions
    let format: String
    let list: Int
    let keepShadow: Bool

    /// The combined JSON document of `verify --read-models --format json`.
    struct Answer: Encodable {
        var chain: ChainReport
        var readModels: ReadModelComparison.Report?
        /// Why the read models were not compared (the consumers are behind), if so.
        var notCompared: [String]?
        var rebuildSeconds: Double?
        var rebuildEventsPerSecond: Int?
        var ok: Bool
    }

    func run(chain: ChainReport, chainSeconds: Double) async throws {
        let handlers = try consumers.consumers()
        let shadow = try ReadModelNamespace(Self.shadowName)
        let (keepShadow, list) = (self.keepShadow, self.list)
        let progress = ReplayProgress(title: "rebuilding read models", from: 0)
        let started = Date()
        let outcome: (report: ReadModelComparison.Report?, behind: [String], events: Int) = try await database.withClient(
            label: "chancery.verify", connections: 2) { client in
            let end = try await JournalReplay.journalEnd(database: client)
            let behind = try await ReadModelLag.behind(handlers, through: end, database: client)
            guard behind.isEmpty else { return (nil, behind, 0) }
            if let earlier = try await ReadModelBuilds.find(shadow.name, database: client) {
                guard earlier.purpose == ReadModelBuilds.Purpose.shadow.rawValue else {
                    throw ValidationError("read models named \(shadow.name) exist and are not a shadow of verify; drop them (chancery replay --drop \(shadow.name))")
                }
                try await ReadModelBuilds.drop(shadow, database: client)
            }
            try await ReadModelBuilds.create(shadow, purpose: .shadow, cutoff: nil, replace: false, migrations: try DatabaseMigrations.all(), database: client)
            let summary = try await JournalReplay(database: client, namespace: shadow, consumers: handlers, cutoff: nil)
                .run(through: end) { progress.update($0) }
            try await ReadModelBuilds.record(shadow, lastPosition: summary.lastPosition, events: Int64(summary.events), finished: true, database: client)
            let report = try await ReadModelComparison.compare(nil, shadow, listLimit: list, database: client)
            if !keepShadow { try await ReadModelBuilds.drop(shadow, database: client) }
            return (report, [], summary.events)
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        let ok = chain.ok && (outcome.report?.equal ?? false)
        let rate = seconds > 0 ? Int(Double(outcome.events) / seconds) : outcome.events
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let answer = Answer(chain: chain, readModels: outcome.report, notCompared: outcome.behind.isEmpty ? nil : outcome.behind,
                                rebuildSeconds: outcome.report == nil ? nil : (seconds * 1000).rounded() / 1000,
                                rebuildEventsPerSecond: outcome.report == nil ? nil : rate, ok: ok)
            print(String(decoding: try encoder.encode(answer), as: UTF8.self))
        } else {
            print(VerifyCommand.text(chain, seconds: chainSeconds, list: list), terminator: "")
            if let report = outcome.report {
                print(Self.text(report, events: outcome.events, seconds: seconds, rate: rate, list: list), terminator: "")
            } else {
                print("read models not compared: the live consumers have not applied the whole journal yet:")
                for line in outcome.behind.prefix(list) { print("  \(line)") }
            }
        }
        if outcome.report == nil { throw ExitCode(2) }
        if !ok { throw ExitCode(1) }
    }

    static func text(_ report: ReadModelComparison.Report, events: Int, seconds: Double, rate: Int, list: Int) -> String {
        var out = "read models rebuilt from the journal (\(ProgressBar.grouped(events)) events in \(String(format: "%.1f", seconds)) s, "
            + "\(ProgressBar.grouped(rate)) events/s) and compared with the live ones, \(report.tables.count) tables:\n"
        for t in report.tables {
            out += "  \(t.equal ? "equal   " : "DIFFERS ") \(t.table): \(ProgressBar.grouped(Int(t.leftRows))) live rows, "
                + "\(ProgressBar.grouped(Int(t.rightRows))) rebuilt" + (t.equal ? "" : ", \(t.differingRows) rows differ") + "\n"
            for d in t.differences.prefix(list) { out += "           \(d.kind) \(d.key)\n" }
        }
        out += report.equal ? "the live read models equal a rebuild from the log\n"
            : "\(report.differing.count) tables differ from a rebuild from the log: \(report.differing.map(\.table).joined(separator: ", "))\n"
        return out
    }
}
