import ChanceryKafka
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ProduceConsumeTests {
    @Test func keysHeadersValuesAndOffsetsRoundTripWithManualAssignment() async throws {
        let topic = "orders"
        let broker = try makeBroker(topic: topic, partitions: 3)
        defer { broker.shutdown() }
        let kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers, clientID: "roundtrip")

        let records = [
            KafkaProducerRecord(
                topic: topic, key: bytes("k0"), value: bytes("v0"),
                headers: [KafkaHeader(key: "type", value: bytes("created")), KafkaHeader(key: "trace", value: nil)],
                partition: 1
            ),
            KafkaProducerRecord(topic: topic, key: nil, value: bytes("v1"), partition: 1),
            KafkaProducerRecord(
                topic: topic, key: [], value: [],
                headers: [KafkaHeader(key: "dup", value: bytes("a")), KafkaHeader(key: "dup", value: [])],
                partition: 1
            ),
            KafkaProducerRecord(topic: topic, key: [0, 255, 7], value: [1, 2, 3, 0, 250], partition: 1),
        ]

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: testLogger)
        let reports = try await producer.send(records)
        await producer.shutdown()

        #expect(reports == (0..<4).map { KafkaDeliveryReport(topic: topic, partition: 1, offset: Int64($0)) })

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "roundtrip"),
            logger: testLogger
        )
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 1): 0])
        let messages = try await collect(consumer, count: records.count)
        await consumer.close()

        #expect(messages.count == records.count)
        #expect(messages.map(\.offset) == [0, 1, 2, 3])
        #expect(messages.allSatisfy { $0.topic == topic && $0.partition == 1 })
        #expect(messages.allSatisfy { $0.timestampMilliseconds != nil })
        for (message, record) in zip(messages, records) {
            #expect(message.key == record.key)
            #expect(message.value == record.value)
            #expect(message.headers == record.headers)
        }
    }

    @Test func keyedRecordsWithoutPartitionUseThePartitionerConsistently() async throws {
        let topic = "keyed"
        let broker = try makeBroker(topic: topic, partitions: 4)
        defer { broker.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers)),
            logger: testLogger
        )
        let keys = ["alpha", "beta", "gamma", "delta", "alpha", "beta", "gamma", "delta"]
        let reports = try await producer.send(keys.map { KafkaProducerRecord(topic: topic, key: bytes($0), value: bytes($0)) })
        await producer.shutdown()

        #expect(reports.count == keys.count)
        for index in 0..<4 {
            #expect(reports[index].partition == reports[index + 4].partition)
            #expect(reports[index].offset < reports[index + 4].offset)
        }
    }
}
