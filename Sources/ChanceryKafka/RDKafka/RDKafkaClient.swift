import CRdKafka
import Dispatch
import Logging

/// Owner of one librdkafka instance (`rd_kafka_t`).
///
/// The handle is freed in exactly one place, ``destroy()`` (never in `deinit`). Access rules:
/// - short, non-blocking calls go through ``withHandle(_:)``, under a lock that ``destroy()``
///   also takes, so they never race with `rd_kafka_destroy`;
/// - blocking calls go through ``runBlocking(_:)``, on this client's serial `DispatchQueue`
///   (never on Swift's cooperative pool); ``destroy()`` runs on the same queue, after them;
/// - ``pollEvents(timeoutMilliseconds:)`` is for the producer's polling thread, which the
///   producer stops before destroying.
final class RDKafkaClient: @unchecked Sendable {
    /// The kind of librdkafka instance.
    enum Kind: Sendable {
        /// `RD_KAFKA_PRODUCER` with delivery reports.
        case producer
        /// `RD_KAFKA_CONSUMER`, its main queue redirected to the consumer queue.
        case consumer
        /// `RD_KAFKA_PRODUCER` used only for metadata, watermarks or the mock cluster.
        case plain
    }

    let kind: Kind
    let logger: Logger
    private let handle: OpaquePointer
    private let context: Unmanaged<RDKafkaCallbackContext>
    private let queue: DispatchQueue
    private let destroyed = Locked(false)

    private init(kind: Kind, handle: OpaquePointer, context: Unmanaged<RDKafkaCallbackContext>, label: String) {
        self.kind = kind
        self.handle = handle
        self.context = context
        self.logger = context.takeUnretainedValue().logger
        self.queue = DispatchQueue(label: "chancery.kafka.\(label)")
    }

    /// Creates the instance (`rd_kafka_new`).
    /// - Throws: ``KafkaError`` `_INVALID_ARG` for a rejected property or when `rd_kafka_new`
    ///   fails (its error string is the message).
    static func make(
        kind: Kind,
        properties: [String: String],
        context: RDKafkaCallbackContext,
        label: String
    ) throws -> RDKafkaClient {
        let conf = try RDKafkaConfig.make(properties: properties)
        RDKafkaCallbacks.install(on: conf, kind: kind)
        let retainedContext = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retainedContext.toOpaque())

        var errorBuffer = [CChar](repeating: 0, count: 512)
        let type = kind == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            // rd_kafka_new takes over the conf only on success.
            rd_kafka_conf_destroy(conf)
            retainedContext.release()
            let reason = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError.invalidConfiguration("rd_kafka_new failed: \(reason)")
        }
        if kind == .consumer {
            _ = rd_kafka_poll_set_consumer(handle)
        }
        return RDKafkaClient(kind: kind, handle: handle, context: retainedContext, label: label)
    }

    /// The callback context (rebalance handlers, logger).
    var callbackContext: RDKafkaCallbackContext { self.context.takeUnretainedValue() }

    /// `true` once ``destroy()`` has started.
    var isDestroyed: Bool { self.destroyed.withLock { $0 } }

    /// Runs a short, non-blocking librdkafka call.
    /// - Throws: ``KafkaError`` `_DESTROY` once the client is destroyed, or what `body` throws.
    func withHandle<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        try self.destroyed.withLock { destroyed in
            guard !destroyed else { throw KafkaError.clientClosed("Kafka client") }
            return try body(self.handle)
        }
    }

    /// Runs a blocking librdkafka call on this client's serial queue and suspends until it is
    /// done, leaving the cooperative pool free.
    /// - Throws: ``KafkaError`` `_DESTROY` if the client was destroyed first, or what `body` throws.
    func runBlocking<Value: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            self.queue.async {
                guard !self.isDestroyed else {
                    continuation.resume(throwing: KafkaError.clientClosed("Kafka client"))
                    return
                }
                continuation.resume(with: Result { try body(self.handle) })
            }
        }
    }

    /// `rd_kafka_poll`: serves delivery reports and error callbacks for up to
    /// `timeoutMilliseconds`. Only for the producer's polling thread, which must be stopped
    /// before ``destroy()``.
    func pollEvents(timeoutMilliseconds: Int32) {
        _ = rd_kafka_poll(self.handle, timeoutMilliseconds)
    }

    /// `rd_kafka_queue_yield` on the main queue: makes a `rd_kafka_poll` in progress on the
    /// polling thread return early (`rd_kafka_yield` would only work from inside a callback).
    /// Only valid before ``destroy()``, like ``pollEvents(timeoutMilliseconds:)``.
    func interruptPoll() {
        guard let queue = rd_kafka_queue_get_main(self.handle) else { return }
        rd_kafka_queue_yield(queue)
        rd_kafka_queue_destroy(queue)
    }

    /// Frees the instance: `rd_kafka_consumer_close` (consumers; serves the final revoke), then
    /// `rd_kafka_destroy`, then releases the callback context. Runs on the client's queue after
    /// any blocking call in progress; idempotent.
    func destroy() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            self.queue.async {
                self.destroyOnQueue()
                continuation.resume()
            }
        }
    }

    /// Like ``destroy()`` but returns at once; the destruction happens on the client's queue.
    func destroyDetached() {
        self.queue.async { self.destroyOnQueue() }
    }

    private func destroyOnQueue() {
        if self.kind == .consumer, !self.isDestroyed {
            // Leave the group while the handle is still usable by the rebalance callback.
            let result = rd_kafka_consumer_close(self.handle)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                self.logger.warning("consumer close: \(KafkaError(code: result))")
            }
        }
        let first = self.destroyed.withLock { destroyed -> Bool in
            defer { destroyed = true }
            return !destroyed
        }
        guard first else { return }
        rd_kafka_destroy(self.handle)
        self.context.release()
    }
}
