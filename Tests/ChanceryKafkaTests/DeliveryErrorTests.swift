import ChanceryKafka
import Testing

@Suite(.timeLimit(.minutes(1)))
struct DeliveryErrorTests {
    /// Kafka protocol ApiKey of ProduceRequest.
    private let produceAPIKey: Int16 = 0
    /// INVALID_RECORD: a permanent, non-retriable produce error that (unlike
    /// TOPIC_AUTHORIZATION_FAILED) does not make librdkafka refuse later records for the topic.
    private let invalidRecord: Int32 = 87

    @Test(arguments: [true, false])
    func produceErrorSurfacesAsKafkaError(idempotent: Bool) async throws {
        let topic = "guarded"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers),
                enableIdempotence: idempotent
            ),
            logger: testLogger
        )

        broker.pushRequestErrors(apiKey: self.produceAPIKey, errors: [self.invalidRecord])
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("denied"), partition: 0)])
        }
        #expect(error?.code == self.invalidRecord)
        #expect(error?.name == "INVALID_RECORD")
        #expect(error?.isRetriable == false)

        // The error stack is used up: the next record goes through.
        let reports = try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("allowed"), partition: 0)])
        #expect(reports.count == 1)
        await producer.shutdown()
    }

    @Test func unknownPartitionIsRefusedAtEnqueue() async throws {
        let topic = "small"
        let broker = try makeBroker(topic: topic, partitions: 1)
        defer { broker.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers)),
            logger: testLogger
        )
        // Learn the topic's metadata first, so partition 7 is known not to exist.
        _ = try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("ok"), partition: 0)])
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send([KafkaProducerRecord(topic: topic, value: bytes("nowhere"), partition: 7)])
        }
        #expect(error?.name == "_UNKNOWN_PARTITION")
        await producer.shutdown()
    }

    @Test func sendAfterShutdownThrows() async throws {
        let broker = try makeBroker(topic: "closed", partitions: 1)
        defer { broker.shutdown() }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: broker.bootstrapServers)),
            logger: testLogger
        )
        await producer.shutdown()
        await producer.shutdown()  // idempotent
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send([KafkaProducerRecord(topic: "closed", value: [1])])
        }
        #expect(error?.name == "_DESTROY")
    }

    @Test func invalidPropertyIsRejectedByInit() throws {
        var kafka = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
        kafka.additionalProperties["no.such.property"] = "1"
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: testLogger)
        }
        #expect(error?.name == "_INVALID_ARG")
        #expect(error?.message.contains("no.such.property") == true)
    }
}
