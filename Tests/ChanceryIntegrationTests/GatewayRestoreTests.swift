import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import ChanceryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// DESIGN.md, "gateway": on start it restores stream heads from PostgreSQL, then reads the canonical
/// topics from the projector's offsets to the high watermark, before it accepts a write.
@Suite("Gateway restore", .serialized, .timeLimit(.minutes(3)))
struct GatewayRestoreTests {
    @Test("a restarted gateway continues every stream where the log left it, projected or not")
    func restartContinuesStreams() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let broker = try EmbeddedKafkaBroker(logger: logger)
        defer { broker.shutdown() }
        for topic in TopicNames().allCanonical { try broker.createTopic(topic, partitions: 3) }
        let database = try await TestDatabase.create()

        // First life: two cases; only the first is projected before the gateway stops.
        let first = try await TestCluster.start(brokers: broker.bootstrapServers, database: database)
        let firstAnswer = try await first.gateway.append([Events.submitted("R-1"), Events.accepted("R-1")].map(Self.submitted))
        try await first.running([first.projector()]) {
            try await first.eventually("SELECT count(*) FROM audit.events WHERE subject LIKE 'case/%'", equals: 2)
        }
        _ = try await first.gateway.append([Events.submitted("R-2"), Events.accepted("R-2")].map(Self.submitted))
        await first.stopKeepingDatabase()

        // Second life on the same broker and database.
        try await withCluster(brokers: broker.bootstrapServers, database: database) { second in
            #expect(await second.gateway.isReady)
            // R-1 comes from approval.stream_heads, R-2 from the log tail: both continue at sequence 3.
            let r1 = try await second.gateway.append([Self.submitted(Events.step("R-1", id: "R-1-s"))])
            let r2 = try await second.gateway.append([Self.submitted(Events.step("R-2", id: "R-2-s"))])
            #expect(r1.events.map(\.sequence) == [3])
            #expect(r2.events.map(\.sequence) == [3])
            // The lifecycle state was restored too: R-2 cannot be accepted twice.
            await #expect(throws: AppendFailure.self) {
                _ = try await second.gateway.append([Self.submitted(Events.accepted("R-2", id: "R-2-again"))])
            }
            // Re-sent ids get their first answers, from PostgreSQL or from the tail.
            let again = try await second.gateway.append([Events.submitted("R-1"), Events.submitted("R-2")].map(Self.submitted))
            #expect(again.replayed)
            #expect(again.events[0].offset == firstAnswer.events[0].offset)
            // The chain continues unbroken across the restart.
            try await second.running([second.projector()]) {
                try await second.eventually("SELECT count(*) FROM audit.events WHERE subject LIKE 'case/%'", equals: 6)
            }
            #expect(try await second.node.database.query("SELECT count(*) FROM audit.quarantine")[0].decode(Int64.self, at: 0) == 0)
        }
    }

    static func submitted(_ json: JSONValue) -> SubmittedEvent {
        SubmittedEvent(event: try! EventValidator.validate(json))
    }

    private func withCluster(brokers: String, database: TestDatabase, _ body: (TestCluster) async throws -> Void) async throws {
        let cluster = try await TestCluster.start(brokers: brokers, database: database)
        do {
            try await body(cluster)
            await cluster.stop()
        } catch {
            await cluster.stop()
            throw error
        }
    }
}
