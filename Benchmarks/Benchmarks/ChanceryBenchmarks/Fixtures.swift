import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import ChanceryScenario
import Foundation
import Logging

/// What the benchmarks share: the reference scenario, an embedded broker with the canonical topics, a gateway
/// over it, throwaway databases, and a consumer run that ends when a given number of events was applied.
enum Fixtures {
    /// The environment variable naming the PostgreSQL server of the PostgreSQL benchmarks (set by `make bench`):
    /// a URL whose database is `chancery`, e.g. `postgresql://postgres@127.0.0.1:54349/chancery`.
    static let databaseURLKey = "CHANCERY_BENCH_DATABASE_URL"

    /// Events per append request: what `ScenarioFiguresTests` sends per HTTP request.
    static let requestSize = 2000

    /// A logger that prints warnings and errors only.
    static let logger: Logger = {
        var logger = Logger(label: "chancery.bench")
        logger.logLevel = .warning
        return logger
    }()

    /// The demo county's supervision policy (`examples/config/supervision-policy.json`, the one `make run` uses): step
    /// limits make the supervisor track step times too.
    static var demoPolicy: SupervisionPolicy {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../examples/config/supervision-policy.json").standardizedFileURL
        do { return try SupervisionPolicy.load(contentsOf: file) } catch { fatalError("the demo supervision policy: \(error)") }
    }

    /// The reference scenario (SCENARIO.md, 83,842 events with the default seed), sorted by time, catalogue first.
    static func scenario() -> [CloudEvent] {
        ReferenceScenario().events()
    }

    /// An embedded broker with the canonical, inbound and dead-letter topics, `partitions` each.
    static func broker(partitions: Int32) throws -> EmbeddedKafkaBroker {
        let broker = try EmbeddedKafkaBroker(brokerCount: 1, logger: logger)
        let topics = TopicNames()
        for topic in topics.allCanonical + [topics.inbound, topics.deadLetter] {
            try broker.createTopic(topic, partitions: partitions)
        }
        return broker
    }

