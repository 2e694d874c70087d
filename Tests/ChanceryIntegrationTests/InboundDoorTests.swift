import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryServer
import Foundation
import NIOCore
import Testing

/// The Kafka door: integrators produce to `gov.inbound` in structured or binary content mode; valid
/// events reach the canonical topics, the rest go to `gov.deadletter` with their reason, and the
/// consumer never stops.
@Suite("Inbound door", .serialized, .timeLimit(.minutes(3)))
struct InboundDoorTests {
    static func bytes(_ v: JSONValue) -> [UInt8] { Array(Events.body(v).readableBytesView) }
    static func h(_ k: String, _ v: String) -> KafkaHeader { KafkaHeader(key: k, value: Array(v.utf8)) }

    @Test("valid records are appended, refused ones dead-lettered with code, message, pointer and origin")
    func inboundAndDeadLetters() async throws {
        try await TestCluster.with { cluster in
            let kafka = KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers)
            let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: cluster.logger)
            let inbound = cluster.node.topics.inbound
            func record(_ value: [UInt8], key: String = "case/430424/I-1", headers: [KafkaHeader] = [],
                        token: AccessToken? = TestTokens.integrator) -> KafkaProducerRecord {
                let auth = token.map { [Self.h("authorization", "Bearer \($0.text)")] } ?? []
                return KafkaProducerRecord(topic: inbound, key: Array(key.utf8), value: value, headers: headers + auth, partition: 0)
            }
            // Binary content mode: attributes in ce_ headers, data as the value.
            let binaryAccepted: [KafkaHeader] = [
                Self.h("ce_specversion", "1.0"), Self.h("ce_id", "I-1-2"), Self.h("ce_source", Events.source),
                Self.h("ce_type", "gov.approval.case.accepted"), Self.h("ce_subject", "case/430424/I-1"),
                Self.h("ce_time", "2025-03-03T10:00:00+08:00"), Self.h("ce_region", "430424"),
                Self.h("ce_expectedsequence", "1"), Self.h("content-type", "application/json"),
            ]
            _ = try await producer.send([
                record(Self.bytes(Events.submitted("I-1")), headers: [Self.h("content-type", "application/cloudevents+json")]),
                record(Self.bytes(["caseType": "promised", "promisedLimit": 5]), headers: binaryAccepted),
                record(Array("{not json".utf8)),
                record(Self.bytes(Events.setting(Events.submitted("I-2"), "region", "43"))),
                record(Self.bytes(Events.concluded("I-1"))),  // no decision yet: lifecycle violation
                record(Self.bytes(Events.setting(Events.step("I-1", id: "I-1-s"), "expectedsequence", 7))),
                record(Self.bytes(Events.submitted("I-3")), token: nil),
                record(Self.bytes(Events.setting(Events.submitted("I-4"), "source", "/430424/departments/other")), key: "case/430424/I-4"),
            ])
            await producer.shutdown()

            let door = InboundDoor(gateway: cluster.gateway, topics: cluster.node.topics, kafka: kafka, assignment: .all,
                                   resolver: TestTokens.resolver, logger: cluster.logger)
            let task = Task { try await door.run() }
            // Read the dead letters.
            let consumer = try KafkaConsumer(configuration: .init(kafka: kafka, groupID: "test-dlq"), logger: cluster.logger)
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for p in 0..<Int32(3) { offsets[KafkaTopicPartition(topic: cluster.node.topics.deadLetter, partition: p)] = 0 }
            try consumer.assign(offsets)
            var dead: [KafkaConsumerMessage] = []
            let deadline = Date().addingTimeInterval(30)
            while dead.count < 6 && Date() < deadline {
                dead += try await consumer.poll(maxCount: 10, maxWaitMilliseconds: 200)
            }
            await consumer.close()
            task.cancel()
            _ = try? await task.value

