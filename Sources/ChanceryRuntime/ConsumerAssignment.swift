import ChanceryKafka
import Logging

/// How a consumer of the runtime obtains its partitions: the projector, the supervisor and the inbound door all
/// use this one definition.
public enum ConsumerAssignment: Sendable {
    /// Consumer-group subscription (production: several instances share the partitions).
    case group
    /// Every partition of the topics, assigned directly (one instance; no group join delay).
    case all

    /// Every partition of `topics`, from the cluster's metadata.
    /// - Throws: ``KafkaError`` (for example `UNKNOWN_TOPIC_OR_PART` when a topic does not exist).
    public static func allPartitions(of topics: [String], kafka: KafkaConfiguration, logger: Logger) async throws -> [KafkaTopicPartition] {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        var partitions: [KafkaTopicPartition] = []
        do {
            for topic in topics {
                let count = try await admin.partitionCount(topic: topic)
                partitions += (0..<Int32(count)).map { KafkaTopicPartition(topic: topic, partition: $0) }
            }
        } catch {
            admin.shutdown()
            throw error
        }
        admin.shutdown()
        return partitions
    }
}
