import ChanceryKafka
import Testing

@Suite(.timeLimit(.minutes(1)))
struct AdminTests {
    @Test func watermarksAndMetadataReflectProducedRecords() async throws {
        let topic = "metered"
        let broker = try makeBroker(topic: topic, partitions: 2)
        defer { broker.shutdown() }
        let kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: testLogger)
        _ = try await producer.send((0..<7).map { KafkaProducerRecord(topic: topic, value: [UInt8($0)], partition: 1) })
        await producer.shutdown()

        let admin = try KafkaAdmin(configuration: kafka, logger: testLogger)
        defer { admin.shutdown() }
        let p1 = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: 1))
        let p0 = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: 0))
        #expect(p1.low == 0 && p1.high == 7)
        #expect(p0.low == 0 && p0.high == 0)

        #expect(try await admin.partitionCount(topic: topic) == 2)
        #expect(try await admin.topics()[topic] == 2)
        let error = await #expect(throws: KafkaError.self) { try await admin.partitionCount(topic: "absent") }
        #expect(error?.name == "UNKNOWN_TOPIC_OR_PART")
    }

    @Test func queriesFailWhileBrokerIsDownAndRecoverWhenItIsUp() async throws {
        let topic = "flaky"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let admin = try KafkaAdmin(
            configuration: KafkaConfiguration(
                bootstrapServers: broker.bootstrapServers,
                additionalProperties: ["reconnect.backoff.max.ms": "200"]
            ),
            logger: testLogger
        )
        defer { admin.shutdown() }
        let tp = KafkaTopicPartition(topic: topic, partition: 0)

        broker.setBrokerDown(1)
        await #expect(throws: KafkaError.self) { try await admin.watermarks(tp, timeoutMilliseconds: 500) }
        broker.setBrokerUp(1)
        let marks = try await admin.watermarks(tp, timeoutMilliseconds: 20000)
        #expect(marks.high == 0)
    }

    @Test func queryAfterShutdownThrows() async throws {
        let broker = try makeBroker(topic: "t", partitions: 1)
        defer { broker.shutdown() }
        let admin = try KafkaAdmin(configuration: KafkaConfiguration(bootstrapServers: broker.bootstrapServers), logger: testLogger)
        admin.shutdown()
        admin.shutdown()
        let error = await #expect(throws: KafkaError.self) { try await admin.topics() }
        #expect(error?.name == "_DESTROY")
    }
}
