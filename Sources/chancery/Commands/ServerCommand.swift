import ArgumentParser
import ChanceryDashboard
import ChanceryDomain
import ChanceryGateway
import ChanceryReports
import ChanceryServer
import Foundation
import ChanceryProjections
import ChanceryRuntime
import UnixSignals
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `chancery server`: runs the long-lived roles in one process until SIGINT or SIGTERM.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the gateway, projector, supervisor and HTTP API (all by default) until interrupted.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("kafka-brokers"), help: "Kafka bootstrap servers. Without it, an embedded broker (memory only) is started.")
    var kafkaBrokers: String?

    @Option(name: .customLong("topic-prefix"), help: "Prefix of every topic name.")
    var topicPrefix: String = ""

    @Option(name: .customLong("http-host"), help: "Address the HTTP API binds.")
    var httpHost: String = "127.0.0.1"

    @Option(name: .customLong("http-port"), help: "Port of the HTTP API.")
    var httpPort: Int = 8080

    @Option(name: .customLong("roles"), help: "Comma-separated roles: all, gateway, api, projector, supervisor.")
    var roles: String = "all"

    @Option(name: .customLong("partitions"), help: "Partitions per topic on the embedded broker, for topics its journal has not recorded yet (it keeps the newest 5 MiB of each partition).")
    var partitions: Int32 = 32

    @Option(name: .customLong("journal"), help: "Write every committed group to the journal (audit.journal) before answering: on, off or auto (auto: on with the embedded broker, off with --kafka-brokers).")
    var journal: String = "auto"

    @Option(name: .customLong("bootstrap-file"), help: "Write the Kafka bootstrap address to this file once started.")
    var bootstrapFile: String?

    @Option(name: .customLong("tokens-file"), help: "A JSON file of tokens (id, secretSha256, role, sources, regions) besides those in auth.tokens.")
    var tokensFile: String?

    @Option(name: .customLong("efficiency-formula"), help: "A JSON file with the efficiency index weights and grade thresholds (see README, \"Supervision\").")
    var efficiencyFormula: String?

    @Option(name: .customLong("report-supplements"), help: "A directory of annual report supplements, <region>-<year>.json (schemas/annual-report-supplement.schema.json; see README, \"Reports\"), read at start.")
    var reportSupplements: String?

    @Option(name: .customLong("dashboard-config"), help: "A JSON file with the dashboard's targets and thresholds: {\"replyInTimeTarget\": 1.0, \"satisfactionTarget\": 0.8, \"emptyCategoryAtMost\": 0, \"weakCategoryBelow\": 5, \"alertsRefreshSeconds\": 60, \"chartScriptPath\": \"/usr/share/javascript/chart.js/chart.min.js\", \"alwaysSecureCookie\": false} (every member optional; README, \"Dashboard\").")
    var dashboardConfig: String?

    @Option(name: .customLong("supervision-policy"), help: "A JSON file with the yellow-card thresholds and step limits per item and case type, and the urge limit (urgeLimit, working days) for urges without a deadline, used by the supervisor and the projector (see README, \"Supervision\").")
    var supervisionPolicy: String?

    @Option(name: .customLong("interaction-limits"), help: "A JSON file with the reply limits in working days: {\"letter\": 15, \"consultation\": 3, \"complaint\": 5, \"rectification\": 10}.")
    var interactionLimits: String?

    @Option(name: .customLong("live-supervision"), help: "Live mode: every this many seconds the wall clock moves the supervisor's time, so cases that sit go yellow then red (default: event time only).")
    var liveSupervision: Int?

    @Option(name: .customLong("health-max-lag"), help: "/health answers 503 while a consumer is more than this many seconds of log time behind.")
    var healthMaxLag: Double = 300

    @Option(name: .customLong("drain-timeout"), help: "On SIGINT or SIGTERM, seconds to wait for the consumers to apply what is committed (a second signal stops at once; nothing committed is lost either way).")
    var drainTimeout: Int = 30

    @Option(name: .customLong("checkpoint-key"), help: "The Ed25519 key that signs the verifiable log's checkpoints (created with mode 0600 on first start; see README, \"The verifiable log\").")
    var checkpointKey: String = ".data/checkpoint.key"

    @Option(name: .customLong("checkpoint-origin"), help: "The key name and checkpoint origin of a newly created checkpoint key.")
    var checkpointOrigin: String = "chancery.local/log/0"

    @Option(name: .customLong("checkpoint-every"), help: "Sign a checkpoint once the log has grown by this many events…")
    var checkpointEvery: Int64 = 1000

    @Option(name: .customLong("checkpoint-interval"), help: "…or this many seconds after the last one, if it has grown at all.")
    var checkpointInterval: Int = 60

    @Option(name: .customLong("checkpoint-region"), help: "Administrative division code of the stream checkpoint/<region>/log-<shard> to which each signed checkpoint is also appended as a CheckpointSigned event (the government that runs this log); 'none': not published as events.")
    var checkpointRegion: String = "430424"

    @Option(name: .customLong("gateway-cached-streams"), help: "Stream heads the gateway keeps in memory (about 350 bytes each); beyond them it forgets the least recently used that the projector has stored and reads them back from PostgreSQL when needed.")
    var gatewayCachedStreams: Int = GatewayCacheCapacity.standard.streams

    @Option(name: .customLong("gateway-cached-events"), help: "Answers of appended events the gateway keeps in memory for idempotent retries (about 350 bytes each); beyond them it forgets the least recently used that the projector has stored and reads them back from PostgreSQL when needed.")
    var gatewayCachedEvents: Int = GatewayCacheCapacity.standard.events

    @Flag(name: .customLong("no-checkpoints"), help: "Do not build the verifiable log nor sign checkpoints (they need the journal).")
    var noCheckpoints = false

    @Flag(name: .customLong("fault-injection"), help: "Serve POST /v1/admin/faults (admin token) to inject broker faults into the embedded broker, for fault-injection runs (make chaos). Never in production.")
    var faultInjection = false

    @Flag(name: .customLong("assign-all"), help: "Consumers take every partition directly instead of joining their consumer group.")
    var assignAll = false

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: "chancery")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        var config = NodeConfiguration(databaseURL: database.databaseURL)
        config.kafkaBrokers = kafkaBrokers
        config.topicPrefix = topicPrefix
        config.httpHost = httpHost
        config.httpPort = httpPort
        config.partitions = partitions
        switch journal {
        case "auto": config.journal = nil
        case "on": config.journal = true
        case "off": config.journal = false
        default: throw ValidationError("--journal must be on, off or auto, not '\(journal)'")
        }
        config.assignment = assignAll ? .all : .group
        if !noCheckpoints && (config.journal ?? (kafkaBrokers == nil)) {
            guard checkpointEvery >= 1, checkpointInterval >= 1 else { throw ValidationError("--checkpoint-every and --checkpoint-interval must be at least 1") }
            guard SignedNote.isValidKeyName(checkpointOrigin) else { throw ValidationError("--checkpoint-origin must not be empty nor contain spaces or '+'") }
            var checkpoints = CheckpointConfiguration(keyFile: checkpointKey, origin: checkpointOrigin)
            checkpoints.everyEvents = checkpointEvery
            checkpoints.interval = .seconds(checkpointInterval)
            if checkpointRegion != "none" {
                guard RegionCalendars.defaultCalendarID(for: checkpointRegion) != nil else {
                    throw ValidationError("--checkpoint-region must be a known six-digit (China) or seven-digit (Ontario) division code, or none, not '\(checkpointRegion)'")
                }
                checkpoints.eventRegion = checkpointRegion
            }
            config.checkpoints = checkpoints
        }
        config.maxLagSeconds = healthMaxLag
        if faultInjection {
            guard kafkaBrokers == nil else { throw ValidationError("--fault-injection works on the embedded broker only (no --kafka-brokers)") }
            config.faultInjection = true
        }
        config.drainTimeout = .seconds(drainTimeout)
        guard gatewayCachedStreams >= 1, gatewayCachedEvents >= 1 else {
            throw ValidationError("--gateway-cached-streams and --gateway-cached-events must be at least 1 (got \(gatewayCachedStreams) and \(gatewayCachedEvents))")
        }
        config.gatewayCache = GatewayCacheCapacity(streams: gatewayCachedStreams, events: gatewayCachedEvents)
        config.tokensFile = tokensFile
        if let policy = try loadOptionFile("--supervision-policy", supervisionPolicy, SupervisionPolicy.load) { config.supervisionPolicy = policy }
        if let limits = try loadOptionFile("--interaction-limits", interactionLimits, InteractionLimits.load) { config.interactionLimits = limits }
        if let liveSupervision {
            guard liveSupervision >= 1 else { throw ValidationError("--live-supervision must be at least 1 second") }
            config.liveSupervisionInterval = .seconds(liveSupervision)
        }
        if let dashboard = try loadOptionFile("--dashboard-config", dashboardConfig, DashboardConfiguration.load) { config.dashboard = dashboard }
        if let formula = try loadOptionFile("--efficiency-formula", efficiencyFormula, EfficiencyFormula.load) { config.efficiencyFormula = formula }
        if let supplements = try loadOptionFile("--report-supplements", reportSupplements, { try AnnualReportSupplements.load(directory: $0) }) {
            config.reportSupplements = supplements
        }
        if roles != "all" {
            var set: Set<Role> = []
            for name in roles.split(separator: ",") {
                guard let role = Role(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown role '\(name)'; use all, gateway, api, projector, supervisor")
                }
                set.insert(role)
            }
            config.roles = set
        }
        let startedAt = ContinuousClock.now
        let node = try await ChanceryNode.start(config, registry: registry, logger: logger)
        let startup = ContinuousClock.now - startedAt
        if let bootstrapFile {
            try node.bootstrapServers.write(toFile: bootstrapFile, atomically: true, encoding: .utf8)
        }
        logger.info("chancery started", metadata: [
            "kafka": "\(node.bootstrapServers)", "http": "http://\(httpHost):\(httpPort)", "roles": "\(config.roles.map(\.rawValue).sorted())",
            "startupSeconds": "\(String(format: "%.1f", Double(startup.components.seconds) + Double(startup.components.attoseconds) / 1e18))",
        ])
        do {
            let group = ServiceGroup(configuration: .init(services: try node.services().map { .init(service: $0) }, logger: logger))
            // The first SIGINT/SIGTERM stops gracefully; a second one exits at once (what was acknowledged is in the
            // journal, so nothing is lost either way).
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            let watcher = Task {
                var count = 0
                for await signal in signals {
                    count += 1
                    if count == 1 {
                        logger.notice("\(signal): stopping gracefully (the doors refuse writes, consumers apply what is committed); send it again to stop at once")
                        await group.triggerGracefulShutdown()
                    } else {
                        logger.notice("\(signal) again: stopping at once; what was acknowledged is in the journal and is applied after the next start")
                        Foundation.exit(130)
                    }
                }
            }
            defer { watcher.cancel() }
            try await group.run()
        } catch {
            await node.shutdown()
            throw error
        }
        await node.shutdown()
        logger.info("chancery stopped")
    }
}
