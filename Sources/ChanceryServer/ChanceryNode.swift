import ChanceryDashboard
import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryReports
import ChanceryRuntime
import ChancerySupervision
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The roles one `chancery server` process can play (DESIGN.md, "Processes").
public enum Role: String, CaseIterable, Sendable {
    case gateway, api, projector, supervisor
}

/// Settings of a Chancery process.
public struct NodeConfiguration: Sendable {
    /// libpq connection URL, e.g. `postgresql://postgres@127.0.0.1:54329/chancery`.
    public var databaseURL: String
    /// Kafka `bootstrap.servers`; nil starts the embedded broker (librdkafka's mock cluster, memory only).
    public var kafkaBrokers: String?
    /// Topic name prefix for multi-tenant clusters.
    public var topicPrefix: String = ""
    /// Partitions per topic created on the embedded broker the first time (later starts keep the counts the
    /// journal was written with). The embedded broker keeps the newest 5 MiB of each partition, so enough
    /// partitions keep the whole history readable from Kafka (README, "The log is the record").
    public var partitions: Int32 = 32
    /// Whether the gateway writes the journal (`audit.journal`) before it answers: `nil` means yes with the
    /// embedded broker (whose log is memory only, so the journal is the record) and no with a real cluster.
    public var journal: Bool?

    /// Whether the gateway writes the journal: ``journal``, or by default with the embedded broker only.
    public var writesJournal: Bool { journal ?? (kafkaBrokers == nil) }
    public var httpHost: String = "127.0.0.1"
    public var httpPort: Int = 8080
    public var roles: Set<Role> = Set(Role.allCases)
    /// Consumer-group subscription, or every partition assigned directly (single instance, no join delay).
    public var assignment: ExactlyOnceConsumer.Assignment = .group
    /// The gateway shard; its producer's `transactional.id` is `chancery-gateway-<shard>`.
    public var gatewayShard: Int = 0
    /// A JSON file of configured tokens (in addition to those in `auth.tokens`).
    public var tokensFile: String?
    /// The efficiency index formula and grade thresholds of `/v1/metrics/ranking`.
    public var efficiencyFormula = EfficiencyFormula()
    /// The annual report supplements (`--report-supplements`), served by the report routes.
    public var reportSupplements = AnnualReportSupplements()
    /// The dashboard's targets, disclosure thresholds and Chart.js path (`/dashboard`, README "Dashboard").
    public var dashboard = DashboardConfiguration()
    /// The supervisor's card thresholds per item and case type, and the deadline of an urge that names none (`urgeLimit`,
    /// used by the supervisor and the projector alike).
    public var supervisionPolicy = SupervisionPolicy.standard
    /// Reply limits of letters, consultations, complaints and bad-rating rectifications (working days).
    public var interactionLimits = InteractionLimits.defaults
    /// Live mode: how often the supervisor lets the wall clock move time (nil: event time only, as in a replay).
    public var liveSupervisionInterval: Duration?
    /// `/health` answers 503 while a consumer is more than this many seconds of log time behind.
    public var maxLagSeconds: Double = 300
    /// How long a graceful stop waits for the consumers to apply what the journal holds.
    public var drainTimeout: Duration = .seconds(30)
    /// While Kafka has not confirmed the gateway's transaction in flight for this long, new appends are refused (503).
    public var publishStallBound: Duration = .seconds(5)
    /// How many stream heads and idempotency records the gateway keeps in memory once the projector has stored them
    /// (`--gateway-cached-streams`, `--gateway-cached-events`; README, "Performance", P6).
    public var gatewayCache = GatewayCacheCapacity.standard
    /// The verifiable log: the Merkle tree over the journal and its signed checkpoints (README, "The verifiable log");
    /// nil: off. Runs with the gateway role and needs the journal.
    public var checkpoints: CheckpointConfiguration?
    /// Serve `POST /v1/admin/faults` (admin token) to inject broker faults into the embedded broker (`make chaos`).
    public var faultInjection = false
    /// Fault injection for tests (projector only).
    public var projectorFaultInjector: (@Sendable (ExactlyOnceConsumer.Stage, [ConsumedEvent]) throws -> Void)?

    public init(databaseURL: String) {
        self.databaseURL = databaseURL
    }
}

