import ChanceryKafka
import Foundation
import Logging
import Testing

/// Logger for tests: warnings and above from librdkafka and the clients.
let testLogger: Logger = {
    var logger = Logger(label: "chancery.kafka.tests")
    logger.logLevel = ProcessInfo.processInfo.environment["KAFKA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return logger
}()

/// A started embedded broker with one topic created.
func makeBroker(topic: String, partitions: Int32) throws -> EmbeddedKafkaBroker {
    let broker = try EmbeddedKafkaBroker(logger: testLogger)
    try broker.createTopic(topic, partitions: partitions)
    return broker
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

func string(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

/// Iterates `consumer`'s batches until at least `count` messages arrived, then leaves the loop.
func collect(_ consumer: KafkaConsumer, count: Int) async throws -> [KafkaConsumerMessage] {
    var messages: [KafkaConsumerMessage] = []
    for try await batch in consumer.messageBatches(maxCount: 100, maxWaitMilliseconds: 50) {
        #expect(!batch.isEmpty)
        messages += batch
        if messages.count >= count { break }
    }
    return messages
}

/// A lock-protected value for recording what callbacks saw.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: Value

    init(_ value: Value) { self.storage = value }

    var value: Value {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.storage
    }

    func update(_ body: (inout Value) -> Void) {
        self.lock.lock()
        defer { self.lock.unlock() }
        body(&self.storage)
    }
}
