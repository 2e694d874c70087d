import CRdKafka

/// Cluster metadata (`rd_kafka_metadata`) and watermarks (`rd_kafka_query_watermark_offsets`).
extension RDKafkaClient {
    /// Every topic with its partition count, from `rd_kafka_metadata(all_topics=1)`, off the
    /// pool. Topics reported with an error are left out.
    /// - Throws: ``KafkaError`` (e.g. `_TRANSPORT`, `_TIMED_OUT`), `_DESTROY`.
    func topicPartitionCounts(timeoutMilliseconds: Int) async throws -> [String: Int] {
        try await self.runBlocking { handle in
            _ = rd_kafka_poll(handle, 0)  // serve queued error/log events of this idle instance
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let result = rd_kafka_metadata(handle, 1, nil, &metadata, Int32(clamping: timeoutMilliseconds))
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(code: result) }
            defer { rd_kafka_metadata_destroy(metadata) }
            var counts: [String: Int] = [:]
            let topicCount = Int(metadata.pointee.topic_cnt)
            if topicCount > 0, let topics = metadata.pointee.topics {
                for index in 0..<topicCount where topics[index].err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    counts[String(cString: topics[index].topic)] = Int(topics[index].partition_cnt)
                }
            }
            return counts
        }
    }

    /// Low and high watermark of a partition from the partition leader, off the pool.
    /// - Throws: ``KafkaError`` (e.g. `UNKNOWN_TOPIC_OR_PART`, `_TIMED_OUT`), `_DESTROY`.
    func watermarks(_ topicPartition: KafkaTopicPartition, timeoutMilliseconds: Int) async throws -> (low: Int64, high: Int64) {
        try await self.runBlocking { handle in
            _ = rd_kafka_poll(handle, 0)
            var low: Int64 = -1
            var high: Int64 = -1
            let result = rd_kafka_query_watermark_offsets(
                handle, topicPartition.topic, topicPartition.partition, &low, &high, Int32(clamping: timeoutMilliseconds)
            )
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code: result, message: "\(topicPartition): \(String(cString: rd_kafka_err2str(result)))")
            }
            return (low, high)
        }
    }
}

extension RDKafkaClient {
    /// The watermarks librdkafka last saw for a partition in fetch responses
    /// (`rd_kafka_get_watermark_offsets`): local state only, never a network request, so it does not block.
    /// - Returns: nil when none were seen yet (or after shutdown).
    func cachedWatermarks(_ topicPartition: KafkaTopicPartition) -> (low: Int64, high: Int64)? {
        try? self.withHandle { handle in
            var low: Int64 = -1
            var high: Int64 = -1
            let result = rd_kafka_get_watermark_offsets(handle, topicPartition.topic, topicPartition.partition, &low, &high)
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
            return (low, high)
        }
    }
}
