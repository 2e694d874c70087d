import Benchmark
import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import Foundation
import Histogram

/// P4: append → visible in the read model. Scenario events are appended one per request at `rate` events/s through a
/// gateway while the projector tails the broker; an event is visible when the projector's transaction that applied it
/// committed (``ReadModelHandler/didCommit(_:)``). Latency = commit instant − the instant the append was acknowledged.
enum AppendToVisible {
    /// The instants of each event's acknowledgement and commit, by `source` + `id`.
    actor Instants {
        var acknowledged: [String: ContinuousClock.Instant] = [:]
        var committed: [String: ContinuousClock.Instant] = [:]

        func acknowledge(_ key: String, at instant: ContinuousClock.Instant) { acknowledged[key] = instant }
        func commit(_ keys: [String], at instant: ContinuousClock.Instant) { for k in keys { committed[k] = instant } }
        var committedCount: Int { committed.count }

        /// Latencies in microseconds of the events both acknowledged and committed (a commit seen before its
        /// acknowledgement returned counts as 0).
        func latencies() -> [Int] {
            acknowledged.compactMap { key, ack in
                committed[key].map { max(0, Int((seconds($0 - ack) * 1_000_000).rounded())) }
            }
        }
    }

    /// Forwards to the projector and notes each committed event's instant.
    struct Recorder: ReadModelHandler {
        let inner: ReadModelProjector
        let instants: Instants

        func apply(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [CloudEvent] {
            try await inner.apply(events, on: connection)
        }

        func didCommit(_ events: [ConsumedEvent]) async throws {
            await instants.commit(events.map { "\($0.event.source)#\($0.event.id)" }, at: .now)
        }
    }

    /// One run: `count` events at `rate` per second; returns the latency histogram (µs).
    static func run(count: Int, rate: Int) async throws -> Histogram<UInt64> {
        let broker = try Fixtures.broker(partitions: 4)
        defer { broker.shutdown() }
        let (gateway, producer) = try await Fixtures.gateway(bootstrapServers: broker.bootstrapServers, transactionalID: "chancery-bench-latency")
        let db = try await Fixtures.freshDatabase()
        let instants = Instants()
        let consumer = ExactlyOnceConsumer(
            group: ReadModelProjector.consumerGroup, topics: TopicNames().allCanonical,
            kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers), database: db.client,
            handler: Recorder(inner: ReadModelProjector(calendars: try RegionCalendars.bundled()), instants: instants), assignment: .all,
            logger: Fixtures.logger)
        let running = Task { try await consumer.run() }
        do {
            // The catalogue first, outside the measurement (cases need their items), then let the consumer catch up.
            let events = Fixtures.scenario()
            let catalog = events.prefix { $0.type.hasPrefix("gov.catalog.") }
            _ = try await gateway.append(catalog.map { SubmittedEvent(event: $0) })
            try await waitFor(catalog.count, instants: instants, seconds: 60)
            let measured = events.dropFirst(catalog.count).prefix(count)
            let start = ContinuousClock.now
            for (i, event) in measured.enumerated() {
                let due = start + .microseconds(1_000_000 * i / rate)
                if due > .now { try await Task.sleep(until: due) }
                _ = try await gateway.append([SubmittedEvent(event: event)])
                await instants.acknowledge("\(event.source)#\(event.id)", at: .now)
            }
            try await waitFor(catalog.count + measured.count, instants: instants, seconds: 120)
        } catch {
            running.cancel()
            await producer.shutdown()
            await db.drop()
            throw error
        }
        running.cancel()
        _ = await running.result
        await producer.shutdown()
        await db.drop()
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        for l in await instants.latencies() { _ = histogram.record(UInt64(l)) }
        return histogram
    }

    private static func waitFor(_ count: Int, instants: Instants, seconds: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while await instants.committedCount < count {
            guard ContinuousClock.now < deadline else { throw BenchmarkSetupError("the projector did not apply \(count) events within \(seconds) s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Milliseconds of a latency percentile.
var latencyMilliseconds: BenchmarkMetric { BenchmarkMetric.custom("latency (ms)", polarity: .prefersSmaller, useScalingFactor: false) }

func latencyBenchmarks() {
    Benchmark("P4: append → visible in the read model, 500 events/s in single-event requests",
              configuration: Benchmark.Configuration(metrics: [latencyMilliseconds], timeUnits: .milliseconds, warmupIterations: 0,
                                                     maxDuration: .seconds(120), maxIterations: 2)) { benchmark in
        do {
            let rate = 500
            benchmark.startMeasurement()
            let histogram = try await AppendToVisible.run(count: 10 * rate, rate: rate)
            benchmark.stopMeasurement()
            func ms(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / 1000 }
            for l in [50.0, 99.0, 99.9] { benchmark.measurement(latencyMilliseconds, Int(ms(l).rounded())) }
            Figure(id: "P4", figure: "append → visible in the read model at \(rate) events/s, single-event requests "
                       + String(format: "(p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms; %d events)", ms(50), ms(99), ms(99.9), Int(histogram.totalCount)),
                   value: ms(99), unit: "ms (p99)", baseline: nil, baselineValue: nil, ratio: nil, goal: "p99 ≤ 50 ms", met: ms(99) <= 50).record()
        } catch {
            benchmark.error("P4 run failed: \(error)")
        }
    }
}
