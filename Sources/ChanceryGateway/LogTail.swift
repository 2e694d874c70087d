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

        var config = KafkaConsumerConfiguration(kafka: kafka, groupID: "chancery-gateway-restore")
        config.isolationLevel = .readCommitted
        config.enableAutoCommit = false
        let consumer = try KafkaConsumer(configuration: config, logger: logger)
        var out: [(event: CloudEvent, topic: String, partition: Int32, offset: Int64)] = []
        do {
            try consumer.assign(starts)
            var remaining = Set(starts.keys)
            let decoder = JSONDecoder()
            var lastProgress = ContinuousClock.now
            while !remaining.isEmpty, ContinuousClock.now - lastProgress < .milliseconds(idleMilliseconds) {
                let batch = try await consumer.poll(maxCount: 5000, maxWaitMilliseconds: 100)
                if batch.isEmpty { continue }
                lastProgress = ContinuousClock.now
                for record in batch {
                    let tp = record.topicPartition
                    if let end = ends[tp], record.offset >= end - 1 { remaining.remove(tp) }
                    if let event = try? decoder.decode(CloudEvent.self, from: Data(record.value)) {
                        out.append((event, record.topic, record.partition, record.offset))
                    }
                }
            }
        } catch {
            await consumer.close()
            throw error
        }
        await consumer.close()
        logger.info("log tail read", metadata: ["events": "\(out.count)", "partitions": "\(starts.count)"])
        return out
    }
}
