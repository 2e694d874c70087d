import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
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
                // A publisher still on version 1 of CaseAccepted (no promisedLimitUnit) pins it.
                Self.h("ce_dataschema", "urn:chancery:schema:gov.approval.case.accepted:1"),
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
            let dead = try await Self.deadLetters(cluster, atLeast: 6)
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

    /// The dead letters, read from the start of every partition until there are `count` or 30 s passed.
    static func deadLetters(_ cluster: TestCluster, atLeast count: Int) async throws -> [KafkaConsumerMessage] {
        let kafka = KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers)
        let consumer = try KafkaConsumer(configuration: .init(kafka: kafka, groupID: "test-dead-letters"), logger: cluster.logger)
        var offsets: [KafkaTopicPartition: Int64] = [:]
        for p in 0..<Int32(3) { offsets[KafkaTopicPartition(topic: cluster.node.topics.deadLetter, partition: p)] = 0 }
        try consumer.assign(offsets)
        var dead: [KafkaConsumerMessage] = []
        let deadline = Date().addingTimeInterval(30)
        while dead.count < count && Date() < deadline {
            dead += try await consumer.poll(maxCount: 20, maxWaitMilliseconds: 200)
        }
        await consumer.close()
        return dead
    }

    /// One bad record of the matrix and the dead-letter reason it must get.
    struct BadRecord {
        var key: String
        var value: [UInt8]
        var headers: [KafkaHeader] = [Self.structured]
        var code: String
        var pointer: String
        static let structured = InboundDoorTests.h("content-type", "application/cloudevents+json")
    }

    static func json(_ v: JSONValue) -> [UInt8] { bytes(v) }
    static func without(_ key: String, _ v: JSONValue) -> JSONValue {
        guard case .object(var o) = v else { return v }
        o[key] = nil
        return .object(o)
    }

    /// Every kind of bad input, each on its own stream (the key names it).
    static let matrix: [BadRecord] = [
        BadRecord(key: "case/430424/K-json", value: Array("{\"id\": ".utf8), code: "malformed-json", pointer: ""),
        BadRecord(key: "case/430424/K-missing", value: json(without("id", Events.submitted("K-missing"))), code: "missing-attribute", pointer: "/id"),
        BadRecord(key: "case/430424/K-typed", value: json(Events.setting(Events.submitted("K-typed"), "source", 42)), code: "invalid-attribute", pointer: "/source"),
        BadRecord(key: "case/430424/K-type", value: json(Events.setting(Events.submitted("K-type"), "type", "gov.approval.case.teleported")),
                  code: "unknown-type", pointer: "/type"),
        BadRecord(key: "case/990000/K-region", value: json(Events.setting(Events.setting(Events.submitted("K-region"), "region", "990000"), "subject", "case/990000/K-region")),
                  code: "unknown-region", pointer: "/region"),
        BadRecord(key: "case/430424/K-life", value: json(Events.concluded("K-life")), code: "lifecycle-violation", pointer: "/type"),
        BadRecord(key: "case/430424/K-version", value: json(Events.setting(Events.submitted("K-version"), "expectedsequence", 5)),
                  code: "version-conflict", pointer: "/expectedsequence"),
        BadRecord(key: "case/430424/K-dup", value: json(Events.setting(Events.submitted("K-ok", id: "K-ok-1"), "time", "2025-03-03T09:30:00+08:00")),
                  code: "duplicate-id-conflict", pointer: "/id"),
        BadRecord(key: "case/430424/K-big", value: json(Events.setting(Events.submitted("K-big"), "data",
                  ["caseNumber": "K-big", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": .string(String(repeating: "张", count: 200_000))])),
                  code: "payload-too-large", pointer: ""),
        BadRecord(key: "case/430424/K-media", value: json(Events.submitted("K-media")), headers: [h("content-type", "application/xml")],
                  code: "unsupported-media-type", pointer: ""),
        BadRecord(key: "case/430424/K-item", value: json(Events.setting(Events.submitted("K-item"), "data",
                  ["caseNumber": "K-item", "itemCode": "NO-SUCH-ITEM", "departmentCode": "test", "applicantName": "张三"])),
                  code: "catalog-violation", pointer: "/data/itemCode"),
        BadRecord(key: "case/430424/K-data", value: json(Events.setting(Events.submitted("K-data"), "data", ["caseNumber": "K-data"])),
                  code: "invalid-data", pointer: "/data/itemCode"),
        // Values the PostgreSQL read models cannot store (StorageLimits).
        BadRecord(key: "case/430424/K-nul", value: json(Events.setting(Events.submitted("K-nul"), "data",
                  ["caseNumber": "K-nul", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "a\u{0}b"])),
                  code: "unstorable-value", pointer: "/data/applicantName"),
        BadRecord(key: "case/430424/K-surrogate", value: Array(String(decoding: json(Events.submitted("K-surrogate")), as: UTF8.self)
                  .replacingOccurrences(of: "张三", with: "\\udc00").utf8), code: "unstorable-value", pointer: "/data/applicantName"),
        // Binary content mode: the value is data, so its pointers start with /data; a NUL in a ce_ header is refused at the attribute.
        BadRecord(key: "case/430424/K-nul-binary", value: json(["caseNumber": "K-nul-binary", "itemCode": "430424XK001", "departmentCode": "test",
                  "applicantName": "a\u{0}b"]), headers: binary("K-nul-binary"), code: "unstorable-value", pointer: "/data/applicantName"),
        BadRecord(key: "case/430424/K-nul-header", value: json(["caseNumber": "K-nul-header", "itemCode": "430424XK001", "departmentCode": "test",
                  "applicantName": "张三"]), headers: binary("K-nul-header", id: "K-nul-header-1\u{0}"), code: "unstorable-value", pointer: "/id"),
    ]

    /// The ce_ headers of a binary-mode CaseSubmitted on stream `case/430424/<n>`.
    static func binary(_ n: String, id: String? = nil) -> [KafkaHeader] {
        [h("ce_specversion", "1.0"), h("ce_id", id ?? "\(n)-1"), h("ce_source", Events.source), h("ce_type", "gov.approval.case.submitted"),
         h("ce_subject", "case/430424/\(n)"), h("ce_time", "2025-03-03T09:00:00+08:00"), h("ce_region", "430424"), h("content-type", "application/json")]
    }

    @Test("every kind of bad input is dead-lettered with its exact code and pointer, and the door keeps going")
    func badInputMatrix() async throws {
        try await TestCluster.with { cluster in
            let kafka = KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers)
            let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: cluster.logger)
            let inbound = cluster.node.topics.inbound
            let auth = Self.h("authorization", "Bearer \(TestTokens.integrator.text)")
            func record(_ key: String, _ value: [UInt8], _ headers: [KafkaHeader]) -> KafkaProducerRecord {
                KafkaProducerRecord(topic: inbound, key: Array(key.utf8), value: value, headers: headers + [auth], partition: 0)
            }
            // A valid case first (the duplicate-id record reuses its id), then every bad record, then another valid one.
            var records = [record("case/430424/K-ok", Self.json(Events.submitted("K-ok", id: "K-ok-1")), [BadRecord.structured])]
            records += Self.matrix.map { record($0.key, $0.value, $0.headers) }
            records.append(record("case/430424/K-last", Self.json(Events.submitted("K-last")), [BadRecord.structured]))
            _ = try await producer.send(records)
            await producer.shutdown()

            let door = InboundDoor(gateway: cluster.gateway, topics: cluster.node.topics, kafka: kafka, assignment: .all,
                                   resolver: TestTokens.resolver, logger: cluster.logger)
            let task = Task { try await door.run() }
            let dead = try await Self.deadLetters(cluster, atLeast: Self.matrix.count)

            func header(_ m: KafkaConsumerMessage, _ k: String) -> String? {
                m.headers.last { $0.key == k }?.value.map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(dead.count == Self.matrix.count)
            let byKey = Dictionary(dead.map { (String(decoding: $0.key ?? [], as: UTF8.self), $0) }) { first, _ in first }
            for bad in Self.matrix {
                let letter = try #require(byKey[bad.key], "no dead letter for \(bad.key)")
                #expect(header(letter, DeadLetterHeader.code) == bad.code, "\(bad.key)")
                #expect(header(letter, DeadLetterHeader.pointer) == bad.pointer, "\(bad.key)")
                #expect(!(header(letter, DeadLetterHeader.message) ?? "").isEmpty, "\(bad.key)")
                #expect(letter.value == bad.value, "\(bad.key): the original bytes are kept")
                #expect(header(letter, DeadLetterHeader.originalTopic) == inbound)
            }
            // The door did not stop: the valid record after all the bad ones was appended, and it is still running.
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject IN ('case/430424/K-ok', 'case/430424/K-last')", equals: 2)
            }
            #expect(try await cluster.node.database.query("SELECT count(*) FROM audit.events WHERE subject LIKE 'case/%'")[0].decode(Int64.self, at: 0) == 2)
            task.cancel()
            _ = try? await task.value
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
