import Benchmark
import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import ChanceryScenario
import ChanceryServer
import ChancerySupervision
import Foundation
import Logging

/// P3: a rebuild of every derived read model from 1,000,000 events — what `chancery rebuild` runs
/// (``ReadModelRebuild/run(name:consumers:database:chunk:version:logger:progress:)``: the build beside the live read models
/// from the journal, its catch-up passes and the swap), timed from its start to the swap's commit.
///
/// Set-up (not timed): a new database, and the synthetic province of `chancery generate` (``SyntheticProvince``, seed 1,
/// cut after 1,000,000 events as `chancery generate --events 1000000` cuts it) appended through an in-process
/// ``Gateway`` with the PostgreSQL journal (``PostgresEventJournal``) in requests of 5,000 events, one commit group each:
/// the journal rows are the gateway's own — positions, commit groups, partitions, sequences, hash chains. The gateway
/// produces to an embedded broker as a server's does (its partitions keep only their newest 5 MiB; the rebuild reads the
/// journal, never Kafka). `CHANCERY_BENCH_P3_EVENTS` sets another count (e.g. 100000 for a quick look), and
/// `CHANCERY_BENCH_P3_CHUNK` another chunk size than `chancery rebuild`'s default (``ReadModelRebuild/defaultChunk``).
///
/// Baseline (same iteration): the rows of every read-model table the rebuild produced, copied with PostgreSQL's COPY
/// into the same tables, with their indexes, of another new database — one table at a time, read through a cursor in
/// pages of ``copyPage`` rows; only the COPY statements are timed.
enum RebuildAtScale {
    /// The environment variable that overrides ``defaultEvents``.
    static let eventsKey = "CHANCERY_BENCH_P3_EVENTS"
    /// The issue's figure: a rebuild of 1,000,000 events.
    static let defaultEvents = 1_000_000
    /// Events per append request (and per commit group: the gateway's ``Gateway`` default transaction bound).
    static let requestSize = 5_000
    /// Rows per page of the COPY baseline.
    static let copyPage = 50_000
    /// Partitions per topic of the embedded broker (as `make run`).
    static let partitions: Int32 = 32

    /// The events to load: ``eventsKey`` when set to a positive integer, else ``defaultEvents``.
    static var events: Int { positive(eventsKey) ?? defaultEvents }

    /// The environment variable that overrides the rebuild's chunk (journal records per transaction).
    static let chunkKey = "CHANCERY_BENCH_P3_CHUNK"

    /// The rebuild's chunk: ``chunkKey`` when set to a positive integer, else `chancery rebuild`'s default.
    static var chunk: Int { positive(chunkKey) ?? ReadModelRebuild.defaultChunk }

