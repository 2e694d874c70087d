/// Kafka's default partitioner for keyed records, computed in Swift so that a producer can name a
/// record's partition before it sends it (the gateway journals each record with its partition first).
///
/// It is the Java client's `DefaultPartitioner` and librdkafka's `murmur2_random` for non-empty keys:
/// `(murmur2(key) & 0x7fffffff) % partitionCount`, with MurmurHash2 (32-bit, seed `0x9747b28c`) as in
/// Apache Kafka's `org.apache.kafka.common.utils.Utils.murmur2`.
public enum KafkaPartitioner {
    /// The partition of `key` among `partitionCount` partitions (0-based).
    /// - Precondition: `partitionCount > 0`.
    public static func partition(forKey key: [UInt8], partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        return Int32(murmur2(key) & 0x7fff_ffff) % partitionCount
    }

    /// MurmurHash2, 32-bit, seed `0x9747b28c`, little-endian blocks: Kafka's `Utils.murmur2`.
    public static func murmur2(_ data: [UInt8]) -> UInt32 {
        let length = data.count
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for i in 0..<blocks {
            let b = i * 4
            var k = UInt32(data[b]) | UInt32(data[b + 1]) << 8 | UInt32(data[b + 2]) << 16 | UInt32(data[b + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = blocks * 4
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            h ^= UInt32(data[tail + 1]) << 8
            h ^= UInt32(data[tail])
            h &*= m
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            h ^= UInt32(data[tail])
            h &*= m
        case 1:
            h ^= UInt32(data[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }
}
