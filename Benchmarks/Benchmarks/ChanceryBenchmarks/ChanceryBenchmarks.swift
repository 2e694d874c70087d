import Benchmark
import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryProjections
import ChanceryRuntime
import ChancerySupervision
import Foundation

/// Chancery's benchmarks, run by package-benchmark (`make bench`). Each measures one of the performance goals of the
/// pipeline of README "Architecture", on the reference scenario of SCENARIO.md:
///
/// - **Domain** (pure, no I/O): validating one submitted event (envelope rules and the JSON Schema of its type),
///   and a case clock's deadline and days used on the CN working-day calendar, for cases accepted across 2025.
/// - **Gateway**: appending the whole scenario through ``Gateway/append(_:)`` into the embedded broker (librdkafka's
///   mock cluster), in requests of 2,000 events, one at a time.
/// - **Projector** and **Supervisor**: their ``ExactlyOnceConsumer`` reading the scenario from the embedded broker
///   and applying it to an empty PostgreSQL database (these run only when `CHANCERY_BENCH_DATABASE_URL` is set).
/// - **P4** append → visible (Latency.swift), **P5** the dashboard's queries with a million cases (Queries.swift), **P6**
///   the gateway's memory with a million streams (Memory.swift).
///
/// A scenario benchmark's iteration is one whole run; its set-up (new broker, new database) is outside the measurement.
/// `events/s` is the scenario's events divided by the iteration's wall-clock time.
let benchmarks: @Sendable () -> Void = {
    domainBenchmarks()
    gatewayBenchmarks()
    memoryBenchmarks()
    if Fixtures.databaseURL != nil {
        consumerBenchmarks()
        latencyBenchmarks()
        queryBenchmarks()
        rebuildBenchmarks()
    } else {
        FileHandle.standardError.write(Data(
            "\(Fixtures.databaseURLKey) is not set: skipping the projector and supervisor benchmarks (run `make bench`)\n".utf8))
    }
}

/// Events per second of an iteration, as a custom metric (bigger is better).
var eventsPerSecond: BenchmarkMetric { BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false) }
/// Events per second of P2's COPY baseline (bigger is better).
var copyEventsPerSecond: BenchmarkMetric { BenchmarkMetric.custom("COPY events/s", polarity: .prefersLarger, useScalingFactor: false) }
/// Duration of one append request of 2,000 events, in milliseconds.
var requestMilliseconds: BenchmarkMetric { BenchmarkMetric.custom("request (ms)", polarity: .prefersSmaller, useScalingFactor: false) }

/// Settings of the benchmarks whose iteration is one operation of a few microseconds.
var microConfiguration: Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1000, maxDuration: .seconds(5), maxIterations: 300_000)
}

/// Settings of the benchmarks whose iteration is a whole scenario: one warm-up run, then up to five runs.
func scenarioConfiguration(extra: [BenchmarkMetric] = [], maxSeconds: Int = 240) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, eventsPerSecond] + extra, timeUnits: .milliseconds, warmupIterations: 1,
        maxDuration: .seconds(maxSeconds), maxIterations: 5)
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

// MARK: Domain

func domainBenchmarks() {
    Benchmark("Domain: validate one event (envelope + JSON Schema)", configuration: microConfiguration) { (benchmark: Benchmark, events: [JSONValue]) in
        let event = events[benchmark.currentIteration % events.count]
        blackHole(try? EventValidator.validate(event))
    } setup: {
        // The scenario's events as a publisher sends them (no gateway attributes), parsed once.
        let decoder = JSONDecoder()
        return try Fixtures.scenario().map { try decoder.decode(JSONValue.self, from: Data($0.jsonBytes())) }
    }

    Benchmark("Domain: CaseClock deadline (CN calendar, cases accepted across 2025)", configuration: microConfiguration) { (benchmark: Benchmark, fixture: ClockFixture) in
        let clock = fixture.clocks[benchmark.currentIteration % fixture.clocks.count]
        blackHole(clock.deadline(.promised, calendar: fixture.calendar))
    } setup: {
        try ClockFixture()
    }

    Benchmark("Domain: CaseClock daysUsed 30 days after acceptance", configuration: microConfiguration) { (benchmark: Benchmark, fixture: ClockFixture) in
        let clock = fixture.clocks[benchmark.currentIteration % fixture.clocks.count]
        blackHole(clock.daysUsed(.promised, through: clock.acceptedOn.adding(days: 30), calendar: fixture.calendar))
    } setup: {
        try ClockFixture()
    }
}

/// Case clocks accepted on every day of 2025 in Hengdong (CN calendar with its adjusted working days), with
/// promised limits of 1 to 60 working days; every third one had a supplement request answered a week later and
/// every seventh a special procedure of ten days.
struct ClockFixture: Sendable {
    let calendar: WorkingDayCalendar
    let clocks: [CaseClock]

