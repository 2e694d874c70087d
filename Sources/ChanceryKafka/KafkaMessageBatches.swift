/// An `AsyncSequence` of non-empty message batches from a ``KafkaConsumer``; see
/// ``KafkaConsumer/messageBatches(maxCount:maxWaitMilliseconds:)``.
///
/// Each `next()` polls librdkafka (off Swift's cooperative pool) only when asked, so nothing
/// is buffered beyond librdkafka's own prefetch (`queued.max.messages.kbytes`). Breaking out of
/// a `for try await` loop leaves nothing running.
public struct KafkaMessageBatches: AsyncSequence, Sendable {
    /// A batch: up to `maxCount` messages, in partition order.
    public typealias Element = [KafkaConsumerMessage]

    let consumer: KafkaConsumer
    let maxCount: Int
    let maxWaitMilliseconds: Int

    /// The iterator; `next()` throws fatal ``KafkaError``s and returns `nil` once the consumer is
    /// closed or the task cancelled.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        let maxCount: Int
        let maxWaitMilliseconds: Int

        /// The next batch of up to `maxCount` messages gathered within `maxWaitMilliseconds`.
        /// - Throws: a fatal ``KafkaError``.
        public mutating func next() async throws -> [KafkaConsumerMessage]? {
            try await self.consumer.nextBatch(maxCount: self.maxCount, maxWaitMilliseconds: self.maxWaitMilliseconds)
        }
    }

    /// Makes an iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: self.consumer, maxCount: self.maxCount, maxWaitMilliseconds: self.maxWaitMilliseconds)
    }
}
