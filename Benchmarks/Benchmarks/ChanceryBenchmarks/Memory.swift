import Benchmark
import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// P6: the gateway's resident memory with 1,000,000 streams. One ConsultationReceived (咨询) on each of 1,000,000 new
/// streams, appended in requests of 2,000 events through a gateway on the embedded broker whose store is PostgreSQL (a
/// fresh database), with the projector (`ExactlyOnceConsumer` + `ReadModelProjector`) running beside it in the same
/// process as `chancery server` runs it; the appends wait whenever the projector is more than ``maxLag`` events behind,
/// so the embedded broker (5 MiB per partition) never drops a record it has not read. The gateway keeps its default
/// cache (``GatewayCacheCapacity/standard``) and forgets what the projector stored beyond it. The figure is the growth
/// of the process's resident set size from the restored gateway (after the allocator gave back what the set-up freed)
/// to the end (Linux `/proc/self/statm`); the events are made request by request. It counts the gateway's
/// caches, the embedded broker (at most 5 MiB per partition, 4 partitions of `gov.interaction` here), the projector's
/// batches and the allocator's retained pages.
enum GatewayMemory {
    static let streams = 1_000_000
    /// At most this many appended events not yet applied by the projector (about 2 MB per partition of 4).
    static let maxLag = 8_000

    /// Resident set size of this process, in bytes; nil off Linux.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Gives the pages that the allocator holds free back to the system (glibc `malloc_trim`), so that the resident set
    /// size counts what is in use: without it, memory the set-up freed (the parsed scenario) is reused by the run and
    /// hides its growth. No effect off glibc.
    static func releaseFreeMemory() {
        #if canImport(Glibc)
        // Not in Swift's Glibc module: looked up by name (RTLD_DEFAULT is the null handle on glibc).
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        let mallocTrim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = mallocTrim(0)
        #endif
    }

    /// The ConsultationReceived events numbered `numbers`, each the first of its own stream, shaped like the scenario's
    /// `template`.
    static func events(_ numbers: Range<Int>, template: CloudEvent) -> [SubmittedEvent] {
        var data = template.data
        if case .object(var members) = data {
            members["itemCode"] = nil
            data = .object(members)
        }
        return numbers.map { n in
            var event = template
            let number = "P6-" + String(n)
            event.subject = "consultation/\(template.region)/\(number)"
            event.id = event.subject + "#1"
            event.data = data
            return SubmittedEvent(event: event)
        }
    }
}

func memoryBenchmarks() {
    Benchmark("P6: gateway resident memory with 1,000,000 streams",
              configuration: Benchmark.Configuration(metrics: [.wallClock], timeUnits: .seconds, warmupIterations: 0,
                                                     maxDuration: .seconds(1200), maxIterations: 1)) { (benchmark: Benchmark, template: CloudEvent) async in
        do {
            let broker = try Fixtures.broker(partitions: 4)
            defer { broker.shutdown() }
            let db = try await Fixtures.freshDatabase()
            let store = PostgresGatewayStore(database: db.client, projectorGroup: ReadModelProjector.consumerGroup)
            let (gateway, producer) = try await Fixtures.gateway(bootstrapServers: broker.bootstrapServers, transactionalID: "chancery-bench-memory",
                                                                  store: store)
            let applied = AppliedEvents()
            let (progress, continuation) = AsyncStream.makeStream(of: Int.self)
            let consumer = ExactlyOnceConsumer(
                group: ReadModelProjector.consumerGroup, topics: TopicNames().allCanonical,
                kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers), database: db.client,
                handler: CountingHandler(inner: ReadModelProjector(calendars: try RegionCalendars.bundled()), progress: continuation),
                assignment: .all, logger: Fixtures.logger)
            let running = Task {
                do { try await consumer.run() } catch { await applied.stop(error) }
                await applied.stop(BenchmarkSetupError("the projector stopped"))
            }
            let counting = Task { for await n in progress { await applied.add(n) } }
            defer {
                running.cancel()
                counting.cancel()
            }
            GatewayMemory.releaseFreeMemory()
            let before = GatewayMemory.residentBytes() ?? 0
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            var sent = 0
            while sent < GatewayMemory.streams {
                let end = min(sent + Fixtures.requestSize, GatewayMemory.streams)
                _ = try await gateway.append(GatewayMemory.events(sent..<end, template: template))
                sent = end
                try await applied.wait(atLeast: sent - GatewayMemory.maxLag)
            }
            benchmark.stopMeasurement()
            let elapsed = ContinuousClock.now - start
            let after = GatewayMemory.residentBytes() ?? 0
            GatewayMemory.releaseFreeMemory()
            let trimmed = GatewayMemory.residentBytes() ?? 0
            let cached = await gateway.cachedEntries
            await producer.shutdown()
            running.cancel()
            _ = await running.value
            await db.drop()
            let megabytes = Double(after - before) / 1_048_576
            Figure(id: "P6", figure: "gateway resident memory growth with \(GatewayMemory.streams) streams (one event each; process RSS, PostgreSQL store and projector beside it; \(elapsed.components.seconds) s; \(cached.streams) heads and \(cached.events) answers cached at the end; \(Int(Double(trimmed - before) / 1_048_576)) MB once the allocator gave back its free pages)",
                   value: megabytes, unit: "MB", goal: "≤ 300 MB", met: megabytes <= 300).record()
            _ = gateway
        } catch {
            benchmark.error("P6 run failed: \(error)")
        }
    } setup: {
        guard let template = Fixtures.scenario().first(where: { $0.type == "gov.interaction.consultation.received" }) else {
            fatalError("the reference scenario has no consultation")
        }
        return template
    }
}

/// How many events the benchmark's projector has applied (committed in PostgreSQL), and why it stopped, if it did.
actor AppliedEvents {
    private var count = 0
    private var failure: (any Error)?

    func add(_ n: Int) { count += n }

    /// Records that the projector ended (the first reason is kept).
    func stop(_ reason: any Error) {
        if failure == nil { failure = reason }
    }

    /// Returns once at least `target` events are applied; polls every 5 ms.
    /// - Throws: why the projector stopped, when it stopped first.
    func wait(atLeast target: Int) async throws {
        while count < target {
            if let failure { throw failure }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
