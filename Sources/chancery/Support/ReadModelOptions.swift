import ArgumentParser
import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation
import Logging

/// `--schema NAME` of the commands that read the read models (`report`, `summary`): read a finished replay
/// (`chancery replay --into NAME`) instead of the live read models.
struct ReadModelSchemaOption: ParsableArguments {
    @Option(name: .customLong("schema"), help: "Read the read models of the replay NAME (chancery replay --into NAME) instead of the live ones.")
    var schema: String?

    /// Runs `body` with every query of its task sent to the replay's schemas (``PostgresSchemaRoute``), or unchanged
    /// without `--schema`.
    /// - Throws: `ValidationError` naming the option when the name is malformed or no finished replay has it.
    func reading<T: Sendable>(_ database: PostgresClient, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let schema else { return try await body() }
        let namespace: ReadModelNamespace
        do {
            namespace = try await ReadModelBuilds.readable(schema, database: database)
        } catch {
            throw ValidationError("--schema \(schema): \(error)")
        }
        return try await PostgresSchemaRoute.$current.withValue(namespace.route) { try await body() }
    }
}

/// The configuration of the consumers that build the read models, as given to `chancery server`: a rebuild must run
/// them as the server does (the same policy, limits and topic names), or it builds other read models.
struct ReadModelConsumerOptions: ParsableArguments {
    @Option(name: .customLong("topic-prefix"), help: "Prefix of every topic name (as the server's).")
    var topicPrefix: String = ""

    @Option(name: .customLong("supervision-policy"), help: "The supervision policy JSON file the server runs with, if any.")
    var supervisionPolicy: String?

    @Option(name: .customLong("interaction-limits"), help: "The interaction limits JSON file the server runs with, if any.")
    var interactionLimits: String?

    /// The projector and the supervisor so configured.
    func consumers() throws -> [ReplayConsumer] {
        var logger = Logger(label: "chancery.rebuild")
        logger.logLevel = .warning
        return try ReadModelConsumers.live(
            policy: try loadOptionFile("--supervision-policy", supervisionPolicy, SupervisionPolicy.load) ?? .standard,
            interactionLimits: try loadOptionFile("--interaction-limits", interactionLimits, InteractionLimits.load) ?? .defaults,
            topics: TopicNames(prefix: topicPrefix), logger: logger)
    }
}

/// Draws a replay's progress (journal positions read, events/s, ETA) on standard error.
final class ReplayProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let bar: ProgressBar
    private let start = Date()
    private let from: Int64

    init(title: String, from: Int64) {
        bar = ProgressBar(title: title, total: 0)
        self.from = from
    }

    func update(_ p: JournalReplay.Progress) {
        lock.withLock {
            bar.total = Int(p.lastPosition - from)
            let seconds = Date().timeIntervalSince(start)
            let rate = seconds > 0 ? Double(p.records) / seconds : 0
            let eta = rate > 0 ? Double(bar.total - p.records) / rate : 0
            bar.detail = "\(ProgressBar.grouped(Int(rate))) records/s  ETA \(Int(eta.rounded())) s"
            bar.update(p.records)
        }
    }

    func finish() { lock.withLock { bar.finish() } }
}
