import Logging

/// A Kafka consumer (librdkafka's high-level consumer) that reads either by group subscription
/// (``subscribe(topics:onAssign:onRevoke:)``) or by manual assignment (``assign(_:)``).
///
/// Messages are read with ``messageBatches(maxCount:maxWaitMilliseconds:)``, which polls on
/// demand (no unbounded buffering) on the consumer's own serial queue; rebalance callbacks,
/// commits and the final close run on that queue too, never on Swift's cooperative pool.
/// Call ``close()`` when done: it is the only place the librdkafka handle is freed.
public final class KafkaConsumer: Sendable {
    let client: RDKafkaClient
    private let logger: Logger
    private let gate = ShutdownGate()

    /// Creates the consumer (`rd_kafka_new(RD_KAFKA_CONSUMER)` + `rd_kafka_poll_set_consumer`).
    /// Properties set: `bootstrap.servers`, `client.id`, `group.id`, `isolation.level`,
    /// `enable.auto.commit`, `auto.offset.reset`, then `additionalProperties`.
    /// - Parameter logger: receives librdkafka's log lines, rebalances and transient errors.
    /// - Throws: ``KafkaError`` `_INVALID_ARG` for a rejected property.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        self.client = try RDKafkaClient.make(
            kind: .consumer,
            properties: configuration.properties,
            context: RDKafkaCallbackContext(logger: logger),
            label: "consumer.\(configuration.groupID)"
        )
        self.logger = logger
    }

    /// Joins the consumer group and subscribes to `topics` (`rd_kafka_subscribe`); the
    /// assignment arrives while ``messageBatches(maxCount:maxWaitMilliseconds:)`` is iterated.
    ///
    /// - Parameters:
    ///   - onAssign: called on the consumer's own thread (it may block) with newly assigned
    ///     partitions; returns the offset to start each at. A partition missing from the result
    ///     starts at the group's committed offset, else per `auto.offset.reset`.
    ///   - onRevoke: called on the consumer's own thread with the partitions being taken away,
    ///     before they are unassigned (also during ``close()``).
    /// - Throws: ``KafkaError`` from `rd_kafka_subscribe`, `_DESTROY` after close.
    public func subscribe(
        topics: [String],
        onAssign: @escaping @Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64],
        onRevoke: @escaping @Sendable ([KafkaTopicPartition]) -> Void
    ) throws {
        self.client.callbackContext.rebalanceHandlers.withLock {
            $0 = RDKafkaRebalanceHandlers(onAssign: onAssign, onRevoke: onRevoke)
        }
        try self.client.subscribe(topics: topics)
    }

    /// Reads the given partitions from the given offsets without joining the group
    /// (`rd_kafka_assign`); replaces any previous manual assignment. Offsets may also be
    /// librdkafka's logical offsets: -2 beginning, -1 end, -1001 committed. An empty dictionary
    /// removes the assignment.
    /// - Throws: ``KafkaError`` from `rd_kafka_assign`, `_DESTROY` after close.
    public func assign(_ offsets: [KafkaTopicPartition: Int64]) throws {
        try self.client.assign(offsets)
    }

    /// Batches of messages, polled on demand.
    /// - Parameters:
    ///   - maxCount: most messages per batch.
    ///   - maxWaitMilliseconds: how long, in milliseconds, one batch gathers messages; empty
    ///     rounds are skipped, so an element is never empty.
    /// - Returns: a sequence that ends when the consumer is closed or the iterating task is
    ///   cancelled, and throws fatal ``KafkaError``s. Partition EOF and transient errors are
    ///   logged, not thrown.
    public func messageBatches(maxCount: Int = 1000, maxWaitMilliseconds: Int = 100) -> KafkaMessageBatches {
        KafkaMessageBatches(consumer: self, maxCount: max(1, maxCount), maxWaitMilliseconds: max(0, maxWaitMilliseconds))
    }

    /// Polls once: the messages that arrive within `maxWaitMilliseconds` (possibly none).
    ///
    /// For callers that must notice quiet time, such as reading a log to its end; ordinary
    /// consumers iterate ``messageBatches(maxCount:maxWaitMilliseconds:)`` instead.
    /// - Parameters:
    ///   - maxCount: most messages returned.
    ///   - maxWaitMilliseconds: how long, in milliseconds, to gather messages.
    /// - Returns: up to `maxCount` messages; empty when none arrived, or when the consumer is closed.
    /// - Throws: a fatal ``KafkaError``.
    public func poll(maxCount: Int, maxWaitMilliseconds: Int) async throws -> [KafkaConsumerMessage] {
        let gate = self.gate
        if gate.isClosing { return [] }
        let round = try await self.client.pollBatch(
            maxCount: max(1, maxCount),
            maxWaitMilliseconds: max(0, maxWaitMilliseconds),
            isClosing: { gate.isClosing }
        )
        switch round {
        case .closed: return []
        case .messages(let messages): return messages
        }
    }

    /// The low and high watermark of a partition as last seen in fetch responses (no network request; it
    /// never blocks). The consumer's lag on the partition is `high` minus its next offset.
    /// - Returns: nil before the first fetch response for the partition, or after ``close()``.
    public func cachedWatermarks(_ partition: KafkaTopicPartition) -> (low: Int64, high: Int64)? {
        if self.gate.isClosing { return nil }
        return self.client.cachedWatermarks(partition)
    }

    /// The next non-empty batch, or `nil` once closed / cancelled.
    func nextBatch(maxCount: Int, maxWaitMilliseconds: Int) async throws -> [KafkaConsumerMessage]? {
        let gate = self.gate
        while true {
            if gate.isClosing || Task.isCancelled { return nil }
            let round = try await self.client.pollBatch(
                maxCount: maxCount,
                maxWaitMilliseconds: maxWaitMilliseconds,
                isClosing: { gate.isClosing }
            )
            switch round {
            case .closed:
                return nil
            case .messages(let messages) where !messages.isEmpty:
                return messages
            case .messages:
                continue
            }
        }
    }

    /// Commits offsets for the consumer's group synchronously (`rd_kafka_commit`, async=0),
    /// on the consumer's queue.
    /// - Parameter offsets: per partition, the next offset to consume (last processed + 1);
    ///   an empty dictionary commits nothing.
    /// - Throws: ``KafkaError`` (the request's or the first per-partition error), `_DESTROY`
    ///   after close.
    public func commit(_ offsets: [KafkaTopicPartition: Int64]) async throws {
        try await self.client.commit(offsets)
    }

    /// The group's committed offsets (`rd_kafka_committed`); a partition without a committed
    /// offset maps to `nil`.
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError``, `_DESTROY` after close.
    public func committed(_ partitions: [KafkaTopicPartition], timeoutMilliseconds: Int = 10000) async throws -> [KafkaTopicPartition: Int64?] {
        try await self.client.committed(partitions, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Closes the consumer: leaves the group (`rd_kafka_consumer_close`, which calls `onRevoke`),
    /// then destroys the handle (`rd_kafka_destroy`). A batch poll in progress is cut short
    /// (`rd_kafka_queue_yield`) and its iteration ends. Idempotent; after it, batch sequences end. Never throws.
    public func close() async {
        await self.gate.close {
            self.client.interruptConsumerPoll()
            await self.client.destroy()
        }
    }
}
