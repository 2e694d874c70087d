import ArgumentParser
import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `chancery verify`: reads the whole log of record (`audit.journal`) in position order and recomputes every stream's
/// hash chain, reporting each changed, removed, reordered, duplicated or inserted event and each broken link with its
/// position and subject (``ChainVerifier``). Exits 1 when anything is wrong.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the log of record: recompute every stream's hash chain from the journal.",
        discussion: """
            Progress (events/s, ETA) on standard error when it is a terminal; the summary and the findings on standard \
            output (--format json: one JSON document, ChainReport). Exit status 0 when the log verifies, 1 when anything \
            is found.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "text or json.")
    var format: String = "text"

    @Option(help: "Journal rows read per query.")
    var chunk: Int = 5_000

    @Option(help: "Findings listed in text output (all of them in JSON).")
    var list: Int = 100

    @Flag(name: .customLong("read-models"), help: "Then rebuild every read model from the journal into a shadow and compare it with the live ones (ReadModelVerification).")
    var readModels = false

    @Flag(name: .customLong("keep-shadow"), help: "With --read-models: keep the shadow (schemas verify_shadow__…) for inspection.")
    var keepShadow = false

    @OptionGroup var consumers: ReadModelConsumerOptions

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard chunk > 0 else { throw ValidationError("--chunk must be positive") }
    }

    func run() async throws {
        let terminal = isatty(STDERR_FILENO) == 1
        let bar = ProgressBarBox(terminal ? ProgressBar(title: "verifying", total: 0) : nil)
        let start = Date()
        let chunk = self.chunk
        let report = try await database.withClient(label: "chancery.verify", connections: 2) { client in
            try await JournalVerification.run(database: client, chunk: chunk) { p in bar.update(p) }
        }
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        if readModels {
            try await ReadModelVerification(database: database, consumers: consumers, format: format, list: list, keepShadow: keepShadow)
                .run(chain: report, chainSeconds: seconds)
            return
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.text(report, seconds: seconds, list: list), terminator: "")
        }
        if !report.ok { throw ExitCode(1) }
    }

    static func text(_ r: ChainReport, seconds: Double, list: Int) -> String {
        let rate = seconds > 0 ? Int(Double(r.records) / seconds) : r.records
        var out = "\(ProgressBar.grouped(r.records)) journal records (\(ProgressBar.grouped(r.events)) events in \(ProgressBar.grouped(r.streams)) streams, "
            + "\(ProgressBar.grouped(r.deadLetters)) dead letters) up to position \(r.lastPosition) verified in "
            + "\(String(format: "%.1f", seconds)) s (\(ProgressBar.grouped(rate)) records/s)\n"
        if r.ok {
            out += "the log verifies: every stream's chain is intact\n"
            return out
        }
        let kinds = ChainFinding.Kind.allCases.compactMap { k in (r.counts[k.rawValue] ?? 0) > 0 ? "\(r.counts[k.rawValue]!) \(k.rawValue)" : nil }
        out += "\(r.findings.count) findings: \(kinds.joined(separator: ", "))\n"
        for f in r.findings.prefix(list) {
            out += "\(f.kind.rawValue) " + (f.position.map { "at position \($0)" } ?? f.treeSize.map { "at tree size \($0)" } ?? "outside the journal")
                + (f.subject.map { " \($0)" } ?? "") + (f.sequence.map { " #\($0)" } ?? "") + ": \(f.detail)\n"
        }
        if r.findings.count > list { out += "… and \(r.findings.count - list) more (--list, or --format json for all)\n" }
        return out
    }
}

/// The progress bar behind a lock, updated from the verifier's callback.
final class ProgressBarBox: @unchecked Sendable {
    private let lock = NSLock()
    private let bar: ProgressBar?

    init(_ bar: ProgressBar?) { self.bar = bar }

    func update(_ p: JournalVerification.Progress) {
        guard let bar else { return }
        lock.lock()
        defer { lock.unlock() }
        bar.total = max(Int(p.total), p.records)
        let seconds = Double(p.elapsed.components.seconds) + Double(p.elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(p.records) / seconds : 0
        let eta = rate > 0 ? Double(bar.total - p.records) / rate : 0
        bar.detail = "\(ProgressBar.grouped(Int(rate))) events/s  ETA \(Int(eta.rounded())) s" + (p.findings > 0 ? "  \(p.findings) findings" : "")
        bar.update(p.records)
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar?.finish()
    }
}
