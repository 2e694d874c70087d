import Benchmark
import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import Foundation

/// P6: the gateway's resident memory with 1,000,000 streams. One ConsultationReceived (咨询) on each of 1,000,000 new
/// streams, appended in requests of 2,000 events through a gateway on the embedded broker (no PostgreSQL store, as P1);
/// the figure is the growth of the process's resident set size from the restored gateway to the end (Linux
/// `/proc/self/statm`). The embedded broker lives in the same process but keeps at most 5 MiB per partition (4
/// partitions of `gov.interaction` here), so nearly all of the growth is the gateway's own: its stream heads and its
/// record of appends for idempotency.
enum GatewayMemory {
    static let streams = 1_000_000

    /// Resident set size of this process, in bytes; nil off Linux.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `count` ConsultationReceived events, each the first of its own stream, shaped like the scenario's `template`.
    static func events(count: Int, template: CloudEvent) -> [SubmittedEvent] {
        var data = template.data
        if case .object(var members) = data {
            members["itemCode"] = nil
            data = .object(members)
        }
        return (0..<count).map { n in
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
                                                     maxDuration: .seconds(900), maxIterations: 1)) { (benchmark: Benchmark, template: CloudEvent) async in
        do {
            let broker = try Fixtures.broker(partitions: 4)
            defer { broker.shutdown() }
            let (gateway, producer) = try await Fixtures.gateway(bootstrapServers: broker.bootstrapServers, transactionalID: "chancery-bench-memory")
            let events = GatewayMemory.events(count: GatewayMemory.streams, template: template)
            let before = GatewayMemory.residentBytes() ?? 0
            benchmark.startMeasurement()
            try await Fixtures.append(events, to: gateway)
            benchmark.stopMeasurement()
            let after = GatewayMemory.residentBytes() ?? 0
            await producer.shutdown()
            let megabytes = Double(after - before) / 1_048_576
            Figure(id: "P6", figure: "gateway resident memory growth with \(GatewayMemory.streams) streams (one event each; process RSS)",
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
