import ArgumentParser
import ChanceryDomain
import ChanceryGateway
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `chancery export`: the log of record as CloudEvents JSON Lines (``JournalExport``), read from the journal of a
/// database — a server's, a copy, a restored dump — with no server needed.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log of record as CloudEvents JSON Lines, in log order, with every extension.",
        discussion: """
            One line per canonical event, exactly as appended (sequence, recordedtime, prevhash, hash …) plus the \
            extensions position, topic and partition (where the log of record holds it). Dead letters are not written. \
            --from and --to (inclusive) take a journal position or an RFC 3339 time (the events' recordedtime). \
            Progress on standard error; a summary on standard error at the end, so that standard output can be the export.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Comma-separated canonical topics to export, without prefix (gov.approval,gov.disclosure …); default all.")
    var topics: String?

    @Option(name: .customLong("topic-prefix"), help: "Prefix of every topic name (as the server's --topic-prefix).")
    var topicPrefix: String = ""

    @Option(help: "First journal position or recorded time (RFC 3339) to export.")
    var from: String?

    @Option(help: "Last journal position or recorded time (RFC 3339) to export.")
    var to: String?

    @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
    var output: String?

    @Option(help: "Journal rows read per query.")
    var chunk: Int = 5_000

    func selection() throws -> ExportSelection {
        let names = TopicNames(prefix: topicPrefix)
        var selection = ExportSelection()
        if let topics {
            let wanted = topics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for t in wanted where !CanonicalTopic.all.contains(t) {
                throw ValidationError("--topics: \(t) is not a canonical topic (\(CanonicalTopic.all.joined(separator: ", ")))")
            }
            guard !wanted.isEmpty else { throw ValidationError("--topics: name at least one topic") }
            selection.topics = Set(wanted.map(names.canonical))
        }
        if let from {
            guard let b = ExportBound(from) else { throw ValidationError("--from must be a journal position (1 or more) or an RFC 3339 time, not '\(from)'") }
            selection.from = b
        }
        if let to {
            guard let b = ExportBound(to) else { throw ValidationError("--to must be a journal position (1 or more) or an RFC 3339 time, not '\(to)'") }
            selection.to = b
        }
        return selection
    }

    func validate() throws {
        guard chunk > 0 else { throw ValidationError("--chunk must be positive") }
        _ = try selection()
    }

    func run() async throws {
        let selection = try selection()
        let out: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else { throw ValidationError("cannot create \(output)") }
            guard let handle = FileHandle(forWritingAtPath: output) else { throw ValidationError("cannot write \(output)") }
            out = handle
        } else {
            out = FileHandle.standardOutput
        }
        let writer = BufferedWriter(out)
        let bar = LockedProgressBar(title: "exporting", total: 0)
        let start = Date()
        let chunk = self.chunk
        let report = try await database.withClient(label: "chancery.export") { client in
            try await JournalExport.run(database: client, selection: selection, chunk: chunk, write: { try writer.write($0) }) { p in
                let seconds = Date().timeIntervalSince(start)
                let rate = seconds > 0 ? Double(p.written) / seconds : 0
                bar.set(Int(p.position), of: Int(p.total), detail: "\(ProgressBar.grouped(p.written)) events  \(ProgressBar.grouped(Int(rate))) events/s")
            }
        }
        try writer.flush()
        if output != nil { try out.close() }
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        let rate = seconds > 0 ? Int(Double(report.events) / seconds) : report.events
        FileHandle.standardError.write(Data(("exported \(ProgressBar.grouped(report.events)) events (\(ProgressBar.grouped(report.bytes)) bytes, up to journal position \(report.lastPosition)) "
            + "in \(String(format: "%.1f", seconds)) s (\(ProgressBar.grouped(rate)) events/s)" + (output.map { " to \($0)" } ?? "") + "\n").utf8))
    }
}

/// Collects lines and writes them to a file handle in blocks of about 1 MiB.
final class BufferedWriter: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
