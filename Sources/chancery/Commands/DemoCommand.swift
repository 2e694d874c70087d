import ArgumentParser
import ChanceryDomain
import ChanceryImport
import ChanceryPostgres
import ChanceryScenario
import Foundation
import Logging

/// `chancery demo`: generates the reference scenario (SCENARIO.md) and sends it through the HTTP door.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Send the reference scenario of two Hengyang districts through POST /v1/events, wait for the read models, print the figures.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var credentials: TokenOptions

    @Option(help: "Base URL of a running `chancery server`.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "Seed of the generator (the same seed gives the same events, so a re-run appends nothing).")
    var seed: UInt64 = ReferenceScenario.defaultSeed

    @Option(name: .customLong("batch-size"), help: "Events per request.")
    var batchSize: Int = 1000

    @Flag(name: .customLong("no-summary"), help: "Do not print the figures at the end.")
    var noSummary = false

    @Option(name: .customLong("output"), help: "Write the scenario to this file as CloudEvents JSON Lines (one structured event per line, in sending order) and exit without sending (`-` for standard output). Used by `make chaos`.")
    var output: String?

    func run() async throws {
        let events = ReferenceScenario(seed: seed).events()
        if let output {
            try Self.writeJSONLines(events, to: output)
            return
        }
        print("reference scenario: \(events.count) events; sending to \(url)/v1/events")
        let publisher = EventPublisher(baseURL: url, batchSize: batchSize, token: credentials.resolved)
        let report = try await publisher.publish(events) { sent in
            if sent % 10_000 < batchSize || sent == events.count { print("  sent \(sent)/\(events.count)") }
        }
        print("appended \(report.appended), already appended before \(report.alreadyAppended), rejected \(report.rejected.count)")
        for r in report.rejected.prefix(10) { print("  rejected \(r.eventID): \(r.problem)") }
        let heads = report.heads
        let summary = !noSummary
        try await database.withClient(label: "chancery.demo", connections: 2) { client in
            print("waiting for the projector and the supervisor to catch up …")
            try await CatchUp.wait(for: heads, database: client)
            if summary { print(try await Summary.render(database: client)) }
        }
        if !report.rejected.isEmpty { throw ExitCode(1) }
    }
}

extension DemoCommand {
    /// Writes `events` as JSON Lines: each event's structured JSON (`CloudEvent.jsonBytes()`) and a newline.
    static func writeJSONLines(_ events: [CloudEvent], to path: String) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events.count * 700)
        for event in events {
            bytes += event.jsonBytes()
            bytes.append(UInt8(ascii: "\n"))
        }
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            FileHandle.standardError.write(Data("wrote \(events.count) events to \(path)\n".utf8))
        }
    }
}
