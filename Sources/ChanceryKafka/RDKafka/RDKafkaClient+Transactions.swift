import CRdKafka

/// The transactional producer API (`rd_kafka_*_transaction(s)`).
extension RDKafkaClient {
    /// `rd_kafka_init_transactions`, off the pool. - Throws: ``KafkaError`` (e.g. `_NOT_CONFIGURED`
    /// without `transactional.id`, `_TIMED_OUT`, fatal fencing errors), `_DESTROY`.
    func initTransactions(timeoutMilliseconds: Int) async throws {
        try await self.runBlocking { handle in
            if let error = rd_kafka_init_transactions(handle, Int32(clamping: timeoutMilliseconds)) {
                throw KafkaError(consuming: error)
            }
        }
    }

    /// `rd_kafka_begin_transaction` (local, non-blocking). - Throws: ``KafkaError``, `_DESTROY`.
    func beginTransaction() throws {
        try self.withHandle { handle in
            if let error = rd_kafka_begin_transaction(handle) {
                throw KafkaError(consuming: error)
            }
        }
    }

    /// `rd_kafka_send_offsets_to_transaction` with `consumer`'s group metadata
    /// (`rd_kafka_consumer_group_metadata`), off the pool.
    /// - Throws: ``KafkaError`` from librdkafka, or `_DESTROY` if either client is shut down.
    func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartition: Int64],
        consumer: RDKafkaClient,
        timeoutMilliseconds: Int
    ) async throws {
        let groupMetadata = try RDKafkaGroupMetadata(consumer: consumer)
        defer { groupMetadata.destroy() }
        let entries = offsets.sorted { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            .map { ($0.key, Optional($0.value)) }
        try await self.runBlocking { handle in
            try RDKafkaTopicPartitionList.withList(entries) { list in
                if let error = rd_kafka_send_offsets_to_transaction(handle, list, groupMetadata.pointer, Int32(clamping: timeoutMilliseconds)) {
                    throw KafkaError(consuming: error)
                }
            }
        }
    }

    /// `rd_kafka_commit_transaction` (flushes first), off the pool. - Throws: ``KafkaError``
    /// (check `isRetriable` / `txnRequiresAbort` / `isFatal`), `_DESTROY`.
    func commitTransaction(timeoutMilliseconds: Int) async throws {
        try await self.runBlocking { handle in
            if let error = rd_kafka_commit_transaction(handle, Int32(clamping: timeoutMilliseconds)) {
                throw KafkaError(consuming: error)
            }
        }
    }

    /// `rd_kafka_abort_transaction` (purges unsent records), off the pool.
    /// - Throws: ``KafkaError``, `_DESTROY`.
    func abortTransaction(timeoutMilliseconds: Int) async throws {
        try await self.runBlocking { handle in
            if let error = rd_kafka_abort_transaction(handle, Int32(clamping: timeoutMilliseconds)) {
                throw KafkaError(consuming: error)
            }
        }
    }
}

/// An `rd_kafka_consumer_group_metadata_t`, destroyed in ``destroy()`` (the one place).
final class RDKafkaGroupMetadata: @unchecked Sendable {
    let pointer: OpaquePointer

    /// `rd_kafka_consumer_group_metadata(consumer)`. - Throws: `_DESTROY`, `_INVALID_ARG`.
    init(consumer: RDKafkaClient) throws {
        guard consumer.kind == .consumer else {
            throw KafkaError.invalidConfiguration("group metadata needs a consumer")
        }
        let pointer: OpaquePointer? = try consumer.withHandle { rd_kafka_consumer_group_metadata($0) }
        guard let pointer else {
            throw KafkaError.invalidConfiguration("consumer has no group metadata (is group.id set?)")
        }
        self.pointer = pointer
    }

    func destroy() {
        rd_kafka_consumer_group_metadata_destroy(self.pointer)
    }
}
