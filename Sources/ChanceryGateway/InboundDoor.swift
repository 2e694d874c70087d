import ChanceryDomain
import ChanceryKafka
import ChanceryRuntime
import Foundation
import Logging

/// The Kafka door (DESIGN.md, "gateway"): consumes `gov.inbound` as the consumer group
/// `chancery-gateway-inbound` with `read_committed`, and hands each batch to
/// ``Gateway/appendInbound(_:)``, which appends the valid events, dead-letters the rest and commits the
/// consumed offsets in one Kafka transaction.
///
/// After each committed transaction the offsets are also committed directly: a no-op on a real
/// cluster, and what keeps the embedded broker (whose mock ignores transactional offsets) from
/// re-reading everything after a restart. A re-read record is harmless: its id gets its first answer.
public struct InboundDoor: Sendable {
    /// The consumer group of the inbound door.
    public static let consumerGroup = "chancery-gateway-inbound"

    /// How the door obtains its partitions (see ``ConsumerAssignment``).
    public typealias Assignment = ConsumerAssignment

    let gateway: Gateway
    let topics: TopicNames
    let kafka: KafkaConfiguration
    let assignment: Assignment
    let resolver: any PrincipalResolver
    let logger: Logger
    private let lookupFailure = LookupFailure()

    /// - Parameter resolver: resolves each record's `authorization: Bearer …` header; a record without a
    ///   valid token (`unauthorized`) or whose token does not grant its source or region (`forbidden`)
    ///   is dead-lettered.
    public init(gateway: Gateway, topics: TopicNames, kafka: KafkaConfiguration, assignment: Assignment = .group,
                resolver: any PrincipalResolver, logger: Logger) {
        self.gateway = gateway
        self.resolver = resolver
        self.topics = topics
        self.kafka = kafka
        self.assignment = assignment
        self.logger = logger
    }

    /// Consumes until the task is cancelled; then closes the consumer and returns.
    /// - Throws: ``AppendFailure/unavailable(_:)`` when a transaction failed (restart to re-read from the
    ///   committed offsets), or a fatal ``KafkaError``.
    public func run() async throws {
        var config = KafkaConsumerConfiguration(kafka: kafka, groupID: Self.consumerGroup)
        config.isolationLevel = .readCommitted
        config.enableAutoCommit = false
        let consumer = try KafkaConsumer(configuration: config, logger: logger)
        do {
            switch assignment {
            case .group:
                try consumer.subscribe(topics: [topics.inbound], onAssign: { _ in [:] }, onRevoke: { _ in })
            case .all:
                var offsets: [KafkaTopicPartition: Int64] = [:]
                for tp in try await ConsumerAssignment.allPartitions(of: [topics.inbound], kafka: kafka, logger: logger) {
                    offsets[tp] = -1001  // the group's committed offset
                }
                try consumer.assign(offsets)
            }
            for try await records in consumer.messageBatches(maxCount: 500, maxWaitMilliseconds: 100) {
                if Task.isCancelled { break }
                var items: [InboundItem] = []
                for record in records {
                    do throws(EventRejection) {
                        let (event, expected) = try InboundDecoder.decode(record)
                        // A token store that cannot answer stops this life of the door (it restarts from the
                        // committed offsets); only the record's own faults become dead letters.
                        let principal = try await principal(of: record)
                        try authorize(event, principal)
                        items.append(InboundItem(content: .event(SubmittedEvent(event: event, expected: expected)), record: record))
                    } catch {
                        items.append(InboundItem(content: .refused(error), record: record))
                    }
                }
                if let failure = lookupFailure.take() {
                    throw InboundDoorError.tokenStoreUnavailable("\(failure)")
                }
                var offsets: [KafkaTopicPartition: Int64] = [:]
                for r in records { offsets[r.topicPartition] = max(offsets[r.topicPartition] ?? 0, r.offset + 1) }
                let outcomes = try await gateway.appendInbound(InboundBatch(items: items, offsets: offsets, consumer: consumer))
                let refused = outcomes.filter { if case .deadLettered = $0 { true } else { false } }.count
                if refused > 0 { logger.warning("inbound records dead-lettered", metadata: ["count": "\(refused)", "of": "\(records.count)"]) }
                do { try await consumer.commit(offsets) } catch {
                    logger.warning("direct offset commit failed (the transaction holds them): \(error)")
                }
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
    }

    /// The principal of the record's `authorization: Bearer …` header.
    /// - Throws: ``EventRejection`` `unauthorized` for a missing, unknown or revoked token. When the token
    ///   store cannot answer it records the failure, which makes ``run()`` throw
    ///   ``InboundDoorError/tokenStoreUnavailable(_:)`` before anything of the batch is appended or dead-lettered.
    private func principal(of record: KafkaConsumerMessage) async throws(EventRejection) -> Principal {
        guard let header = InboundDecoder.header("authorization", in: record), header.hasPrefix("Bearer ") else {
            throw EventRejection(code: "unauthorized", pointer: "", message: "the record has no 'authorization: Bearer <token>' header")
        }
        let result: Result<Principal?, any Error>
        do { result = .success(try await resolver.principal(forBearer: String(header.dropFirst(7)))) } catch { result = .failure(error) }
        switch result {
        case .success(let principal?): return principal
        case .success(nil): throw EventRejection(code: "unauthorized", pointer: "", message: "the bearer token is unknown, malformed or revoked")
        case .failure(let error):
            lookupFailure.set(error)
            throw EventRejection(code: "unavailable", pointer: "", message: "the token store did not answer: \(error)")
        }
    }

    /// Checks the principal's grants against the event's source and region.
    private func authorize(_ event: CloudEvent, _ principal: Principal) throws(EventRejection) {
        if let refusal = principal.refusal(toPublish: event) { throw refusal }
    }
}

/// Why the inbound door stopped without dead-lettering anything.
public enum InboundDoorError: Error, Sendable {
    /// The token store (PostgreSQL) could not be asked; the batch is re-read after a restart.
    case tokenStoreUnavailable(String)
}

/// The first token-store failure of a batch, so the door can stop instead of dead-lettering.
final class LookupFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ e: any Error) { lock.withLock { if error == nil { error = e } } }
    func take() -> (any Error)? { lock.withLock { defer { error = nil }; return error } }
}
