import ArgumentParser
import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import Foundation
import Logging

/// `chancery restore FILE`: an export (``JournalExport``) becomes the log of record of an empty database, and is
/// produced into an empty Kafka cluster when `--kafka-brokers` names one (``JournalRestore``).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Publish an export into an empty database (the log of record) and, with --kafka-brokers, an empty Kafka cluster.",
        discussion: """
            Ids, sources, sequences, recorded times, prevhashes and hashes are kept byte for byte; each event takes the \
            next journal position in the file's order. The database must be empty (no journal, no events, no checkpoints): \
            a new database, migrated by this command. With the embedded broker, start the server on the database \
            afterwards: it seeds its broker from the journal and the projector and the supervisor build every read model \
            from it. Then chancery verify checks the restored log. Nothing is written when a line is not an exported event.
            """)

    @Argument(help: "The export (chancery export), CloudEvents JSON Lines; - for standard input.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("kafka-brokers"), help: "An empty Kafka cluster to produce the events into (default: none; the embedded broker is seeded by the server at start).")
    var kafkaBrokers: String?

    @Option(name: .customLong("topic-prefix"), help: "Prefix of every topic name (as the server's --topic-prefix).")
    var topicPrefix: String = ""

    @Option(name: .customLong("partitions"), help: "Partitions per topic, for topics the database's journal has not recorded (as the server's --partitions).")
    var partitions: Int32 = 32

    func validate() throws {
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1") }
        guard file == "-" || FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("\(file) does not exist or cannot be read") }
    }

    func run() async throws {
        var quiet = Logger(label: "chancery.restore")
        quiet.logLevel = .warning
        let logger = quiet
        let topics = TopicNames(prefix: topicPrefix)
        let start = Date()
        let file = self.file, partitions = self.partitions, kafkaBrokers = self.kafkaBrokers
        // A JournalError (a non-empty target, a line that is not an exported event) ends the command with exit status 1
        // and its description.
        let report: JournalRestore.Report = try await database.withClient(label: "chancery.restore", migrate: true) { client in
            try await JournalRestore.requireEmpty(database: client)
            let counts = try await PostgresEventJournal(database: client).partitionCounts()
            let reader = try LineReader(path: file)
            let reading = ProgressBar(title: "reading", total: 0)
            let plan = try JournalRestore.plan(nextLine: { try reader.next() }, topics: topics, partitionCounts: counts, partitions: partitions) { p in
                reading.total = p.done
                reading.update(p.done)
            }
            reading.finish()
            if let kafkaBrokers {
                try await JournalRestore.requireEmpty(kafka: KafkaConfiguration(bootstrapServers: kafkaBrokers), partitionCounts: plan.partitionCounts, logger: logger)
            }
            let bar = LockedProgressBar(title: "restoring", total: plan.records.count)
            let written = try await JournalRestore.write(plan, database: client) { p in bar.set(p.done, detail: Self.rate(p.done, since: start)) }
            bar.finish()
            if let kafkaBrokers {
                let producing = LockedProgressBar(title: "producing", total: plan.records.count)
                _ = try await JournalRestore.restore(into: client, kafka: KafkaConfiguration(bootstrapServers: kafkaBrokers), logger: logger) { n in
                    producing.set(n, detail: "")
                }
                producing.finish()
            }
            return written
        }
        let seconds = Date().timeIntervalSince(start)
        let rate = seconds > 0 ? Int(Double(report.events) / seconds) : report.events
        print("restored \(ProgressBar.grouped(report.events)) events of \(ProgressBar.grouped(report.streams)) streams (\(ProgressBar.grouped(report.bytes)) bytes) "
              + "in \(String(format: "%.1f", seconds)) s (\(ProgressBar.grouped(rate)) events/s)"
              + (kafkaBrokers == nil ? "; start the server on this database to seed its broker and build the read models, then chancery verify" : ""))
    }

    static func rate(_ done: Int, since start: Date) -> String {
        let seconds = Date().timeIntervalSince(start)
        return seconds > 0 ? "\(ProgressBar.grouped(Int(Double(done) / seconds))) events/s" : ""
    }
}

/// Reads a file (or standard input, `-`) line by line in blocks of 1 MiB; lines are returned without their newline.
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let h = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
            handle = h
        }
    }

    /// The next line, or nil at the end of the file.
    func next() throws -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            if let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { buffer.append(contentsOf: data) } else { atEnd = true }
        }
    }
}
