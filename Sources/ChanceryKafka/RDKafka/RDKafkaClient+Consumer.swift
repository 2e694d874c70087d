import CRdKafka
import Logging

/// The high-level consumer API (`rd_kafka_subscribe`, `rd_kafka_assign`,
/// `rd_kafka_consumer_poll`, `rd_kafka_commit`, `rd_kafka_committed`).
extension RDKafkaClient {
    /// Outcome of one polling round.
    enum PollRound: Sendable {
        /// Messages gathered (possibly none).
        case messages([KafkaConsumerMessage])
        /// The consumer was closed or is closing.
        case closed
    }

    /// Longest single `rd_kafka_consumer_poll` wait, in milliseconds, so that a close request
    /// is noticed quickly even with a long `maxWaitMilliseconds`.
    private static let pollSliceMilliseconds = 100

    /// `rd_kafka_subscribe`. - Throws: ``KafkaError``, `_DESTROY`.
    func subscribe(topics: [String]) throws {
        try self.withHandle { handle in
            try RDKafkaTopicPartitionList.withList(topics.map { (KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA), nil) }) { list in
                let result = rd_kafka_subscribe(handle, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: result) }
            }
        }
    }

    /// `rd_kafka_assign` with explicit start offsets (replaces the current assignment).
    /// - Throws: ``KafkaError``, `_DESTROY`.
    func assign(_ offsets: [KafkaTopicPartition: Int64]) throws {
        let entries = offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { ($0.key, Optional($0.value)) }
        try self.withHandle { handle in
            try RDKafkaTopicPartitionList.withList(entries) { list in
                let result = rd_kafka_assign(handle, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: result) }
            }
        }
    }

    /// Gathers up to `maxCount` messages with `rd_kafka_consumer_poll`, off the pool (this is also where rebalance
    /// callbacks run): waits up to `maxWaitMilliseconds` for the first one, then takes only what librdkafka has
    /// already queued, so a batch is as large as the backlog (up to `maxCount`) and never waits for more.
    /// Partition EOF and non-fatal errors are logged; `isClosing` is checked between polls.
    /// - Throws: a fatal ``KafkaError`` (`isFatal`).
    func pollBatch(maxCount: Int, maxWaitMilliseconds: Int, isClosing: @escaping @Sendable () -> Bool) async throws -> PollRound {
        do {
            return try await self.runBlocking { handle in
                var messages: [KafkaConsumerMessage] = []
                let deadline = ContinuousClock.now + .milliseconds(maxWaitMilliseconds)
                var polled = false
                while messages.count < maxCount {
                    if isClosing() { return messages.isEmpty ? .closed : .messages(messages) }
                    let remaining = ContinuousClock.now.duration(to: deadline) / .milliseconds(1)
                    let remainingMilliseconds = Int(remaining.rounded(.up))
                    if remainingMilliseconds <= 0, polled { break }
                    polled = true
                    // Once the batch has messages, take only what is already queued: a consumer that keeps up gets
                    // each record as soon as it arrives, one catching up still gets full batches.
                    let timeout = messages.isEmpty ? Int32(min(max(remainingMilliseconds, 0), Self.pollSliceMilliseconds)) : 0
                    guard let message = rd_kafka_consumer_poll(handle, timeout) else {
                        if !messages.isEmpty { break }
                        continue
                    }
                    defer { rd_kafka_message_destroy(message) }
                    let err = message.pointee.err
                    if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                        messages.append(RDKafkaMessage.makeConsumerMessage(message))
                    } else if err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                        self.logger.debug("partition EOF", metadata: [
                            "partition": "\(message.pointee.partition)", "offset": "\(message.pointee.offset)",
                        ])
                    } else {
                        let reason = rd_kafka_message_errstr(message).map { String(cString: $0) }
                        let error = KafkaError(code: err, message: reason, handle: handle)
                        if error.isFatal { throw error }
                        self.logger.warning("consumer error: \(error)")
                    }
                }
                return .messages(messages)
            }
        } catch let error as KafkaError where error.isClientClosed {
            return .closed
        }
    }

    /// `rd_kafka_queue_yield` on the consumer queue: makes a `rd_kafka_consumer_poll` in
    /// progress return early, so that a close does not wait for the poll's timeout. No-op once
    /// destroyed.
    func interruptConsumerPoll() {
        try? self.withHandle { handle in
            guard let queue = rd_kafka_queue_get_consumer(handle) else { return }
            rd_kafka_queue_yield(queue)
            rd_kafka_queue_destroy(queue)
        }
    }

    /// `rd_kafka_commit` (synchronous), off the pool. - Throws: ``KafkaError`` (the call's or
    /// the first per-partition error), `_DESTROY`.
    func commit(_ offsets: [KafkaTopicPartition: Int64]) async throws {
        guard !offsets.isEmpty else { return }
        let entries = offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { ($0.key, Optional($0.value)) }
        try await self.runBlocking { handle in
            try RDKafkaTopicPartitionList.withList(entries) { list in
                let result = rd_kafka_commit(handle, list, 0)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: result) }
                if let error = RDKafkaTopicPartitionList.firstError(in: list) { throw error }
            }
        }
    }

    /// `rd_kafka_committed`, off the pool: the group's committed offsets, `nil` for none.
    /// - Throws: ``KafkaError``, `_DESTROY`.
    func committed(_ partitions: [KafkaTopicPartition], timeoutMilliseconds: Int) async throws -> [KafkaTopicPartition: Int64?] {
        try await self.runBlocking { handle in
            try RDKafkaTopicPartitionList.withList(partitions.map { ($0, nil) }) { list in
                let result = rd_kafka_committed(handle, list, Int32(clamping: timeoutMilliseconds))
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code: result) }
                if let error = RDKafkaTopicPartitionList.firstError(in: list) { throw error }
                var offsets: [KafkaTopicPartition: Int64?] = [:]
                for entry in RDKafkaTopicPartitionList.entries(of: list) {
                    offsets[entry.topicPartition] = entry.offset >= 0 ? entry.offset : nil
                }
                return offsets
            }
        }
    }
}
