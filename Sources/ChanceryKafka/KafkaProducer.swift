import Logging

/// A Kafka producer, optionally transactional, over one librdkafka producer instance.
///
/// Delivery reports are served by a dedicated polling thread (`rd_kafka_poll` every 100 ms at
/// most) started by the initializer; blocking calls (transactions, flush) run on the client's
/// own serial queue, never on Swift's cooperative pool. Call ``shutdown(flushTimeoutMilliseconds:)``
/// when done: it is the only place the librdkafka handle is freed (a producer that is never
/// shut down keeps its handle and polling thread until the process exits).
///
/// Transactional use: ``initTransactions(timeoutMilliseconds:)`` once, then per transaction
/// ``beginTransaction()``, ``send(_:)``, optionally ``sendOffsetsToTransaction(_:consumer:timeoutMilliseconds:)``,
/// and ``commitTransaction(timeoutMilliseconds:)`` or ``abortTransaction(timeoutMilliseconds:)``.
/// Transactional calls must not overlap each other.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let logger: Logger
    private let pollingThread: PollingThread
    private let gate = ShutdownGate()
    /// `send` calls waiting for reports, so that a shutdown can end them if librdkafka cannot.
    private let inFlight = Locked<[ObjectIdentifier: DeliveryBatch]>([:])

    /// Creates the producer (`rd_kafka_new(RD_KAFKA_PRODUCER)`) and starts its polling thread.
    /// Properties set: `bootstrap.servers`, `client.id`, `transactional.id`,
    /// `enable.idempotence`, `acks`, `partitioner`, `linger.ms`, then `additionalProperties`.
    /// - Parameter logger: receives librdkafka's log lines (syslog levels mapped to swift-log)
    ///   and client errors (`error_cb`).
    /// - Throws: ``KafkaError`` `_INVALID_ARG` for a rejected property.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        let client = try RDKafkaClient.make(
            kind: .producer,
            properties: configuration.properties,
            context: RDKafkaCallbackContext(logger: logger),
            label: "producer.\(configuration.kafka.clientID ?? "rdkafka")"
        )
        self.client = client
        self.logger = logger
        self.pollingThread = PollingThread(
            name: "chancery.kafka.producer.poll",
            pollOnce: { client.pollEvents(timeoutMilliseconds: 100) },
            finalPoll: { client.pollEvents(timeoutMilliseconds: 0) },
            wake: { client.interruptPoll() }
        )
    }

    /// Registers the `transactional.id` with its coordinator, fencing older producers with the
    /// same id and completing or aborting their open transaction (`rd_kafka_init_transactions`).
    /// Call once before the first transaction.
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` (`_NOT_CONFIGURED` without `transactionalID`, `_TIMED_OUT`
    ///   with `isRetriable`, fatal errors), `_DESTROY` after shutdown.
    public func initTransactions(timeoutMilliseconds: Int = 30000) async throws {
        try await self.client.initTransactions(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Starts a transaction (`rd_kafka_begin_transaction`); local and non-blocking.
    /// - Throws: ``KafkaError`` (e.g. `_STATE` if one is already open or transactions were
    ///   not initialised), `_DESTROY` after shutdown.
    public func beginTransaction() throws {
        try self.client.beginTransaction()
    }

    /// Enqueues every record with `rd_kafka_produceva` (in order; librdkafka keeps per-partition
    /// order) and suspends until every one of them has its delivery report.
    ///
    /// Records are copied. When librdkafka's local queue is full (`_QUEUE_FULL`,
    /// `queue.buffering.max.messages` / `.kbytes`) enqueueing pauses 10 ms at a time until room
    /// frees up. Waiting is not cancellable: records already handed to librdkafka are reported
    /// within `message.timeout.ms` (default 300000 ms) or at shutdown.
    /// - Returns: one report per record, in the order of `records`.
    /// - Throws: ``KafkaError``: the delivery error of the first (lowest-index) record that
    ///   failed, or the error `rd_kafka_produceva` returned for a record it refused (records
    ///   after it are not sent); `_DESTROY` after shutdown.
    public func send(_ records: [KafkaProducerRecord]) async throws -> [KafkaDeliveryReport] {
        guard !self.gate.isClosing else { throw KafkaError.clientClosed("producer") }
        guard !records.isEmpty else { return [] }

        let batch = DeliveryBatch(count: records.count)
        let key = ObjectIdentifier(batch)
        self.inFlight.withLock { $0[key] = batch }
        defer { _ = self.inFlight.withLock { $0.removeValue(forKey: key) } }

        var enqueueError: KafkaError?
        enqueue: for (index, record) in records.enumerated() {
            let ticket = RDKafkaDeliveryTicket { [batch] result in batch.deliver(index: index, result) }
            while true {
                batch.willEnqueue()
                do {
                    try self.client.produce(record, ticket: ticket)
                    continue enqueue
                } catch let error as KafkaError {
                    batch.didNotEnqueue()
                    if error.isQueueFull, !self.gate.isClosing {
                        try? await Task.sleep(for: .milliseconds(10))
                        continue
                    }
                    enqueueError = error
                    break enqueue
                }
            }
        }
        if let enqueueError { batch.fail(enqueueError) }
        return try await batch.wait()
    }

    /// Adds the consumer's offsets to the current transaction
    /// (`rd_kafka_send_offsets_to_transaction` with `rd_kafka_consumer_group_metadata`), so they
    /// are committed for the consumer's group if and only if the transaction commits.
    /// - Parameters:
    ///   - offsets: per partition, the next offset to consume (last processed offset + 1).
    ///   - consumer: the consumer whose group (and generation) the offsets belong to.
    ///   - timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` (check `txnRequiresAbort` / `isRetriable` / `isFatal`),
    ///   `_DESTROY` if this producer or the consumer is shut down.
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartition: Int64],
        consumer: KafkaConsumer,
        timeoutMilliseconds: Int = 30000
    ) async throws {
        try await self.client.sendOffsetsToTransaction(offsets, consumer: consumer.client, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Flushes and commits the current transaction (`rd_kafka_commit_transaction`).
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError``: if `isRetriable` call again; if `txnRequiresAbort` call
    ///   ``abortTransaction(timeoutMilliseconds:)``; if `isFatal` shut down. `_DESTROY` after shutdown.
    public func commitTransaction(timeoutMilliseconds: Int = 30000) async throws {
        try await self.client.commitTransaction(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Aborts the current transaction (`rd_kafka_abort_transaction`); unsent records are purged
    /// and their `send` calls fail with `_PURGE_QUEUE`.
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` (`isRetriable` → call again; `isFatal` → shut down), `_DESTROY`.
    public func abortTransaction(timeoutMilliseconds: Int = 30000) async throws {
        try await self.client.abortTransaction(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Waits until every enqueued record has its delivery report (`rd_kafka_flush`).
    /// - Parameter timeoutMilliseconds: maximum time in milliseconds.
    /// - Throws: ``KafkaError`` `_TIMED_OUT` if records remain; `_DESTROY` after shutdown.
    public func flush(timeoutMilliseconds: Int = 30000) async throws {
        try await self.client.flush(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Shuts the producer down: flushes for up to `flushTimeoutMilliseconds` milliseconds, purges
    /// what is left (those `send` calls fail with `_PURGE_QUEUE` / `_PURGE_INFLIGHT`), stops the
    /// polling thread and destroys the handle (`rd_kafka_destroy`). An open transaction is not
    /// committed. Idempotent; concurrent callers all return once it is done. Never throws.
    public func shutdown(flushTimeoutMilliseconds: Int = 10000) async {
        await self.gate.close {
            do {
                try await self.client.flush(timeoutMilliseconds: flushTimeoutMilliseconds)
            } catch {
                self.logger.warning("producer shutdown: \(error)")
            }
            let left = await self.client.purgeAll()
            if left > 0 { self.logger.warning("producer shutdown: \(left) records not reported after purge") }
            await self.pollingThread.stop()
            await self.client.destroy()
            let stranded = self.inFlight.withLock { Array($0.values) }
            for batch in stranded { batch.fail(KafkaError.clientClosed("producer")) }
        }
    }
}
