import ChanceryKafka
import Testing

/// The mock cluster accepts the transactional protocol but neither filters aborted records nor
/// fences producers, so these tests cover the client-side flow only.
@Suite(.timeLimit(.minutes(1)))
struct TransactionTests {
    private func makeTransactionalProducer(_ broker: EmbeddedKafkaBroker, id: String) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers),
                transactionalID: id
            ),
            logger: testLogger
        )
    }

    @Test func committedTransactionIsConsumedReadCommitted() async throws {
        let topic = "ledger"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let producer = try self.makeTransactionalProducer(broker, id: "tx-commit")

        try await producer.initTransactions()
        try producer.beginTransaction()
        let values = ["debit", "credit", "balance"]
        let reports = try await producer.send(values.map { KafkaProducerRecord(topic: topic, key: bytes("acct-1"), value: bytes($0), partition: 0) })
        try await producer.commitTransaction()
        await producer.shutdown()

        #expect(reports.count == 3)
        #expect(reports.allSatisfy { $0.partition == 0 && $0.offset >= 0 })

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers),
                groupID: "tx-reader",
                isolationLevel: .readCommitted
            ),
            logger: testLogger
        )
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0): 0])
        let messages = try await collect(consumer, count: values.count)
        await consumer.close()

        #expect(messages.map { string($0.value) } == values)
        #expect(messages.map(\.offset) == reports.map(\.offset))
    }

    @Test func abortTransactionSucceedsAndProducerCanCommitAfterwards() async throws {
        let topic = "aborts"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let producer = try self.makeTransactionalProducer(broker, id: "tx-abort")

        try await producer.initTransactions()
        try producer.beginTransaction()
        _ = try await producer.send([
            KafkaProducerRecord(topic: topic, value: bytes("a1"), partition: 0),
            KafkaProducerRecord(topic: topic, value: bytes("a2"), partition: 0),
        ])
        try await producer.abortTransaction()

        try producer.beginTransaction()
        let reports = try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("c1"), partition: 0)])
        try await producer.commitTransaction()
        await producer.shutdown()

        #expect(reports.count == 1)
    }

    @Test func beginTransactionWithoutInitThrowsKafkaError() async throws {
        let broker = try makeBroker(topic: "unused", partitions: 1)
        defer { broker.shutdown() }
        let producer = try self.makeTransactionalProducer(broker, id: "tx-no-init")
        #expect(throws: KafkaError.self) { try producer.beginTransaction() }
        await producer.shutdown()
    }

    @Test func sendOffsetsToTransactionForAConsumerGroup() async throws {
        let input = "commands"
        let output = "events"
        let broker = try makeBroker(topic: input, partitions: 2)
        defer { broker.shutdown() }
        try broker.createTopic(output, partitions: 1)

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers),
                groupID: "processor"
            ),
            logger: testLogger
        )
        let producer = try self.makeTransactionalProducer(broker, id: "tx-offsets")

        try await producer.initTransactions()
        try producer.beginTransaction()
        _ = try await producer.send([KafkaProducerRecord(topic: output, value: bytes("processed"), partition: 0)])
        try await producer.sendOffsetsToTransaction(
            [KafkaTopicPartition(topic: input, partition: 0): 5, KafkaTopicPartition(topic: input, partition: 1): 3],
            consumer: consumer
        )
        try await producer.commitTransaction()

        // With the consumer closed, its group metadata is gone: a clean KafkaError, no crash.
        await consumer.close()
        try producer.beginTransaction()
        let error = await #expect(throws: KafkaError.self) {
            try await producer.sendOffsetsToTransaction([KafkaTopicPartition(topic: input, partition: 0): 6], consumer: consumer)
        }
        #expect(error?.name == "_DESTROY")
        try await producer.abortTransaction()
        await producer.shutdown()
    }
}

@Suite(.timeLimit(.minutes(1)))
struct TransactionErrorTests {
    @Test func failedProduceInTransactionRequiresAbort() async throws {
        let topic = "strict"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers),
                transactionalID: "tx-requires-abort"
            ),
            logger: testLogger
        )
        try await producer.initTransactions()
        try producer.beginTransaction()
        broker.pushRequestErrors(apiKey: 0, errors: [87])  // Produce → INVALID_RECORD
        await #expect(throws: KafkaError.self) {
            try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("bad"), partition: 0)])
        }
        let commitError = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commitError?.txnRequiresAbort == true)
        try await producer.abortTransaction()

        // librdkafka 2.0.2 marks the failed record's sequence gap as "requires epoch bump", so
        // the first transaction after the abort can fail again (its records purged with
        // `_PURGE_QUEUE`, commit reporting txnRequiresAbort). The standard loop recovers.
        var committed = false
        for _ in 0..<3 where !committed {
            try producer.beginTransaction()
            do {
                _ = try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("good"), partition: 0)])
                try await producer.commitTransaction()
                committed = true
            } catch let error as KafkaError {
                #expect(!error.isFatal)
                try await producer.abortTransaction()
            }
        }
        #expect(committed)
        await producer.shutdown()
    }
}
