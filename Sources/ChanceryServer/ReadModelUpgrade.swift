import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import Logging
import ServiceLifecycle

/// A server whose code builds a newer projection version (``ReadModelVersion/current``) than the live read models
/// (`projection.read_model_version`) rebuilds them from the log beside the live ones — which its projector and its API
/// keep serving meanwhile — and swaps them in once caught up (``ReadModelRebuild``). Runs with the projector role.
public enum ReadModelUpgrade {
    /// Rebuilds and swaps when the live read models are older than `version`; does nothing otherwise.
    /// - Returns: the rebuild's outcome, or nil when the read models were up to date.
    public static func runIfOutdated(version: Int = ReadModelVersion.current, consumers: [ReplayConsumer], database: PostgresClient,
                                     logger: Logger) async throws -> ReadModelRebuild.Outcome? {
        let live = try await ReadModelSwap.liveVersion(database: database)
        guard live < version else { return nil }
        logger.notice("the read models are of projection version \(live), this code builds \(version): rebuilding them beside the live ones")
        let outcome = try await ReadModelRebuild.run(name: "upgrade", consumers: consumers, migrations: try DatabaseMigrations.all(),
                                                     database: database, version: version, logger: logger)
        logger.notice("read models of version \(version) swapped in", metadata: [
            "events": "\(outcome.events)", "seconds": "\(Int(outcome.seconds))", "swapMilliseconds": "\(outcome.swap.milliseconds)"])
        return outcome
    }

    /// The service of a node: the check (and rebuild) once at start, then idle until shutdown; a failure is retried
    /// like a consumer's (``ConsumerService``).
    public static func service(configuration: NodeConfiguration, topics: TopicNames, database: PostgresClient, logger: Logger) throws -> ConsumerService {
        let consumers = try ReadModelConsumers.live(policy: configuration.supervisionPolicy, interactionLimits: configuration.interactionLimits,
                                                    topics: topics, logger: logger)
        return ConsumerService(name: "read-model upgrade", logger: logger) {
            _ = try await runIfOutdated(consumers: consumers, database: database, logger: logger)
            try await gracefulShutdown()
        }
    }
}