    /// A gateway on `bootstrapServers` whose store knows nothing (a fresh deployment), restored and ready:
    /// validation of lifecycle and catalog rules, sequencing, hash chain and the Kafka transaction are all
    /// in; the PostgreSQL look-ups of a gateway's store are not (see README, "Performance").
    static func gateway(bootstrapServers: String, transactionalID: String) async throws -> (Gateway, KafkaProducer) {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: bootstrapServers, clientID: "chancery-bench"),
                transactionalID: transactionalID),
            logger: logger)
        do {
            try await producer.initTransactions()
            let gateway = Gateway(producer: producer, store: EmptyGatewayStore(), topics: TopicNames(), logger: logger)
            try await gateway.restore(tail: [])
            return (gateway, producer)
        } catch {
            await producer.shutdown()
            throw error
        }
    }

    /// P1's baseline: librdkafka (an idempotent producer, acks=all, no transaction) producing the payloads of `events`
    /// to their canonical topics of a new broker with `partitions` per topic, keyed by subject, in chunks of
    /// ``requestSize`` whose delivery is awaited; returns the elapsed time.
    static func produceRaw(_ events: [CloudEvent], partitions: Int32) async throws -> Duration {
        let broker = try broker(partitions: partitions)
        defer { broker.shutdown() }
        let topics = TopicNames()
        let records = events.map { event in
            KafkaProducerRecord(topic: topics.canonical(EventCatalog.eventType(event.type)?.topic ?? CanonicalTopic.approval),
                                key: Array(event.subject.utf8), value: event.jsonBytes())
        }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "chancery-bench-raw")),
            logger: logger)
        let start = ContinuousClock.now
        do {
            var index = 0
            while index < records.count {
                let end = min(index + requestSize, records.count)
                _ = try await producer.send(Array(records[index..<end]))
                index = end
            }
        } catch {
            await producer.shutdown()
            throw error
        }
        let elapsed = ContinuousClock.now - start
        await producer.shutdown()
        return elapsed
    }

    /// Appends `events` through `gateway` in requests of ``requestSize`` events, one request at a time.
    /// - Parameter eachRequest: called with each request's duration.
    static func append(_ events: [SubmittedEvent], to gateway: Gateway, eachRequest: (Duration) -> Void = { _ in }) async throws {
        var start = 0
        while start < events.count {
            let end = min(start + requestSize, events.count)
            let began = ContinuousClock.now
            _ = try await gateway.append(Array(events[start..<end]))
            eachRequest(ContinuousClock.now - began)
            start = end
        }
    }

    /// Record counts per canonical topic of `bootstrapServers`, checking that the broker still holds every record
    /// (the embedded broker drops the oldest records beyond 5 MiB per partition).
    static func recordCounts(bootstrapServers: String) async throws -> [String: Int] {
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: bootstrapServers), logger: logger)
        defer { admin.shutdown() }
        var counts: [String: Int] = [:]
        for topic in TopicNames().allCanonical {
            let partitions = try await admin.partitionCount(topic: topic)
            for p in 0..<Int32(partitions) {
                let (low, high) = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: p))
                guard low == 0 else {
                    throw BenchmarkSetupError("\(topic)[\(p)] starts at offset \(low): the embedded broker dropped records; use more partitions")
                }
                counts[topic, default: 0] += Int(high)
            }
        }
        return counts
    }

    /// The URL of the benchmark PostgreSQL server, or nil when ``databaseURLKey`` is not set.
    static var databaseURL: String? { ProcessInfo.processInfo.environment[databaseURLKey] }

    /// A new empty database on the benchmark server with Chancery's migrations applied.
    static func freshDatabase() async throws -> BenchDatabase {
        guard let base = databaseURL else { throw BenchmarkSetupError("\(databaseURLKey) is not set: run `make bench`") }
        let name = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await PostgresConnection.connect(url: base, logger: logger)
        _ = try await admin.execute("CREATE DATABASE \(unescaped: name)")
        await admin.close()
        guard let slash = base.lastIndex(of: "/") else { throw BenchmarkSetupError("\(databaseURLKey) has no database name: \(base)") }
        let client = PostgresClient(url: String(base[..<slash]) + "/" + name, maxConnections: 4, logger: logger)
        _ = try await ReadModelMigrations.migrate(client)
        return BenchDatabase(base: base, name: name, client: client)
    }

    /// Runs `consumer` until `handler` has seen `expected` events committed; returns then and stops the consumer.
    /// - Throws: the consumer's error, or a timeout after `seconds`.
    static func consume(_ consumer: ExactlyOnceConsumer, progress: AsyncStream<Int>, expected: Int, seconds: Int = 900) async throws {
        let task = Task { try await consumer.run() }
        defer { task.cancel() }
        let done = Task {
            var total = 0
            for await n in progress {
                total += n
                if total >= expected { return true }
            }
            return false
        }
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(seconds))
            done.cancel()
        }
        let finished = await done.value
        watchdog.cancel()
        task.cancel()
        if !finished {
            if case .failure(let error) = await task.result { throw error }
            throw BenchmarkSetupError("the consumer did not apply \(expected) events within \(seconds) s")
        }
        _ = await task.result
    }
}

/// A throwaway database of a benchmark iteration.
struct BenchDatabase: Sendable {
    let base: String
    let name: String
    let client: PostgresClient

    /// Closes the pool and drops the database.
    func drop() async {
        await client.shutdown()
        guard let admin = try? await PostgresConnection.connect(url: base, logger: Fixtures.logger) else { return }
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
        await admin.close()
    }
}

/// The store of a fresh deployment: no stream heads, no earlier appends, no projector offsets.
struct EmptyGatewayStore: GatewayStore {
    func loadHead(_ stream: String) async throws -> StreamHead? { nil }
    func lookup(source: String, id: String) async throws -> AppendedEvent? { nil }
    func projectorOffsets() async throws -> [String: [Int32: Int64]] { [:] }
}

/// A ``ReadModelHandler`` that forwards to `inner` and reports how many events each committed batch applied.
struct CountingHandler: ReadModelHandler {
    let inner: any ReadModelHandler
    let progress: AsyncStream<Int>.Continuation

    func apply(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [CloudEvent] {
        try await inner.apply(events, on: connection)
    }

    func didCommit(_ events: [ConsumedEvent]) async throws {
        try await inner.didCommit(events)
        progress.yield(events.count)
    }
}

/// Appends a consumer's derived events (the supervisor's cards) through a gateway, as the server's in-process
/// publisher does.
struct BenchmarkGatewayPublisher: EventPublisher {
    let gateway: Gateway

    func publish(_ events: [CloudEvent]) async throws {
        guard !events.isEmpty else { return }
        _ = try await gateway.append(events.map { SubmittedEvent(event: $0) })
    }
}

/// A benchmark could not set itself up.
struct BenchmarkSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
