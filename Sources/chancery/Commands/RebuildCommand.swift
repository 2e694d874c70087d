import ArgumentParser
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation

/// `chancery rebuild`: rebuilds every read model from the start of the log into new schemas while the live ones keep
/// serving, catches up, and swaps them in atomically (``ReadModelRebuild``, ``ReadModelSwap``). Run it beside a running
/// server: readers wait a few milliseconds at the swap and then read the new tables; the consumers go on where they were.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every read model from the log beside the live ones, then swap them in without downtime.",
        discussion: """
            Give the same --supervision-policy, --interaction-limits and --topic-prefix as the server, or the rebuilt read \
            models follow other rules. Progress on standard error; a summary on standard output (--format json: one JSON \
            document).
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var consumers: ReadModelConsumerOptions

    @Option(help: "Name of the build while it runs (its schemas are NAME__approval, …).")
    var name: String = ReadModelRebuild.defaultName

    @Option(help: "Journal records per transaction.")
    var chunk: Int = ReadModelRebuild.defaultChunk

    @Option(help: "text or json.")
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard chunk > 0 else { throw ValidationError("--chunk must be positive") }
        do { _ = try ReadModelNamespace(name) } catch { throw ValidationError("--name: \(error)") }
        guard name.count <= 26 else { throw ValidationError("--name: at most 26 characters (the replaced read models take NAME_old)") }
    }

    func run() async throws {
        let handlers = try consumers.consumers()
        let progress = ReplayProgress(title: "rebuilding read models", from: 0)
        let (name, chunk) = (self.name, self.chunk)
        let outcome: ReadModelRebuild.Outcome
        do {
            outcome = try await database.withClient(label: "chancery.rebuild", connections: 2) { client in
                try await ReadModelRebuild.run(name: name, consumers: handlers, migrations: try DatabaseMigrations.all(), database: client, chunk: chunk) { progress.update($0) }
            }
        } catch let error as ReadModelBuilds.BuildError {
            progress.finish()
            throw ValidationError(error.description)
        }
        progress.finish()
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(outcome), as: UTF8.self))
        } else {
            let rate = outcome.seconds > 0 ? Int(Double(outcome.events) / outcome.seconds) : outcome.events
            print("rebuilt every read model from the log (\(ProgressBar.grouped(outcome.events)) events, \(outcome.catchUps) catch-up passes, "
                  + "\(String(format: "%.1f", outcome.seconds)) s, \(ProgressBar.grouped(rate)) events/s) and swapped it in at journal position "
                  + "\(outcome.swap.position): the swap held the tables \(outcome.swap.milliseconds) ms and applied "
                  + "\(outcome.swap.caughtUp) records appended meanwhile")
            print("phases: \(outcome.phases)")
        }
    }
}
