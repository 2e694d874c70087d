import ChanceryKafka
import Logging

/// Puts the journal back into an empty broker (the embedded broker at start): every record to its own topic
/// and partition, in position order, so each partition holds exactly the journal's records of that partition
/// in the order the gateway committed them — the same ids, sequences and hashes as before the restart.
///
/// The offsets of the seeded broker count the journal's records only: records of aborted transactions and
/// records produced straight into a topic by other producers are not in the journal and so not seeded.
/// Consumers therefore resume from their stored journal positions, not their old offsets (see
/// `ConsumerOffsets.retarget` in ChanceryProjections).
public enum JournalSeeder {
    /// What a seeding did.
    public struct Report: Sendable, Hashable {
        /// Records produced.
        public var records: Int
        /// Bytes of record values produced.
        public var bytes: Int
        /// Largest number of value bytes put into one partition.
        public var largestPartitionBytes: Int
        /// Wall time of the seeding.
        public var duration: Duration
    }

    /// Produces every journal record into the broker of `kafka` (idempotent producer, `acks=all`).
    ///
    /// - Parameters:
    ///   - chunk: records read from the journal and produced per round.
    ///   - progress: called after each chunk with the records produced so far.
    /// - Returns: counts and duration.
    /// - Throws: journal read errors or ``KafkaError``; the broker then holds a prefix of the journal and
    ///   must be discarded (a new embedded broker is seeded at the next start).
    public static func seed(
        from journal: any EventJournal, kafka: KafkaConfiguration, logger: Logger, chunk: Int = 20_000,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> Report {
        let start = ContinuousClock.now
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: kafka, lingerMilliseconds: 20), logger: logger)
        var produced = 0
        var bytes = 0
        var perPartition: [KafkaTopicPartition: Int] = [:]
        do {
            var after: Int64 = 0
            while true {
                let records = try await journal.records(after: after, limit: chunk)
                guard let last = records.last else { break }
                _ = try await producer.send(records.map(\.record))
                for r in records {
                    bytes += r.record.value.count
                    perPartition[KafkaTopicPartition(topic: r.record.topic, partition: r.record.partition ?? -1), default: 0] += r.record.value.count
                }
                produced += records.count
                after = last.position
                progress?(produced)
            }
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
        return Report(records: produced, bytes: bytes, largestPartitionBytes: perPartition.values.max() ?? 0, duration: ContinuousClock.now - start)
    }
}
