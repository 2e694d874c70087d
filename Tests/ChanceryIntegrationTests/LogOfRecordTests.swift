import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import ChanceryProjections
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

/// The log is the record (README, "The log is the record"): the journal keeps every acknowledged append, the
/// embedded broker is seeded from it at start, consumers resume from their journal positions, and a record the
/// read models cannot store is quarantined without holding back the others.
@Suite("Log of record", .serialized, .timeLimit(.minutes(5)))
struct LogOfRecordTests {
    /// Every canonical record from offset 0 to the end, by (subject, sequence) → hash.
    static func history(_ cluster: TestCluster) async throws -> [String: String] {
        let records = try await LogTail.records(topics: cluster.node.topics.allCanonical,
                                                kafka: KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers), logger: cluster.logger)
        var out: [String: String] = [:]
        for record in records {
            let event = try JSONDecoder().decode(CloudEvent.self, from: Data(record.value))
            out["\(event.subject)#\(event.sequence ?? 0)"] = event.hash
        }
        return out
    }

    static func lowWatermarksAreZero(_ cluster: TestCluster) async throws -> Bool {
        let admin = try KafkaAdmin(configuration: .init(bootstrapServers: cluster.node.bootstrapServers), logger: cluster.logger)
        defer { admin.shutdown() }
        for topic in cluster.node.topics.allCanonical {
            for p in 0..<Int32(3) where try await admin.watermarks(.init(topic: topic, partition: p)).low != 0 { return false }
        }
        return true
    }

    @Test("an acknowledged append outlives the embedded broker: a new one is seeded with the same ids, sequences and hashes")
    func acknowledgedAppendsSurviveTheBroker() async throws {
        let first = try await TestCluster.start()
        let answers = try await first.gateway.append(
            [Events.submitted("L1"), Events.accepted("L1"), Events.decided("L1")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
        #expect(answers.events.count == 3)
        let before = try await Self.history(first)
        #expect(before.count == 6)  // three catalog items and three case events
        // No consumer ran: the read models know nothing. The process dies with its in-memory broker.
        await first.stopKeepingDatabase()

        let second = try await TestCluster.start(database: first.database, seedCatalog: false)
        do {
            #expect(try await Self.history(second) == before)
            #expect(try await Self.lowWatermarksAreZero(second))
            // The gateway continues each stream where the journal left it.
            let next = try await second.gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.concluded("L1")))])
            #expect(next.events.first?.sequence == 4)
            try await second.running([second.projector()]) {
                try await second.eventually("SELECT count(*) FROM audit.events", equals: 7)
            }
            let journal = try await second.node.database.query("SELECT count(*), max(position) FROM audit.journal")
            #expect(try journal[0].decode((Int64, Int64).self) == (Int64(7), Int64(7)))
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test("after a restart consumers resume from their journal positions: nothing applied twice, nothing skipped")
    func consumersResumeAfterReseeding() async throws {
        let first = try await TestCluster.start()
        try await first.running([first.projector()]) {
            _ = try await first.gateway.append([Events.submitted("L2"), Events.accepted("L2")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
            try await first.eventually("SELECT count(*) FROM audit.events", equals: 5)
        }
        // Offsets of the old broker are stored with their journal positions.
        let stored = try await first.node.database.query(
            "SELECT count(*) FROM projection.consumer_offsets WHERE consumer_group = 'chancery-projector' AND last_position IS NOT NULL")
        #expect(try stored[0].decode(Int64.self, at: 0) > 0)
        await first.stopKeepingDatabase()

        let second = try await TestCluster.start(database: first.database, seedCatalog: false)
        do {
            let projector = second.projector()
            try await second.running([projector]) {
                _ = try await second.gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.decided("L2")))])
                try await second.eventually("SELECT count(*) FROM audit.events", equals: 6)
            }
            let db = second.node.database
            #expect(try await db.query("SELECT count(*) FROM audit.quarantine")[0].decode(Int64.self, at: 0) == 0)
            #expect(try await db.query("SELECT sum(submitted), sum(accepted) FROM approval.daily_counts")[0].decode((Int64, Int64).self) == (Int64(1), Int64(1)))
            // The re-targeted offsets point at the seeded log: every stored next offset is at most the partition's end.
            let offsets = try await db.query(
                "SELECT topic, partition, next_offset FROM projection.consumer_offsets WHERE consumer_group = 'chancery-projector'")
            let admin = try KafkaAdmin(configuration: .init(bootstrapServers: second.node.bootstrapServers), logger: second.logger)
            for row in offsets {
                let (topic, partition, next) = try row.decode((String, Int32, Int64).self)
                #expect(next <= (try await admin.watermarks(.init(topic: topic, partition: partition)).high))
            }
            admin.shutdown()
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    @Test("a record the read models cannot store is quarantined with its reason; later records still reach them")
    func unstorableRecordIsQuarantined() async throws {
        try await TestCluster.with { cluster in
            // Produced straight into the canonical topic, bypassing the gateway: a NUL character PostgreSQL's jsonb and
            // text refuse (22P05), in an otherwise well-formed first event of a stream, and bytes that are no CloudEvent.
            var poisoned = try EventValidator.validate(Events.submitted("L3"))
            poisoned.data = ["caseNumber": "L3", "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "a\u{0}b"]
            poisoned.sequence = 1
            poisoned.prevhash = CloudEvent.genesisHash
            poisoned.recordedtime = "2025-03-03T09:00:01Z"
            poisoned.hash = poisoned.computeHash()
            let producer = try KafkaProducer(configuration: .init(kafka: .init(bootstrapServers: cluster.node.bootstrapServers)), logger: cluster.logger)
            _ = try await producer.send([
                KafkaProducerRecord(topic: "gov.approval", key: Array(poisoned.subject.utf8), value: poisoned.jsonBytes()),
                KafkaProducerRecord(topic: "gov.approval", key: Array("case/430424/L3".utf8), value: Array("{not a cloud event".utf8)),
            ])
            await producer.shutdown()
            let projector = cluster.projector()
            try await cluster.running([projector]) {
                // A later event of another stream, through the gateway.
                _ = try await cluster.gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.submitted("L4")))])
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/L4'", equals: 1)
                try await cluster.eventually("SELECT count(*) FROM audit.quarantine WHERE consumer_group = 'chancery-projector'", equals: 2)
            }
            let db = cluster.node.database
            let reasons = try await db.query("SELECT reason FROM audit.quarantine WHERE consumer_group = 'chancery-projector' ORDER BY reason")
                .map { try $0.decode(String.self, at: 0) }
            #expect(reasons.count == 2)
            #expect(reasons[0].hasPrefix("apply-failed:"))
            #expect(reasons[0].contains("22P05"))
            #expect(reasons[1].hasPrefix("undecodable:"))
            #expect(try await db.query("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/L3'")[0].decode(Int64.self, at: 0) == 0)
            #expect(projector.status.snapshot.quarantined == 2)
            // Quarantined and alerted: a RecordQuarantined alert for each (region from the event, or from the key).
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually(
                    "SELECT count(*) FROM audit.events WHERE type = 'gov.supervision.alert.record.quarantined'", equals: 2)
            }
            let alerts = try await db.query(
                "SELECT event->'data'->>'reason', event->'data'->>'recordSubject', subject FROM audit.events WHERE type = 'gov.supervision.alert.record.quarantined' ORDER BY 1")
            #expect(try alerts.map { try $0.decode(String.self, at: 0) } == ["apply-failed", "undecodable"])
            #expect(try alerts.allSatisfy { try $0.decode(String?.self, at: 1) == "case/430424/L3" })
            #expect(try alerts.allSatisfy { try $0.decode(String.self, at: 2).hasPrefix("alert/430424/quarantine-chancery-projector-") })
        }
    }

    /// Waits until `gateway` reports that Kafka has not confirmed the transaction in flight for longer than its stall
    /// bound (a fixed sleep is not enough: on a busy machine the journal write before the transaction can take longer).
    static func stalled(_ gateway: Gateway) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while await gateway.healthState.state != "publishing-stalled" {
            guard ContinuousClock.now < deadline else { throw TestSetupError("the gateway never reported its publish as stalled") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("while Kafka does not confirm an append, new requests get 503 at once; the recorded append is published when it is back")
    func brokerDownRefusesNewWritesAndKeepsRecorded() async throws {
        let cluster = try await TestCluster.start(configure: { $0.publishStallBound = .milliseconds(500) })
        do {
            let broker = try #require(cluster.node.embeddedBroker)
            broker.setBrokerDown(-1)
            let gateway = cluster.gateway
            let pending = Task { try await gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.submitted("L5")))]) }
            try await Self.stalled(gateway)
            await #expect(throws: AppendFailure.self) {
                try await gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.submitted("L6")))])
            }
            #expect(await gateway.healthState.healthy == false)
            // The first append is in the journal already: it is the record.
            #expect(try await cluster.node.database.query("SELECT count(*) FROM audit.journal WHERE subject = 'case/430424/L5'")[0].decode(Int64.self, at: 0) == 1)
            broker.setBrokerUp(-1)
            let answer = try await pending.value
            #expect(answer.events.first?.sequence == 1)
            #expect(await gateway.healthState.healthy)
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/L5'", equals: 1)
            }
            #expect(try await cluster.node.database.query("SELECT count(*) FROM audit.journal WHERE subject = 'case/430424/L6'")[0].decode(Int64.self, at: 0) == 0)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test("broker faults on Produce, AddPartitionsToTxn, EndTxn, AddOffsetsToTxn and TxnOffsetCommit, and the broker down: nothing acknowledged is lost or doubled")
    func brokerFaultsLoseNothing() async throws {
        let cluster = try await TestCluster.start(configure: { $0.publishStallBound = .milliseconds(800) })
        do {
            let broker = try #require(cluster.node.embeddedBroker)
            let gateway = cluster.gateway
            func letter(_ i: Int) throws -> SubmittedEvent {
                let json: JSONValue = [
                    "specversion": "1.0", "id": .string("bf-\(i)"), "source": "/430424/mailbox", "type": "gov.interaction.letter.received",
                    "subject": .string("letter/430424/bf-\(i)"), "time": "2025-03-05T10:00:00+08:00", "region": "430424",
                    "data": ["mailbox": "county-head", "writerName": "周丽", "title": "道路破损", "content": "请维修。", "letterKind": "suggestion"],
                ]
                return SubmittedEvent(event: try EventValidator.validate(json))
            }
            // Errors of the kinds a broker returns under stress, on every request of a transaction (Kafka API keys).
            broker.pushRequestErrors(apiKey: 0, errors: [19, 19, 7])        // Produce: NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT
            broker.pushRequestErrors(apiKey: 24, errors: [15, 16])          // AddPartitionsToTxn: coordinator not available / not coordinator
            broker.pushRequestErrors(apiKey: 26, errors: [15, 16, 51])      // EndTxn: …, CONCURRENT_TRANSACTIONS
            broker.pushRequestErrors(apiKey: 25, errors: [15, 16])          // AddOffsetsToTxn
            broker.pushRequestErrors(apiKey: 28, errors: [15, 16])          // TxnOffsetCommit
            var acknowledged: Set<String> = []
            var refused = 0
            var refusedWhileStalled = 0
            for round in 0..<30 {
                let events = try (round * 10..<(round + 1) * 10).map(letter)
                if round == 10 {
                    // The broker goes down: this round's request waits until its recorded group is published; a request
                    // that arrives once the publish is stalled (bound 0.8 s) is refused at once. Then the broker is back.
                    broker.setBrokerDown(-1)
                    let waiting = Task { try await gateway.append(events) }
                    try await Self.stalled(gateway)
                    do {
                        _ = try await gateway.append(try (900..<910).map(letter))
                    } catch AppendFailure.unavailable {
                        refusedWhileStalled += 1
                    }
                    broker.setBrokerUp(-1)
                    acknowledged.formUnion(try await waiting.value.events.map(\.id))
                    continue
                }
                do {
                    let answer = try await gateway.append(events)
                    acknowledged.formUnion(answer.events.map(\.id))
                } catch AppendFailure.unavailable {
                    refused += 1
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            // The Kafka door, whose transactions carry consumer offsets, through the same faults.
            let kafka = KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers)
            broker.pushRequestErrors(apiKey: 25, errors: [15, 16])
            broker.pushRequestErrors(apiKey: 28, errors: [15, 16])
            let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: cluster.logger)
            _ = try await producer.send(try (1000..<1020).map { i in
                KafkaProducerRecord(topic: cluster.node.topics.inbound, key: Array("letter/430424/bf-\(i)".utf8),
                                    value: try letter(i).event.jsonBytes(),
                                    headers: [KafkaHeader(key: "content-type", value: Array("application/cloudevents+json".utf8)),
                                              KafkaHeader(key: "authorization", value: Array("Bearer \(TestTokens.admin.text)".utf8))])
            })
            await producer.shutdown()
            let door = InboundDoor(gateway: gateway, topics: cluster.node.topics, kafka: kafka, assignment: .all,
                                   resolver: TestTokens.resolver, logger: cluster.logger)
            let doorTask = Task {
                while !Task.isCancelled { try? await door.run(); try? await Task.sleep(for: .milliseconds(200)) }
            }
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE id LIKE 'bf-1%' AND length(id) = 7", equals: 20)
                try await cluster.eventually(
                    "SELECT count(*) FROM audit.events WHERE subject LIKE 'letter/430424/bf-%' AND id NOT LIKE 'bf-10__'", equals: Int64(acknowledged.count))
            }
            doorTask.cancel()
            _ = await doorTask.value
            let db = cluster.node.database
            // Every acknowledged event once; nothing unacknowledged beyond what the journal recorded.
            let ids = Set(try await db.query("SELECT id FROM audit.events WHERE subject LIKE 'letter/430424/bf-%'").map { try $0.decode(String.self, at: 0) })
            #expect(acknowledged.isSubset(of: ids))
            #expect(try await db.query(
                "SELECT count(*) - count(DISTINCT (source, id)) FROM audit.events WHERE subject LIKE 'letter/430424/bf-%'")[0].decode(Int64.self, at: 0) == 0)
            #expect(try await db.query(
                "SELECT count(*) FROM audit.journal WHERE subject LIKE 'letter/430424/bf-%'")[0].decode(Int64.self, at: 0) == Int64(ids.count))
            #expect(acknowledged.count + refused * 10 == 300)
            #expect(refusedWhileStalled == 1, "a request while Kafka did not confirm the one in flight is refused at once")
            #expect(try await db.query("SELECT count(*) FROM audit.journal WHERE subject LIKE 'letter/430424/bf-9__'")[0].decode(Int64.self, at: 0) == 0)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test("/health answers 503 problem+json naming a failing consumer, and 200 when every role is healthy")
    func healthTellsTheTruth() async throws {
        try await TestCluster.with { cluster in
            let status = ConsumerStatus(role: "projector", group: "chancery-projector")
            status.starting()
            status.idle()
            let health = NodeHealth(gateway: cluster.gateway, consumers: [status], maxLagSeconds: 300)
            let app = Application(router: buildRouter(database: cluster.node.database, gateway: cluster.gateway, appender: cluster.gateway,
                                                      registry: cluster.node.registry, resolver: TestTokens.resolver, health: health))
            try await app.test(.router) { client in
                let ok = try await client.read("/health", token: nil)
                #expect(ok.status == .ok)
                #expect(ok.json["roles"]?[1]?["state"] == "running")
                status.failed(PostgresError(kind: .query, message: "unsupported Unicode escape sequence", sqlState: "22P05"))
                let failing = try await client.read("/health", token: nil)
                #expect(failing.status == .serviceUnavailable)
                #expect(failing.headers[.contentType] == "application/problem+json")
                #expect(failing.headers[.retryAfter] != nil)
                #expect(failing.json["type"] == "/problems/unhealthy")
                #expect(failing.json["roles"]?[1]?["restarts"] == 1)
                #expect(failing.json["detail"]?.stringValue?.contains("projector is failing") == true)
            }
        }
    }
}