            func header(_ m: KafkaConsumerMessage, _ k: String) -> String? {
                m.headers.last { $0.key == k }?.value.map { String(decoding: $0, as: UTF8.self) }
            }
            let byCode = Dictionary(grouping: dead) { header($0, DeadLetterHeader.code) ?? "" }
            #expect(dead.count == 6)
            #expect(byCode["unauthorized"]?.count == 1)
            #expect(byCode["forbidden"].flatMap { header($0[0], DeadLetterHeader.pointer) } == "/source")
            #expect(byCode["malformed-json"]?.count == 1)
            #expect(byCode["invalid-attribute"].flatMap { header($0[0], DeadLetterHeader.pointer) } == "/region")
            #expect(byCode["lifecycle-violation"].flatMap { header($0[0], DeadLetterHeader.pointer) } == "/type")
            #expect(byCode["version-conflict"].flatMap { header($0[0], DeadLetterHeader.pointer) } == "/expectedsequence")
            for m in dead {
                #expect(header(m, DeadLetterHeader.originalTopic) == inbound)
                #expect(header(m, DeadLetterHeader.originalPartition) == "0")
                #expect(header(m, DeadLetterHeader.originalOffset).flatMap(Int64.init) != nil)
                #expect(!(header(m, DeadLetterHeader.message) ?? "").isEmpty)
                #expect(header(m, "authorization") == nil, "a dead letter never carries a credential")
            }
            // The original bytes are kept: nothing is lost.
            #expect(byCode["malformed-json"]?.first?.value == Array("{not json".utf8))
            // A retry re-sends the original record without the reason headers, naming the dead letter it retries.
            let letter = DeadLetter(record: try #require(byCode["lifecycle-violation"]?.first))
            let retry = letter.retryRecord(inboundTopic: inbound)
            #expect(retry.topic == inbound)
            #expect(retry.value == letter.record.value)
            #expect(!retry.headers.contains { $0.key.hasPrefix("error.") || $0.key.hasPrefix("original.") })
            #expect(retry.headers.last?.key == "retry.of")
            #expect(retry.headers.last?.value == Array("\(letter.record.topic)/\(letter.record.partition)/\(letter.record.offset)".utf8))

            // The two valid records reached the canonical log, in order.
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/I-1'", equals: 2)
            }
            let types = try await cluster.node.database.query("SELECT type FROM audit.events WHERE subject = 'case/430424/I-1' ORDER BY sequence")
            #expect(try types.map { try $0.decode(String.self, at: 0) } == ["gov.approval.case.submitted", "gov.approval.case.accepted"])
        }
    }

    struct FailingResolver: PrincipalResolver {
        struct Down: Error {}
        func principal(forBearer bearer: String) async throws -> Principal? { throw Down() }
    }

    @Test("when tokens cannot be checked the door stops and dead-letters nothing")
    func tokenStoreDown() async throws {
        try await TestCluster.with { cluster in
            let kafka = KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers)
            let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: cluster.logger)
            _ = try await producer.send([KafkaProducerRecord(
                topic: cluster.node.topics.inbound, key: Array("case/430424/T-1".utf8), value: Self.bytes(Events.submitted("T-1")),
                headers: [Self.h("authorization", "Bearer \(TestTokens.integrator.text)")], partition: 0)])
            await producer.shutdown()
            let door = InboundDoor(gateway: cluster.gateway, topics: cluster.node.topics, kafka: kafka, assignment: .all,
                                   resolver: FailingResolver(), logger: cluster.logger)
            await #expect(throws: InboundDoorError.self) { try await door.run() }
            let admin = try KafkaAdmin(configuration: kafka, logger: cluster.logger)
            var deadLetters: Int64 = 0
            for p in 0..<Int32(3) { deadLetters += try await admin.watermarks(.init(topic: cluster.node.topics.deadLetter, partition: p)).high }
            admin.shutdown()
            #expect(deadLetters == 0)
        }
    }
}