/// A running Chancery process: broker connection (or embedded broker), PostgreSQL pool with migrations
/// applied, a restored gateway, and the services of its roles.
public final class ChanceryNode: Sendable {
    public let configuration: NodeConfiguration
    /// The Kafka bootstrap servers in use (the embedded broker's address when it runs).
    public let bootstrapServers: String
    public let database: PostgresClient
    public let gateway: Gateway?
    public let topics: TopicNames
    public let registry: PrometheusCollectorRegistry
    /// Resolves bearer tokens for both doors and the read API.
    public let tokens: PostgresTokenStore
    private let broker: EmbeddedKafkaBroker?
    private let producer: KafkaProducer?
    /// The embedded broker, when this node runs one (fault injection: ``EmbeddedKafkaBroker/pushRequestErrors(apiKey:errors:)``,
    /// ``EmbeddedKafkaBroker/setBrokerDown(_:)``).
    public var embeddedBroker: EmbeddedKafkaBroker? { broker }
    /// Whether the gateway writes the journal.
    public var journaled: Bool { configuration.writesJournal }
    private let logger: Logger

    /// Starts the shared resources: the embedded broker (when no brokers are named) with the canonical,
    /// inbound and dead-letter topics; PostgreSQL migrations; the gateway's transactional producer and
    /// restore (stream heads from PostgreSQL, then the log tail up to the high watermark).
    /// - Throws: ``KafkaError``, ``PostgresError`` or a configuration error; nothing is left running then.
    public static func start(_ configuration: NodeConfiguration, registry: PrometheusCollectorRegistry, logger: Logger) async throws -> ChanceryNode {
        let topics = TopicNames(prefix: configuration.topicPrefix)
        if configuration.roles.contains(.supervisor) && !configuration.roles.contains(.gateway) {
            throw NodeError("the supervisor appends alerts through the gateway: run it with --roles including gateway")
        }
        let embedded = configuration.kafkaBrokers == nil
        let journaled = configuration.writesJournal
        if embedded && !journaled {
            logger.warning("the embedded broker keeps its log in memory and the journal is off: acknowledged events are lost at a restart")
        }
        let database = PostgresClient(url: configuration.databaseURL, maxConnections: 6, logger: logger)
        var broker: EmbeddedKafkaBroker?
        var producer: KafkaProducer?
        do {
            let applied = try await DatabaseMigrations.migrate(database)
            if !applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(applied)"]) }
            let journal: PostgresEventJournal? = journaled ? PostgresEventJournal(database: database) : nil
            let written = topics.allCanonical + [topics.deadLetter]
            var partitionCounts: [String: Int32] = [:]
            let bootstrap: String
            if let brokers = configuration.kafkaBrokers {
                bootstrap = brokers
                if configuration.roles.contains(.gateway) {
                    let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: brokers), logger: logger)
                    do {
                        let existing = try await admin.topics()
                        for topic in written {
                            if let count = existing[topic] {
                                partitionCounts[topic] = Int32(count)
                            } else if journaled {
                                throw NodeError("topic \(topic) does not exist on \(brokers): the journal needs every topic the gateway writes (create it, or run with --journal off)")
                            }
                        }
                    } catch {
                        admin.shutdown()
                        throw error
                    }
                    admin.shutdown()
                }
            } else {
                let b = try EmbeddedKafkaBroker(brokerCount: 1, logger: logger)
                broker = b
                let recorded = try await journal?.partitionCounts() ?? [:]
                for topic in topics.allCanonical + [topics.inbound, topics.deadLetter] {
                    let count = recorded[topic] ?? configuration.partitions
                    if let r = recorded[topic], r != configuration.partitions {
                        logger.notice("\(topic) keeps the \(r) partitions its journal was written with (--partitions \(configuration.partitions) applies to new topics only)")
                    }
                    try b.createTopic(topic, partitions: count)
                    partitionCounts[topic] = count
                }
                bootstrap = b.bootstrapServers
                if let journal {
                    try await journal.recordPartitionCounts(partitionCounts)
                    let report = try await JournalSeeder.seed(from: journal, kafka: KafkaConfiguration(bootstrapServers: bootstrap), logger: logger)
                    let retargeted = try await ConsumerOffsets.retarget(database: database, topics: written)
                    let seconds = Double(report.duration.components.seconds) + Double(report.duration.components.attoseconds) / 1e18
                    logger.info("embedded broker seeded from the journal", metadata: [
                        "records": "\(report.records)", "MiB": "\(report.bytes / 1_048_576)", "seconds": "\(String(format: "%.1f", seconds))",
                        "offsetsRetargeted": "\(retargeted)",
                    ])
                    if report.largestPartitionBytes > EmbeddedKafkaBroker.partitionRetentionBytes {
                        logger.warning("a partition holds more than the embedded broker keeps (5 MiB): Kafka shows it from a later offset; the journal (audit.journal) keeps the whole history. Start a new database with more --partitions, or use a real Kafka cluster.")
                    }
                }
            }
            var gateway: Gateway?
            if configuration.roles.contains(.gateway) {
                let p = try KafkaProducer(
                    configuration: KafkaProducerConfiguration(
                        kafka: KafkaConfiguration(bootstrapServers: bootstrap, clientID: "chancery-gateway"),
                        transactionalID: "chancery-gateway-\(configuration.gatewayShard)"),
                    logger: logger)
                producer = p
                try await p.initTransactions()
                let store = PostgresGatewayStore(database: database)
                let g = Gateway(producer: p, store: store, topics: topics, logger: logger, journal: journal, partitionCounts: partitionCounts,
                                slowPublishBound: configuration.publishStallBound, cache: configuration.gatewayCache)
                var from: [KafkaTopicPartition: Int64] = [:]
                for (topic, partitions) in try await store.projectorOffsets() {
                    for (partition, offset) in partitions { from[KafkaTopicPartition(topic: topic, partition: partition)] = offset }
                }
                let tail = try await LogTail.read(
                    topics: topics.allCanonical, kafka: KafkaConfiguration(bootstrapServers: bootstrap), from: from, logger: logger)
                try await g.restore(tail: tail)
                gateway = g
            }
            let tokens = try PostgresTokenStore(database: database, tokensFile: configuration.tokensFile)
            return ChanceryNode(configuration: configuration, bootstrapServers: bootstrap, database: database, gateway: gateway,
                                topics: topics, registry: registry, tokens: tokens, broker: broker, producer: producer, logger: logger)
        } catch {
            await producer?.shutdown()
            await database.shutdown()
            broker?.shutdown()
            throw error
        }
    }

    private init(configuration: NodeConfiguration, bootstrapServers: String, database: PostgresClient, gateway: Gateway?, topics: TopicNames,
                 registry: PrometheusCollectorRegistry, tokens: PostgresTokenStore, broker: EmbeddedKafkaBroker?, producer: KafkaProducer?, logger: Logger) {
        self.tokens = tokens
        self.configuration = configuration
        self.bootstrapServers = bootstrapServers
        self.database = database
        self.gateway = gateway
        self.topics = topics
        self.registry = registry
        self.broker = broker
        self.producer = producer
        self.logger = logger
    }

    /// The long-running services of this node's roles.
    /// - Throws: ``RegionCalendars/bundled()`` errors.
    public func services() throws -> [any Service] {
        var services: [any Service] = []
        let calendars = try RegionCalendars.bundled()
        let kafka = KafkaConfiguration(bootstrapServers: bootstrapServers)
        let roles = configuration.roles
        let database = self.database
        let topics = self.topics
        let assignment = configuration.assignment
        let logger = self.logger
        var statuses: [ConsumerStatus] = []
        var drained: [(group: String, topics: [String])] = []
        if roles.contains(.projector) {
            let fault = configuration.projectorFaultInjector
            let projector = ReadModelProjector(calendars: calendars, interactionLimits: configuration.interactionLimits,
                                               urgeLimit: configuration.supervisionPolicy.urgeLimit)
            let status = ConsumerStatus(role: "projector", group: ReadModelProjector.consumerGroup)
            statuses.append(status)
            drained.append((ReadModelProjector.consumerGroup, topics.allCanonical))
            // The projector derives only RecordQuarantined alerts; it publishes them when this process has a gateway.
            let publisher = self.gateway.map { GatewayPublisher(appender: $0, logger: logger) }
            services.append(ConsumerService(name: "projector", logger: logger, status: status) {
                ExactlyOnceConsumer(group: ReadModelProjector.consumerGroup, topics: topics.allCanonical, kafka: kafka, database: database,
                                    handler: projector, assignment: assignment, logger: logger, faultInjector: fault, status: status,
                                    publisher: publisher)
            })
        }
        if roles.contains(.gateway), let gateway {
            let door = InboundDoor(gateway: gateway, topics: topics, kafka: kafka, assignment: assignment == .all ? .all : .group,
                                   resolver: tokens, logger: logger)
            let status = ConsumerStatus(role: "inbound door", group: InboundDoor.consumerGroup)
            statuses.append(status)
            services.append(ConsumerService(name: "inbound door", logger: logger, status: status) {
                status.starting()
                status.idle()
                try await door.run()
                status.stopped()
            })
        }
        if roles.contains(.supervisor), let gateway {
            let supervisor = Supervisor(calendars: calendars, policy: configuration.supervisionPolicy,
                                        interactionLimits: configuration.interactionLimits, topics: topics, logger: logger)
            let publisher = GatewayPublisher(appender: gateway, logger: logger)
            let status = ConsumerStatus(role: "supervisor", group: Supervisor.consumerGroup)
            statuses.append(status)
            drained.append((Supervisor.consumerGroup, Supervisor.topics(topics)))
            services.append(ConsumerService(name: "supervisor", logger: logger, status: status) {
                ExactlyOnceConsumer(group: Supervisor.consumerGroup, topics: Supervisor.topics(topics), kafka: kafka,
                                    database: database, handler: supervisor, assignment: assignment, logger: logger, status: status,
                                    publisher: publisher)
            })
            if let interval = configuration.liveSupervisionInterval {
                services.append(ConsumerService(name: "live supervision clock", logger: logger) {
                    while !Task.isCancelled {
                        try await LiveSupervisionClock.tick(supervisor, now: Date(), database: database, publisher: publisher)
                        try await Task.sleep(for: interval)
                    }
                })
            }
        }
        if roles.contains(.projector) {
            // Read models of an older projection version are rebuilt beside the live ones and swapped in (README "Auditors").
            services.append(try ReadModelUpgrade.service(configuration: configuration, topics: topics, database: database, logger: logger))
        }
        if roles.contains(.gateway), let checkpoints = configuration.checkpoints {
            if journaled {
                let shard = configuration.gatewayShard
                let appender: (any EventAppender)? = gateway
                services.append(ConsumerService(name: "checkpoints", logger: logger) {
                    try await CheckpointService.start(database: database, configuration: checkpoints, shard: shard, appender: appender, logger: logger).run()
                })
            } else {
                logger.warning("checkpoints need the journal (the verifiable log is built from audit.journal): run with --journal on")
            }
        }
        if roles.contains(.api) || roles.contains(.gateway) {
            services.append(buildApplication(
                host: configuration.httpHost, port: configuration.httpPort, database: database, gateway: gateway,
                appender: gateway.map(DoorAppender.init), registry: registry, resolver: tokens, efficiencyFormula: configuration.efficiencyFormula,
                health: NodeHealth(gateway: gateway, consumers: statuses, maxLagSeconds: configuration.maxLagSeconds),
                faults: configuration.faultInjection ? broker.map(EmbeddedBrokerFaults.init) : nil,
                reportSupplements: configuration.reportSupplements,
                mounts: [try DashboardController(database: database, resolver: tokens, formula: configuration.efficiencyFormula,
                                                 configuration: configuration.dashboard)],
                deadLetterRetrier: DeadLetterRetrier(database: database, kafka: kafka, topics: topics, logger: logger),
                logger: logger))
        }
        // Last in the group, so the first to hear a graceful shutdown (a group stops its services in reverse order).
        services.append(DrainService(gateway: gateway, database: database, consumers: drained, journaled: journaled,
                                     timeout: configuration.drainTimeout, logger: logger))
        return services
    }

    /// Releases the producer, the PostgreSQL pool and the embedded broker. Call once, after the services stopped.
    public func shutdown() async {
        await producer?.shutdown()
        await database.shutdown()
        broker?.shutdown()
    }
}

/// A configuration mistake that stops a node from starting.
public struct NodeError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The embedded broker as the target of `POST /v1/admin/faults`.
struct EmbeddedBrokerFaults: BrokerFaultInjector {
    let broker: EmbeddedKafkaBroker

    func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        broker.pushRequestErrors(apiKey: apiKey, errors: errors)
    }

    func takeDown(seconds: Int) {
        broker.setBrokerDown(-1)
        let broker = self.broker
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            broker.setBrokerUp(-1)
        }
    }
}
