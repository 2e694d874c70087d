import ChanceryKafka
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ConsumerGroupTests {
    /// One group join (~3 s on the mock cluster): the offsets returned by onAssign are where
    /// reading starts, and onRevoke hears about the partitions when the consumer leaves.
    @Test func subscriptionHonoursOffsetsReturnedByOnAssign() async throws {
        let topic = "stream"
        let broker = try makeBroker(topic: topic, partitions: 2)
        defer { broker.shutdown() }
        let kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: testLogger)
        for partition in Int32(0)...1 {
            _ = try await producer.send((0..<10).map { KafkaProducerRecord(topic: topic, value: bytes("p\(partition)-\($0)"), partition: partition) })
        }
        await producer.shutdown()

        let p0 = KafkaTopicPartition(topic: topic, partition: 0)
        let p1 = KafkaTopicPartition(topic: topic, partition: 1)
        let startOffsets: [KafkaTopicPartition: Int64] = [p0: 4, p1: 7]
        let assigned = Recorder<[KafkaTopicPartition]>([])
        let revoked = Recorder<[KafkaTopicPartition]>([])

        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(kafka: kafka, groupID: "projector"), logger: testLogger)
        try consumer.subscribe(
            topics: [topic],
            onAssign: { partitions in
                assigned.update { $0 += partitions }
                return startOffsets.filter { partitions.contains($0.key) }
            },
            onRevoke: { partitions in revoked.update { $0 += partitions } }
        )
        let messages = try await collect(consumer, count: 6 + 3)
        await consumer.close()

        #expect(Set(assigned.value) == [p0, p1])
        #expect(Set(revoked.value) == [p0, p1])
        let byPartition = Dictionary(grouping: messages, by: \.partition)
        #expect(byPartition[0]?.map(\.offset) == Array(4..<10))
        #expect(byPartition[1]?.map(\.offset) == Array(7..<10))
        #expect(byPartition[0]?.first.flatMap { string($0.value) } == "p0-4")
    }
}