    /// The positive integer in the environment variable `key`, if any.
    private static func positive(_ key: String) -> Int? {
        ProcessInfo.processInfo.environment[key].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A logger at info level, so that the rebuild's phase timings are printed.
    static let logger: Logger = {
        var logger = Logger(label: "chancery.bench.p3")
        logger.logLevel = .info
        return logger
    }()

    /// A new database holding `events` generated events in its journal, as the gateway wrote them; returns it with the
    /// count appended.
    /// - Throws: ``BenchmarkSetupError`` when the gateway refuses an event (the generator and the rules disagree).
    static func load(events: Int) async throws -> (BenchDatabase, Int) {
        let db = try await Fixtures.freshDatabase()
        do {
            let broker = try Fixtures.broker(partitions: partitions)
            defer { broker.shutdown() }
            let topics = TopicNames()
            var counts: [String: Int32] = [:]
            for topic in topics.allCanonical + [topics.inbound, topics.deadLetter] { counts[topic] = partitions }
            let journal = PostgresEventJournal(database: db.client)
            try await journal.recordPartitionCounts(counts)
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(
                    kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "chancery-bench-p3"),
                    transactionalID: "chancery-bench-p3"),
                logger: Fixtures.logger)
            do {
                try await producer.initTransactions()
                let gateway = Gateway(producer: producer, store: EmptyGatewayStore(), topics: topics, logger: Fixtures.logger,
                                      maxEventsPerTransaction: requestSize, journal: journal, partitionCounts: counts)
                try await gateway.restore(tail: [])
                let started = ContinuousClock.now
                let province = SyntheticProvince(seed: 1, counties: SyntheticProvince.counties(forEvents: events))
                var remaining = events
                for county in province.selectedCounties where remaining > 0 {
                    let countyEvents = province.events(of: county).prefix(remaining).map { SubmittedEvent(event: $0) }
                    remaining -= countyEvents.count
                    var from = 0
                    while from < countyEvents.count {
                        let to = min(from + requestSize, countyEvents.count)
                        _ = try await gateway.append(Array(countyEvents[from..<to]))
                        from = to
                    }
                }
                logger.info("P3 set-up: the journal holds the generated events", metadata: [
                    "events": "\(events - remaining)", "seconds": "\(String(format: "%.1f", seconds(ContinuousClock.now - started)))",
                ])
                await producer.shutdown()
                return (db, events - remaining)
            } catch {
                await producer.shutdown()
                throw error
            }
        } catch {
            await db.drop()
            throw error
        }
    }

    /// The projector and the supervisor as `chancery rebuild` runs them with its defaults (ChanceryServer's
    /// `ReadModelConsumers.live`: the standard policy, the default interaction limits).
    static func consumers() throws -> [ReplayConsumer] {
        let calendars = try RegionCalendars.bundled()
        let topics = TopicNames()
        let policy = SupervisionPolicy.standard
        return [
            ReplayConsumer(group: ReadModelProjector.consumerGroup, topics: topics.allCanonical,
                           handler: ReadModelProjector(calendars: calendars, urgeLimit: policy.urgeLimit)),
            ReplayConsumer(group: Supervisor.consumerGroup, topics: Supervisor.topics(topics),
                           handler: Supervisor(calendars: calendars, policy: policy, topics: topics, logger: Fixtures.logger)),
        ]
    }

    /// The COPY baseline: every read-model table of `source` with rows (``CopyBaseline``'s selection), copied into the
    /// same tables of a new database; returns the time the COPY statements took and the rows copied.
    static func copyBaseline(from source: PostgresClient) async throws -> (Duration, Int) {
        let target = try await Fixtures.freshDatabase()
        do {
            let tables = try await source.query(
                """
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_type = 'BASE TABLE' AND table_schema IN ('audit', 'approval', 'catalog', 'disclosure', 'interaction', 'supervision')
                  AND table_name NOT IN ('journal', 'journal_topics')
                ORDER BY 1
                """).map { try $0.decode(String.self, at: 0) }
            var elapsed = Duration.zero
            var copied = 0
            for table in tables {
                let (d, n) = try await source.withConnection { from in
                    try await from.transaction { from in
                        try await target.client.withConnection { to in
                            try await RebuildAtScale.copy(table, from: from, to: to)
                        }
                    }
                }
                elapsed += d
                copied += n
            }
            await target.drop()
            return (elapsed, copied)
        } catch {
            await target.drop()
            throw error
        }
    }

    /// Prints `text` on standard error and writes it to `p3-phases.txt` beside the figures file (`.data/bench/`).
    static func report(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
        if let dir = ProcessInfo.processInfo.environment[Figure.fileKey].map({ URL(fileURLWithPath: $0).deletingLastPathComponent() }) {
            try? text.write(to: dir.appendingPathComponent("p3-phases.txt"), atomically: true, encoding: .utf8)
        }
    }

    /// Copies one table page by page (a cursor on `from`, inside its transaction); returns the COPY time and the rows.
    private static func copy(_ table: String, from: PostgresConnection, to: PostgresConnection) async throws -> (Duration, Int) {
        try await from.execute("DECLARE bench_rows NO SCROLL CURSOR FOR SELECT * FROM \(unescaped: table)")
        var elapsed = Duration.zero
        var copied = 0
        while true {
            let rows = try await from.query("FETCH \(unescaped: String(copyPage)) FROM bench_rows")
            guard let first = rows.first else { break }
            let columns = first.columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let start = ContinuousClock.now
            copied += try await to.copyFrom("COPY \(table) (\(columns)) FROM STDIN", rows: rows.map(\.values))
            elapsed += ContinuousClock.now - start
        }
        try await from.execute("CLOSE bench_rows")
        return (elapsed, copied)
    }
}

func rebuildBenchmarks() {
    Benchmark("P3: rebuild every read model from 1,000,000 events (chancery rebuild) ÷ COPY of the rows it wrote",
              configuration: Benchmark.Configuration(metrics: [.wallClock, eventsPerSecond, copyEventsPerSecond], timeUnits: .seconds,
                                                     warmupIterations: 0, maxDuration: .seconds(1800), maxIterations: 1)) { (benchmark: Benchmark, loaded: LoadedJournal) async in
        do {
            let consumers = try RebuildAtScale.consumers()
            let migrations = try DatabaseMigrations.all()
            benchmark.startMeasurement()
            let outcome = try await ReadModelRebuild.run(consumers: consumers, migrations: migrations, database: loaded.db.client,
                                                         chunk: RebuildAtScale.chunk,
                                                         logger: RebuildAtScale.logger)
            benchmark.stopMeasurement()
            let rate = Double(outcome.events) / outcome.seconds
            benchmark.measurement(eventsPerSecond, Int(rate))
            let (copyTime, rows) = try await RebuildAtScale.copyBaseline(from: loaded.db.client)
            // The baseline in the figure's unit: the log's events over the time COPY takes to write every row they give.
            let copyRate = Double(outcome.events) / seconds(copyTime)
            benchmark.measurement(copyEventsPerSecond, Int(copyRate))
            RebuildAtScale.report("""
                P3: rebuilt (chunks of \(RebuildAtScale.chunk) records) \(outcome.events) events in \(String(format: "%.1f", outcome.seconds)) s (\(Int(rate)) events/s)
                phases: \(outcome.phases)
                baseline: COPY of \(rows) rows in \(String(format: "%.1f", seconds(copyTime))) s

                """)
            Figure(id: "P3", figure: "rebuild of every read model from \(outcome.events) events (chancery rebuild: build, catch-up, swap), "
                       + String(format: "%.1f s", outcome.seconds),
                   value: rate, unit: "events/s", baseline: "COPY of the rows it wrote into the same tables, with their indexes",
                   baselineValue: copyRate, ratio: rate / copyRate, goal: "≤ 30 s", met: outcome.seconds <= 30).record()
        } catch {
            benchmark.error("P3 run failed: \(error)")
        }
        await loaded.db.drop()
    } setup: {
        let (db, events) = try await RebuildAtScale.load(events: RebuildAtScale.events)
        return LoadedJournal(db: db, events: events)
    }
}

/// A database whose journal holds the generated events (P3's set-up).
struct LoadedJournal: Sendable {
    let db: BenchDatabase
    let events: Int
}
