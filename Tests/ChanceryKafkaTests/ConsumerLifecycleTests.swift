import ChanceryKafka
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ConsumerLifecycleTests {
    private func makeConsumer(_ broker: EmbeddedKafkaBroker, group: String) throws -> KafkaConsumer {
        try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers), groupID: group),
            logger: testLogger
        )
    }

    @Test func closeAfterBreakingOutOfTheLoopReturns() async throws {
        let topic = "lifecycle"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers)),
            logger: testLogger
        )
        _ = try await producer.send((0..<3).map { KafkaProducerRecord(topic: topic, value: [UInt8($0)], partition: 0) })
        await producer.shutdown()

        let consumer = try self.makeConsumer(broker, group: "breaker")
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0): 0])
        var first: [KafkaConsumerMessage] = []
        for try await batch in consumer.messageBatches(maxCount: 1) {
            first = batch
            break
        }
        #expect(first.map(\.offset) == [0])

        await consumer.close()
        await consumer.close()  // idempotent

        var iterator = consumer.messageBatches().makeAsyncIterator()
        let afterClose = try await iterator.next()
        #expect(afterClose == nil)
        await #expect(throws: KafkaError.self) {
            try await consumer.commit([KafkaTopicPartition(topic: topic, partition: 0): 1])
        }
    }

    @Test func closeEndsAnIterationWaitingForMessages() async throws {
        let topic = "quiet"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let consumer = try self.makeConsumer(broker, group: "waiter")
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0): 0])

        let started = AsyncStream<Void>.makeStream()
        let reader = Task {
            var batches = 0
            started.continuation.yield()
            for try await _ in consumer.messageBatches(maxWaitMilliseconds: 50) { batches += 1 }
            return batches
        }
        for await _ in started.stream { break }
        await consumer.close()
        #expect(try await reader.value == 0)
    }

    @Test func manualCommitIsReadBack() async throws {
        let topic = "commits"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let consumer = try self.makeConsumer(broker, group: "committer")
        let tp = KafkaTopicPartition(topic: topic, partition: 0)

        let before = try await consumer.committed([tp])
        #expect(before[tp] == .some(nil))
        try await consumer.commit([tp: 42])
        let after = try await consumer.committed([tp])
        #expect(after[tp] == 42)
        await consumer.close()
    }
}
