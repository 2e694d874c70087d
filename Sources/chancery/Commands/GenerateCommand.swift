import ArgumentParser
import ChanceryDomain
import ChanceryImport
import ChanceryScenario
import Foundation

/// `chancery generate`: a synthetic workload of any size (``SyntheticProvince``) — a province of county-level
/// governments, each a year shaped like Hengdong county's — as CloudEvents JSON Lines or sent straight to the HTTP door.
/// Deterministic from `--seed`. The benchmarks (`make bench`) use it.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a synthetic province (about 83,000 events per county, every type a department publishes) as JSON Lines or into a server.",
        discussion: """
            Counties are real county-level divisions of Hunan (GB/T 2260), each with its own streams and content; the \
            same seed gives the same events byte for byte. Events are written county by county, each county's in time \
            order. --events stops after that many events (the last county is cut at a point in time, so every stream \
            keeps a prefix of its events). Progress goes to standard error.
            """)

    @OptionGroup var credentials: TokenOptions

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    @Option(help: "How many counties (1–\(SyntheticProvince.counties.count)); default: as many as --events needs, else 12 (about 1,000,000 events).")
    var counties: Int?

    @Option(help: "Stop after this many events.")
    var events: Int?

    @Option(help: "Write JSON Lines to this file (`-`: standard output).")
    var output: String?

    @Option(help: "Send to the POST /v1/events of the server at this base URL instead (token: --token or $CHANCERY_TOKEN).")
    var url: String?

    @Option(name: .customLong("batch-size"), help: "Events per request when sending.")
    var batchSize: Int = 1000

    func validate() throws {
        guard (output == nil) != (url == nil) else { throw ValidationError("give exactly one of --output and --url") }
        if let counties, !(1...SyntheticProvince.counties.count).contains(counties) {
            throw ValidationError("--counties must be from 1 to \(SyntheticProvince.counties.count)")
        }
        if let events, events < 1 { throw ValidationError("--events must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() async throws {
        let countyCount = counties ?? events.map(SyntheticProvince.counties(forEvents:)) ?? 12
        let province = SyntheticProvince(seed: seed, counties: countyCount)
        var remaining = events ?? .max
        var written = 0
        let sink: Sink = try output.map { try Sink(path: $0) } ?? .none
        let publisher = url.map { EventPublisher(baseURL: $0, batchSize: batchSize, token: credentials.resolved) }
        var rejected = 0
        for county in province.selectedCounties where remaining > 0 {
            let countyEvents = Array(province.events(of: county).prefix(remaining))
            remaining -= countyEvents.count
            if let publisher {
                let report = try await publisher.publish(countyEvents) { _ in }
                rejected += report.rejected.count
                for r in report.rejected.prefix(5) { Self.note("  rejected \(r.eventID): \(r.problem)") }
            } else {
                try sink.write(countyEvents)
            }
            written += countyEvents.count
            Self.note("\(county.code) \(county.name): \(countyEvents.count) events (\(written) in all)")
        }
        try sink.close()
        Self.note("generated \(written) events of \(countyCount) counties (seed \(seed))" + (url == nil ? "" : "; \(rejected) rejected"))
        if rejected > 0 { throw ExitCode(1) }
    }

    private static func note(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// Where JSON Lines go: a file, standard output, or nowhere (sending instead).
    private enum Sink {
        case none
        /// The handle, and whether it is a file this command opened (and closes).
        case file(FileHandle, owned: Bool)

        init(path: String) throws {
            if path == "-" {
                self = .file(FileHandle.standardOutput, owned: false)
                return
            }
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ValidationError("cannot create \(path)")
            }
            self = .file(try FileHandle(forWritingTo: URL(fileURLWithPath: path)), owned: true)
        }

        func write(_ events: [CloudEvent]) throws {
            guard case .file(let handle, _) = self else { return }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(events.count * 800)
            for event in events {
                bytes += event.jsonBytes()
                bytes.append(UInt8(ascii: "\n"))
            }
            try handle.write(contentsOf: bytes)
        }

        func close() throws {
            guard case .file(let handle, owned: true) = self else { return }
            try handle.close()
        }
    }
}
