import ArgumentParser
import ChanceryGateway
import ChanceryDomain
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import Foundation
import Logging

/// `chancery deadletter list|retry`: what the gateway refused, and sending it again after a fix.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadletter",
        abstract: "List dead letters, or re-submit one to the inbound topic after a fix.",
        subcommands: [List.self, Retry.self])

    struct KafkaOptions: ParsableArguments {
        @Option(name: .customLong("kafka-brokers"), help: "Kafka bootstrap servers (for the embedded broker: the address in .data/run/bootstrap).")
        var kafkaBrokers: String

        @Option(name: .customLong("topic-prefix"), help: "Prefix of every topic name.")
        var topicPrefix: String = ""
    }

    static func logger() -> Logger {
        var l = Logger(label: "chancery.deadletter")
        l.logLevel = .warning
        return l
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every dead letter with its reason and whether it was retried.")

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let topics = TopicNames(prefix: kafka.topicPrefix)
            let records = try await LogTail.records(
                topics: [topics.deadLetter], kafka: KafkaConfiguration(bootstrapServers: kafka.kafkaBrokers), logger: DeadLetterCommand.logger(), idleMilliseconds: 800)
            let deadLetterTopic = topics.deadLetter
            let retried: Set<String> = (try? await database.withClient(label: "chancery.deadletter") { client in
                var positions: Set<String> = []
                for r in try await client.query(
                    "SELECT deadletter_partition, deadletter_offset FROM audit.deadletter_retries WHERE deadletter_topic = \(deadLetterTopic)") {
                    positions.insert("\(try r.decode(Int32.self, at: 0))/\(try r.decode(Int64.self, at: 1))")
                }
                return positions
            }) ?? []
            if records.isEmpty { print("no dead letters in \(topics.deadLetter)") }
            for record in records {
                let d = DeadLetter(record: record)
                let position = "\(record.partition)/\(record.offset)"
                print("\(position)\t\(d.code)\t\(d.pointer.isEmpty ? "/" : d.pointer)\t\(d.message)")
                print("\tfrom \(d.origin)\(retried.contains(position) ? "\tretried" : "")\tkey \(record.key.map { String(decoding: $0, as: UTF8.self) } ?? "-")")
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a dead letter to the inbound topic again (optionally with a corrected value) and record the retry.")

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var database: DatabaseOptions

        @Option(help: "Partition of the dead letter.")
        var partition: Int32

        @Option(help: "Offset of the dead letter.")
        var offset: Int64

        @Option(help: "A file with the corrected record value (the event JSON, or data in binary mode).")
        var value: String?

        @OptionGroup var credentials: TokenOptions

        @Option(help: "Who retries (recorded).")
        var by: String = ProcessInfo.processInfo.environment["USER"] ?? "operator"

        func run() async throws {
            let topics = TopicNames(prefix: kafka.topicPrefix)
            let config = KafkaConfiguration(bootstrapServers: kafka.kafkaBrokers)
            let tp = KafkaTopicPartition(topic: topics.deadLetter, partition: partition)
            let records = try await LogTail.records(topics: [topics.deadLetter], kafka: config, from: [tp: offset], logger: DeadLetterCommand.logger(), idleMilliseconds: 800)
            guard let record = records.first(where: { $0.partition == partition && $0.offset == offset }) else {
                throw ValidationError("no dead letter at \(topics.deadLetter) partition \(partition) offset \(offset)")
            }
            let deadLetter = DeadLetter(record: record)
            guard credentials.resolved != nil else {
                throw ValidationError("a retry is published like any inbound record: pass --token (or set CHANCERY_TOKEN) with the right to publish it")
            }
            let corrected = try value.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            let producer = try KafkaProducer(configuration: .init(kafka: config), logger: DeadLetterCommand.logger())
            let report: KafkaDeliveryReport
            do {
                report = try await producer.send([deadLetter.retryRecord(inboundTopic: topics.inbound, value: corrected, bearerToken: credentials.resolved)])[0]
            } catch {
                await producer.shutdown()
                throw error
            }
            await producer.shutdown()
            let (deadLetterPartition, deadLetterOffset, code, retriedBy) = (partition, offset, deadLetter.code, by)
            let isCorrected = corrected != nil
            // The dead letter's journal position (its chancery-position header): GET /v1/dead-letters/{id} shows the retry.
            let position = record.headers.last { $0.key == LogPosition.header }?.value.flatMap(LogPosition.parse)
            try await database.withClient(label: "chancery.deadletter") { client in
                try await client.execute(
                    """
                    INSERT INTO audit.deadletter_retries (deadletter_topic, deadletter_partition, deadletter_offset, error_code, corrected,
                                                          inbound_topic, inbound_partition, inbound_offset, retried_by, deadletter_position)
                    VALUES (\(topics.deadLetter), \(deadLetterPartition), \(deadLetterOffset), \(code), \(isCorrected), \(report.topic), \(report.partition), \(report.offset), \(retriedBy), \(position))
                    """)
            }
            print("re-submitted \(topics.deadLetter) \(partition)/\(offset) (\(deadLetter.code)) as \(report.topic) \(report.partition)/\(report.offset)\(corrected != nil ? " with a corrected value" : "")")
        }
    }
}
