import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
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
    /// Partitions per topic created on the embedded broker.
    public var partitions: Int32 = 4
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
    /// The supervisor's card thresholds per item and case type, and the deadline of an urge that names none (`urgeLimit`,
    /// used by the supervisor and the projector alike).
    public var supervisionPolicy = SupervisionPolicy.standard
    /// Reply limits of letters, consultations, complaints and bad-rating rectifications (working days).
    public var interactionLimits = InteractionLimits.defaults
    /// Live mode: how often the supervisor lets the wall clock move time (nil: event time only, as in a replay).
    public var liveSupervisionInterval: Duration?
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
        var broker: EmbeddedKafkaBroker?
        let bootstrap: String
        if let brokers = configuration.kafkaBrokers {
            bootstrap = brokers
        } else {
            let b = try EmbeddedKafkaBroker(brokerCount: 1, logger: logger)
            for topic in topics.allCanonical + [topics.inbound, topics.deadLetter] {
                try b.createTopic(topic, partitions: configuration.partitions)
            }
            broker = b
            bootstrap = b.bootstrapServers
        }
        let database = PostgresClient(url: configuration.databaseURL, maxConnections: 6, logger: logger)
        var producer: KafkaProducer?
        do {
            let applied = try await ReadModelMigrations.migrate(database)
            if !applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(applied)"]) }
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
                let g = Gateway(producer: p, store: store, topics: topics, logger: logger)
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
        if roles.contains(.projector) {
            let fault = configuration.projectorFaultInjector
            let projector = ReadModelProjector(calendars: calendars, interactionLimits: configuration.interactionLimits,
                                               urgeLimit: configuration.supervisionPolicy.urgeLimit)
            services.append(ConsumerService(name: "projector", logger: logger) {
                ExactlyOnceConsumer(group: ReadModelProjector.consumerGroup, topics: topics.allCanonical, kafka: kafka, database: database,
                                    handler: projector, assignment: assignment, logger: logger, faultInjector: fault)
            })
        }
        if roles.contains(.gateway), let gateway {
            let door = InboundDoor(gateway: gateway, topics: topics, kafka: kafka, assignment: assignment == .all ? .all : .group,
                                   resolver: tokens, logger: logger)
            services.append(ConsumerService(name: "inbound door", logger: logger) { try await door.run() })
        }
        if roles.contains(.supervisor), let gateway {
            let supervisor = Supervisor(calendars: calendars, appender: gateway, policy: configuration.supervisionPolicy,
                                        interactionLimits: configuration.interactionLimits, topics: topics, logger: logger)
            services.append(ConsumerService(name: "supervisor", logger: logger) {
                ExactlyOnceConsumer(group: Supervisor.consumerGroup, topics: Supervisor.topics(topics), kafka: kafka,
                                    database: database, handler: supervisor, assignment: assignment, logger: logger)
            })
            if let interval = configuration.liveSupervisionInterval {
                services.append(ConsumerService(name: "live supervision clock", logger: logger) {
                    while !Task.isCancelled {
                        try await database.withConnection { try await supervisor.tick(now: Date(), on: $0) }
                        try await Task.sleep(for: interval)
                    }
                })
            }
        }
        if roles.contains(.api) || roles.contains(.gateway) {
            services.append(buildApplication(
                host: configuration.httpHost, port: configuration.httpPort, database: database, gateway: gateway,
                appender: gateway, registry: registry, resolver: tokens, efficiencyFormula: configuration.efficiencyFormula, logger: logger))
        }
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