    init() throws {
        guard let calendar = try RegionCalendars.bundled().calendar(for: "430424") else {
            throw BenchmarkSetupError("no calendar for region 430424")
        }
        self.calendar = calendar
        let limits = [1, 5, 10, 20, 60]
        let first = CivilDate(year: 2025, month: 1, day: 1)
        clocks = (0..<365).map { day in
            let accepted = first.adding(days: day)
            var clock = CaseClock(acceptedOn: accepted, promisedLimit: WorkingDays(limits[day % limits.count]), statutoryLimit: WorkingDays(60))
            if day % 3 == 0 {
                clock.pause(on: accepted.adding(days: 2))
                clock.resume(on: accepted.adding(days: 9))
            }
            if day % 7 == 0 {
                clock.startSpecialProcedure(.expertReview, on: accepted.adding(days: 12))
                clock.endSpecialProcedure(on: accepted.adding(days: 22))
            }
            return clock
        }
    }
}

// MARK: Gateway

func gatewayBenchmarks() {
    Benchmark("Gateway: append the reference scenario (embedded broker, 2,000-event requests)",
              configuration: scenarioConfiguration(extra: [requestMilliseconds])) { (benchmark: Benchmark, events: [SubmittedEvent]) async in
        do {
            let broker = try Fixtures.broker(partitions: 4)
            defer { broker.shutdown() }
            let (gateway, producer) = try await Fixtures.gateway(bootstrapServers: broker.bootstrapServers, transactionalID: "chancery-bench-gateway")
            var requests: [Duration] = []
            benchmark.startMeasurement()
            let start = ContinuousClock.now
            try await Fixtures.append(events, to: gateway) { requests.append($0) }
            let elapsed = ContinuousClock.now - start
            benchmark.stopMeasurement()
            await producer.shutdown()
            benchmark.measurement(eventsPerSecond, Int(Double(events.count) / seconds(elapsed)))
            for r in requests { benchmark.measurement(requestMilliseconds, Int((seconds(r) * 1000).rounded())) }
            // P1's baseline: librdkafka producing the same payloads (as the gateway recorded them) into a broker like it.
            let raw = try await Fixtures.produceRaw(events.map(\.event), partitions: 4)
            let rate = Double(events.count) / seconds(elapsed), rawRate = Double(events.count) / seconds(raw)
            Figure(id: "P1", figure: "append through the gateway (validation, sequence, hash chain, transactional produce; no PostgreSQL store)",
                   value: rate, unit: "events/s", baseline: "librdkafka producing the same payloads (idempotent, acks=all)",
                   baselineValue: rawRate, ratio: rate / rawRate, goal: "≥ 50,000 events/s", met: rate >= 50_000).record()
        } catch {
            benchmark.error("gateway append failed: \(error)")
        }
    } setup: {
        Fixtures.scenario().map { SubmittedEvent(event: $0) }
    }
}

// MARK: Projector and supervisor

/// An embedded broker holding the whole reference scenario as the gateway appended it, with its record counts.
/// 24 partitions per topic keep every partition under the embedded broker's 5 MiB, so nothing is dropped.
struct FilledBroker: Sendable {
    let broker: EmbeddedKafkaBroker
    let counts: [String: Int]
    let calendars: RegionCalendars

    static func make() async throws -> FilledBroker {
        let broker = try Fixtures.broker(partitions: 24)
        let (gateway, producer) = try await Fixtures.gateway(bootstrapServers: broker.bootstrapServers, transactionalID: "chancery-bench-fill")
        try await Fixtures.append(Fixtures.scenario().map { SubmittedEvent(event: $0) }, to: gateway)
        await producer.shutdown()
        return FilledBroker(broker: broker, counts: try await Fixtures.recordCounts(bootstrapServers: broker.bootstrapServers),
                            calendars: try RegionCalendars.bundled())
    }
}

