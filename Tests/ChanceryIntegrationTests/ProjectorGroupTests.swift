import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import ChanceryProjections
import ChanceryServer
import Foundation
import Testing

/// The projector as deployed: a consumer-group member that, on assignment, seeks to the offsets stored
/// in PostgreSQL rather than to the group's committed offsets or the start of the log.
@Suite("Projector in a consumer group", .serialized, .timeLimit(.minutes(3)))
struct ProjectorGroupTests {
    @Test("on assignment the projector starts at the offsets stored in PostgreSQL")
    func seeksToStoredOffsets() async throws {
        try await TestCluster.with { cluster in
            // Two cases appended, then offsets stored as if they had been projected already.
            _ = try await cluster.gateway.append([Events.submitted("P-1"), Events.submitted("P-2")].map(GatewayRestoreTests.submitted))
            let admin = try KafkaAdmin(configuration: .init(bootstrapServers: cluster.node.bootstrapServers), logger: cluster.logger)
            for topic in cluster.node.topics.allCanonical {
                for p in 0..<Int32(try await admin.partitionCount(topic: topic)) {
                    let high = try await admin.watermarks(.init(topic: topic, partition: p)).high
                    try await cluster.node.database.execute(
                        "INSERT INTO projection.consumer_offsets (consumer_group, topic, partition, next_offset) VALUES (\(ReadModelProjector.consumerGroup), \(topic), \(p), \(high))")
                }
            }
            admin.shutdown()
            _ = try await cluster.gateway.append([GatewayRestoreTests.submitted(Events.submitted("P-3"))])

            let projector = ExactlyOnceConsumer(
                group: ReadModelProjector.consumerGroup, topics: cluster.node.topics.allCanonical,
                kafka: KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers), database: cluster.node.database,
                handler: ReadModelProjector(calendars: cluster.calendars), assignment: .group, logger: cluster.logger)
            try await cluster.running([projector]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 1)
            }
            let subjects = try await cluster.node.database.query("SELECT subject FROM audit.events")
            #expect(try subjects.map { try $0.decode(String.self, at: 0) } == ["case/430424/P-3"])
        }
    }
}
