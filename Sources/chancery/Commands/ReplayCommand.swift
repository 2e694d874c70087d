import ArgumentParser
import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation

/// `chancery replay --as-of T [--by business|recorded] --into NAME`: rebuilds every read model from the start of the log
/// of record (`audit.journal`) up to `T` into the schemas `NAME__approval`, `NAME__audit` … beside the live ones
/// (``JournalReplay``), so the read API (`?replay=NAME`), `chancery report … --schema NAME` and `chancery summary
/// --schema NAME` show what the read models said at `T`. `--list` lists the replays, `--drop NAME` drops one.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild every read model from the log up to a point in time, into schemas of its own.",
        discussion: """
            The journal is read in position order; a stream's events are applied up to its first event after the cutoff \
            (--by business: the events' own time; --by recorded: when the gateway recorded them). Without --as-of the \
            whole log is replayed. The live read models are never written. Progress on standard error; a summary on \
            standard output (--format json: one JSON document).
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var consumers: ReadModelConsumerOptions

    @Option(name: .customLong("as-of"), help: "The cutoff, RFC 3339 (e.g. 2025-06-30T23:59:59+08:00).")
    var asOf: String?

    @Option(help: "Which time the cutoff reads: business (the events' time) or recorded (when the gateway appended them).")
    var by: String = "business"

    @Option(help: "The replay's name (1–30 lower-case letters, digits, _): its schemas are NAME__approval, NAME__audit, …")
    var into: String?

    @Flag(help: "Drop an earlier replay of the same name first.")
    var replace = false

    @Option(help: "Drop the replay NAME and exit.")
    var drop: String?

    @Flag(help: "List the replays and exit.")
    var list = false

    @Option(help: "Journal records per transaction.")
    var chunk: Int = 2_000

    @Option(help: "text or json.")
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard chunk > 0 else { throw ValidationError("--chunk must be positive") }
        guard ReplayCutoff.Clock(rawValue: by) != nil else { throw ValidationError("--by must be business or recorded, not '\(by)'") }
        if !list && drop == nil && into == nil { throw ValidationError("--into NAME is required (or --list, --drop NAME)") }
        if let into { do { _ = try ReadModelNamespace(into) } catch { throw ValidationError("--into: \(error)") } }
        if let asOf { do { _ = try RFC3339Timestamp(parsing: asOf) } catch { throw ValidationError("--as-of: \(error)") } }
    }

    func run() async throws {
        if list {
            let builds = try await database.withClient(label: "chancery.replay") { try await ReadModelBuilds.list(database: $0) }
            try printList(builds)
            return
        }
        if let drop {
            let namespace: ReadModelNamespace
            do { namespace = try ReadModelNamespace(drop) } catch { throw ValidationError("--drop: \(error)") }
            try await database.withClient(label: "chancery.replay") { try await ReadModelBuilds.drop(namespace, database: $0) }
            print("dropped read models '\(namespace.name)'")
            return
        }
        let namespace = try ReadModelNamespace(into!)
        let cutoff = try asOf.map { ReplayCutoff(instant: try RFC3339Timestamp(parsing: $0), by: ReplayCutoff.Clock(rawValue: by)!) }
        let handlers = try consumers.consumers()
        let start = Date()
        let progress = ReplayProgress(title: "replaying", from: 0)
        let (replace, chunk) = (self.replace, self.chunk)
        let summary = try await database.withClient(label: "chancery.replay", connections: 2) { client in
            do {
                try await ReadModelBuilds.create(namespace, purpose: .replay, cutoff: cutoff, replace: replace, migrations: try DatabaseMigrations.all(),
                                                 database: client)
            } catch let error as ReadModelBuilds.BuildError {
                throw ValidationError(error.description)
            }
            let replay = JournalReplay(database: client, namespace: namespace, consumers: handlers, cutoff: cutoff, chunk: chunk)
            let summary = try await replay.run { progress.update($0) }
            try await ReadModelBuilds.record(namespace, lastPosition: summary.lastPosition, events: Int64(summary.events), finished: true,
                                             database: client)
            return summary
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        if format == "json" {
            struct Answer: Encodable {
                var name: String
                var schemas: [String]
                var asOf: String?
                var by: String?
                var summary: JournalReplay.Summary
                var seconds: Double
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let answer = Answer(name: namespace.name, schemas: namespace.schemas, asOf: cutoff?.instant.description, by: cutoff?.by.rawValue,
                                summary: summary, seconds: (seconds * 1000).rounded() / 1000)
            print(String(decoding: try encoder.encode(answer), as: UTF8.self))
        } else {
            let rate = seconds > 0 ? Int(Double(summary.records) / seconds) : summary.records
            print("replayed \(ProgressBar.grouped(summary.records)) journal records up to position \(summary.lastPosition) into '\(namespace.name)' "
                  + "(schemas \(namespace.schema("…"))) in \(String(format: "%.1f", seconds)) s (\(ProgressBar.grouped(rate)) records/s)")
            print("\(ProgressBar.grouped(summary.events)) events applied"
                  + (cutoff.map { ", \(ProgressBar.grouped(summary.afterCutoff)) after the cutoff \($0.instant) (\($0.by.rawValue) time) left out" } ?? "")
                  + (summary.quarantined > 0 ? ", \(summary.quarantined) quarantined" : ""))
            print("read it with ?replay=\(namespace.name) on the read API, or --schema \(namespace.name) on chancery report and chancery summary")
        }
    }

    private func printList(_ builds: [ReadModelBuilds.Build]) throws {
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(builds), as: UTF8.self))
            return
        }
        if builds.isEmpty { print("no replays") }
        for b in builds {
            print("\(b.name)\t\(b.purpose)\t\(b.cutoff.map { "as of \($0) (\(b.cutoffBy ?? "business"))" } ?? "whole log")\t"
                  + "position \(b.lastPosition)\t\(b.events) events\t\(b.finished ? "finished" : "unfinished")")
        }
    }
}