func consumerBenchmarks() {
    Benchmark("P2: projector catch-up ÷ COPY of the same rows into the same tables",
              configuration: scenarioConfiguration(extra: [copyEventsPerSecond], maxSeconds: 400)) { (benchmark: Benchmark, filled: FilledBroker) async in
        do {
            try await measureProjectorAgainstCopy(benchmark, filled)
        } catch {
            benchmark.error("P2 run failed: \(error)")
        }
    } setup: {
        try await FilledBroker.make()
    }

    Benchmark("Projector: apply the reference scenario into PostgreSQL (from the embedded broker)",
              configuration: scenarioConfiguration(maxSeconds: 400)) { (benchmark: Benchmark, filled: FilledBroker) async in
        do {
            try await measureConsumer(benchmark, filled, group: ReadModelProjector.consumerGroup, topics: TopicNames().allCanonical,
                                      handler: ReadModelProjector(calendars: filled.calendars))
        } catch {
            benchmark.error("projector run failed: \(error)")
        }
    } setup: {
        try await FilledBroker.make()
    }

    Benchmark("Supervisor: apply the scenario's approval, disclosure and interaction topics into PostgreSQL (alerts through a gateway)",
              configuration: scenarioConfiguration(maxSeconds: 400)) { (benchmark: Benchmark, filled: FilledBroker) async in
        do {
            // The supervisor's cards go through a gateway of their own, on a broker of their own, new each run.
            let alertBroker = try Fixtures.broker(partitions: 4)
            defer { alertBroker.shutdown() }
            let (gateway, producer) = try await Fixtures.gateway(bootstrapServers: alertBroker.bootstrapServers, transactionalID: "chancery-bench-alerts")
            do {
                try await measureConsumer(benchmark, filled, group: Supervisor.consumerGroup, topics: Supervisor.topics(TopicNames()),
                                          handler: Supervisor(calendars: filled.calendars, policy: Fixtures.demoPolicy, logger: Fixtures.logger),
                                          publisher: BenchmarkGatewayPublisher(gateway: gateway))
            } catch {
                await producer.shutdown()
                throw error
            }
            await producer.shutdown()
        } catch {
            benchmark.error("supervisor run failed: \(error)")
        }
    } setup: {
        try await FilledBroker.make()
    }
}

/// One measured run of `handler` as consumer `group` over `topics` of the filled broker, into a new database: the
/// wall-clock time from the consumer's start until every event of `topics` is committed, and `events/s`.
/// - Throws: the consumer's error or its timeout (``Fixtures/consume(_:progress:expected:seconds:)``).
private func measureConsumer(_ benchmark: Benchmark, _ filled: FilledBroker, group: String, topics: [String],
                             handler: any ReadModelHandler, publisher: (any EventPublisher)? = nil) async throws {
    let (db, elapsed, expected) = try await runConsumer(benchmark, filled, group: group, topics: topics, handler: handler, publisher: publisher)
    benchmark.measurement(eventsPerSecond, Int(Double(expected) / seconds(elapsed)))
    await db.drop()
}

/// P2: the projector's catch-up over the whole scenario, then the rows it wrote copied with COPY into the same tables
/// (with their indexes) of a new database; the ratio of the two rates.
func measureProjectorAgainstCopy(_ benchmark: Benchmark, _ filled: FilledBroker) async throws {
    let (db, elapsed, expected) = try await runConsumer(benchmark, filled, group: ReadModelProjector.consumerGroup,
                                                        topics: TopicNames().allCanonical, handler: ReadModelProjector(calendars: filled.calendars))
    let rows: [(table: String, columns: [String], rows: [[String?]])]
    do { rows = try await CopyBaseline.rows(of: db.client) } catch { await db.drop(); throw error }
    await db.drop()
    let target = try await Fixtures.freshDatabase()
    let copied: Duration
    do { copied = try await CopyBaseline.copy(rows, into: target.client) } catch { await target.drop(); throw error }
    await target.drop()
    let rate = Double(expected) / seconds(elapsed), copyRate = Double(expected) / seconds(copied)
    benchmark.measurement(eventsPerSecond, Int(rate))
    benchmark.measurement(copyEventsPerSecond, Int(copyRate))
    Figure(id: "P2", figure: "projector catch-up over the reference scenario (\(expected) events, every read model)", value: rate, unit: "events/s",
           baseline: "COPY of the same rows into the same tables, with their indexes", baselineValue: copyRate, ratio: rate / copyRate,
           goal: "ratio ≥ 0.5", met: rate / copyRate >= 0.5).record()
}

/// Runs `handler` as consumer `group` over `topics` of the filled broker into a new database until every event is
/// committed; returns the database (the caller drops it), the elapsed wall-clock time and the events applied.
func runConsumer(_ benchmark: Benchmark, _ filled: FilledBroker, group: String, topics: [String],
                         handler: any ReadModelHandler, publisher: (any EventPublisher)? = nil) async throws -> (BenchDatabase, Duration, Int) {
    let expected = topics.reduce(0) { $0 + (filled.counts[$1] ?? 0) }
    let db = try await Fixtures.freshDatabase()
    let (progress, continuation) = AsyncStream.makeStream(of: Int.self)
    let consumer = ExactlyOnceConsumer(
        group: group, topics: topics, kafka: KafkaConfiguration(bootstrapServers: filled.broker.bootstrapServers), database: db.client,
        handler: CountingHandler(inner: handler, progress: continuation), assignment: .all, logger: Fixtures.logger, publisher: publisher)
    benchmark.startMeasurement()
    let start = ContinuousClock.now
    do {
        try await Fixtures.consume(consumer, progress: progress, expected: expected)
    } catch {
        benchmark.stopMeasurement()
        await db.drop()
        throw error
    }
    let elapsed = ContinuousClock.now - start
    benchmark.stopMeasurement()
    return (db, elapsed, expected)
}
