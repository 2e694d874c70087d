import ChanceryDomain
import ChanceryGateway
import ChanceryServer
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// DESIGN.md guarantees 1–3 and 9, through the HTTP door, the embedded broker and PostgreSQL.
@Suite("Guarantees", .serialized, .timeLimit(.minutes(5)))
struct GuaranteeTests {
    @Test("1: a 2xx append is in every read model exactly once, even when the broker delivers a record twice")
    func appendAppearsExactlyOnce() async throws {
        try await TestCluster.with { cluster in
            let app = cluster.application()
            try await cluster.running([cluster.projector(), cluster.supervisor()]) {
                try await app.test(.router) { client in
                    let r = try await client.post([Events.submitted("G1-1"), Events.accepted("G1-1"), Events.decided("G1-1"), Events.concluded("G1-1")])
                    #expect(r.status == .created)
                    #expect(r.json["events"]?.arrayValue?.count == 4)
                }
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/G1-1'", equals: 4)
                try await cluster.eventually("SELECT count(*) FROM supervision.case_clocks WHERE subject = 'case/430424/G1-1' AND status = 'concluded'", equals: 1)
                // The broker delivers the acceptance again (as a real broker may on retry, or the mock does with aborted records).
                let db = cluster.node.database
                let raw = try await db.query("SELECT event::text, topic FROM audit.events WHERE subject = 'case/430424/G1-1' AND sequence = 2")
                let producer = try KafkaProducer(configuration: .init(kafka: .init(bootstrapServers: cluster.node.bootstrapServers)), logger: cluster.logger)
                let original = try JSONDecoder().decode(CloudEvent.self, from: Data(try raw[0].decode(String.self, at: 0).utf8))
                _ = try await producer.send([KafkaProducerRecord(topic: try raw[0].decode(String.self, at: 1), key: Array(original.subject.utf8), value: original.jsonBytes())])
                // And a forged record that skips a sequence number: a gap, quarantined, never applied.
                var forged = original
                forged.id = "forged"
                forged.sequence = 9
                forged.hash = forged.computeHash()
                _ = try await producer.send([KafkaProducerRecord(topic: try raw[0].decode(String.self, at: 1), key: Array(original.subject.utf8), value: forged.jsonBytes())])
                await producer.shutdown()
                try await cluster.eventually("SELECT count(*) FROM audit.quarantine WHERE consumer_group = 'chancery-projector'", equals: 1)
                #expect(try await db.query("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/G1-1'")[0].decode(Int64.self, at: 0) == 4)
                let counts = try await db.query("SELECT sum(submitted), sum(accepted), sum(concluded) FROM approval.daily_counts")[0]
                #expect(try counts.decode((Int64, Int64, Int64).self) == (Int64(1), Int64(1), Int64(1)))
                let row = try await db.query("SELECT status, working_days_used, outcome FROM approval.cases WHERE subject = 'case/430424/G1-1'")[0]
                #expect(try row.decode((String, Int, String).self) == ("concluded", 2, "early"))
                #expect(try await db.query("SELECT sequence FROM approval.stream_heads WHERE stream = 'case/430424/G1-1'")[0].decode(Int64.self, at: 0) == 4)
            }
        }
    }

    @Test("2: of concurrent appends with the same expected version exactly one wins; versions stay contiguous")
    func concurrentAppendsOneWins() async throws {
        try await TestCluster.with { cluster in
            let app = cluster.application()
            try await app.test(.router) { client in
                #expect(try await client.post([Events.submitted("G2-1"), Events.accepted("G2-1")]).status == .created)
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for i in 0..<8 {
                        group.addTask {
                            try await client.post(Events.setting(Events.step("G2-1", id: "step-\(i)"), "expectedsequence", 2)).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 1)
                #expect(statuses.filter { $0 == .conflict }.count == 7)
                let conflict = try await client.post(Events.setting(Events.step("G2-1", id: "late"), "expectedsequence", 2))
                #expect(conflict.status == .conflict)
                #expect(conflict.json["type"] == "/problems/version-conflict")
                #expect(conflict.json["pointer"] == "/expectedsequence")
                let next = try await client.post(Events.setting(Events.step("G2-1", id: "next"), "expectedsequence", 3))
                #expect(next.json["events"]?[0]?["sequence"] == 4)
            }
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/G2-1'", equals: 4)
            }
            let seqs = try await cluster.node.database.query("SELECT sequence FROM audit.events WHERE subject = 'case/430424/G2-1' ORDER BY sequence")
            #expect(try seqs.map { try $0.decode(Int64.self, at: 0) } == [1, 2, 3, 4])
            // The hash chain links each event to the one before.
            let chain = try await cluster.node.database.query("SELECT prevhash, hash FROM audit.events WHERE subject = 'case/430424/G2-1' ORDER BY sequence")
            #expect(try chain[0].decode(String.self, at: 0) == CloudEvent.genesisHash)
            for i in 1..<chain.count { #expect(try chain[i].decode(String.self, at: 0) == chain[i - 1].decode(String.self, at: 1)) }
        }
    }

    @Test("3: re-sending an event id returns the first result and appends nothing")
    func resendReturnsFirstResult() async throws {
        try await TestCluster.with { cluster in
            let app = cluster.application()
            let admin = try KafkaAdmin(configuration: .init(bootstrapServers: cluster.node.bootstrapServers), logger: cluster.logger)
            defer { admin.shutdown() }
            @Sendable func total() async throws -> Int64 {
                var sum: Int64 = 0
                for p in 0..<Int32(3) { sum += try await admin.watermarks(.init(topic: "gov.approval", partition: p)).high }
                return sum
            }
            let firstAnswer: JSONValue = try await app.test(.router) { client in
                let first = try await client.post(Events.submitted("G3-1"))
                #expect(first.status == .created)
                let before = try await total()
                let again = try await client.post(Events.setting(Events.submitted("G3-1"), "expectedsequence", "no-stream"))
                #expect(again.status == .ok)
                #expect(again.json == first.json)
                #expect(try await total() == before)
                // Same id, other content: refused.
                let other = try await client.post(Events.setting(Events.submitted("G3-1"), "time", "2025-03-03T09:30:00+08:00"))
                #expect(other.status == .conflict)
                #expect(other.json["type"] == "/problems/duplicate-id-conflict")
                #expect(other.json["pointer"] == "/id")
                #expect(try await total() == before)
                return first.json["events"]?[0] ?? .null
            }
            // A restarted gateway finds the first answer in the read models.
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject LIKE 'case/%'", equals: 1)
            }
            let stored = try await PostgresGatewayStore(database: cluster.node.database).lookup(source: Events.source, id: "G3-1-1")
            #expect(stored?.sequence == 1)
            #expect(stored.map { JSONValue.integer($0.offset) } == firstAnswer["offset"])
            #expect(stored.map { JSONValue.string($0.hash) } == firstAnswer["hash"])
        }
    }
}
