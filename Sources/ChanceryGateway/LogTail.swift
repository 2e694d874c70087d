import ChanceryDomain
import ChanceryKafka
import Foundation
import Logging

/// Reads the canonical topics from given offsets to their end: what the gateway replays at start to
/// restore the stream heads that the projector has not stored yet (DESIGN.md, "gateway").
///
/// The log is quiescent while this runs (the gateway is the only writer of canonical topics and
/// accepts no write before restore ends), so the end is reached when every partition has delivered
/// its record before the high watermark, or when no record arrives for `idleMilliseconds`.
public enum LogTail {
    /// - Parameters:
    ///   - from: start offset per partition (missing partitions start at 0).
    ///   - idleMilliseconds: quiet time, in milliseconds, after which the end is assumed.
    /// - Returns: decodable canonical events in per-partition log order with their positions; undecodable
    ///   records are skipped (the projector quarantines them).
    /// - Throws: ``KafkaError`` from metadata, watermark or fetch requests.
    public static func read(
        topics: [String], kafka: KafkaConfiguration, from: [KafkaTopicPartition: Int64], logger: Logger,
        idleMilliseconds: Int = 1500
    ) async throws -> [(event: CloudEvent, topic: String, partition: Int32, offset: Int64)] {
        let decoder = JSONDecoder()
        let records = try await records(topics: topics, kafka: kafka, from: from, logger: logger, idleMilliseconds: idleMilliseconds)
        let out = records.compactMap { record -> (event: CloudEvent, topic: String, partition: Int32, offset: Int64)? in
            guard let event = try? decoder.decode(CloudEvent.self, from: Data(record.value)) else { return nil }
            return (event, record.topic, record.partition, record.offset)
        }
        logger.info("log tail read", metadata: ["events": "\(out.count)", "records": "\(records.count)"])
        return out
    }

    /// Every record of `topics` from `from` (default 0) to the high watermark, in per-partition order.
    /// - Throws: ``KafkaError`` from metadata, watermark or fetch requests.
    public static func records(
        topics: [String], kafka: KafkaConfiguration, from: [KafkaTopicPartition: Int64] = [:], logger: Logger,
        idleMilliseconds: Int = 1500
    ) async throws -> [KafkaConsumerMessage] {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        var ends: [KafkaTopicPartition: Int64] = [:]
        var starts: [KafkaTopicPartition: Int64] = [:]
        do {
            for topic in topics {
                let count = try await admin.partitionCount(topic: topic)
                for p in 0..<Int32(count) {
                    let tp = KafkaTopicPartition(topic: topic, partition: p)
                    let (low, high) = try await admin.watermarks(tp)
                    let start = max(from[tp] ?? 0, low)
                    if start < high {
                        ends[tp] = high
                        starts[tp] = start
                    }
                }
            }
        } catch {
            admin.shutdown()
            throw error
        }
        admin.shutdown()
        guard !starts.isEmpty else { return [] }

        var config = KafkaConsumerConfiguration(kafka: kafka, groupID: "chancery-log-reader")
        config.isolationLevel = .readCommitted
        config.enableAutoCommit = false
        let consumer = try KafkaConsumer(configuration: config, logger: logger)
        var out: [KafkaConsumerMessage] = []
        do {
            try consumer.assign(starts)
            var remaining = Set(starts.keys)
            var lastProgress = ContinuousClock.now
            while !remaining.isEmpty, ContinuousClock.now - lastProgress < .milliseconds(idleMilliseconds) {
                let batch = try await consumer.poll(maxCount: 5000, maxWaitMilliseconds: 100)
                if batch.isEmpty { continue }
                lastProgress = ContinuousClock.now
                for record in batch {
                    let tp = record.topicPartition
                    // The last offset before the high watermark may be a transaction marker, never delivered:
                    // reaching it or the one before ends the partition unless more arrives within the idle time.
                    if let end = ends[tp], record.offset >= end - 1 { remaining.remove(tp) }
                    out.append(record)
                }
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        return out
    }
}
