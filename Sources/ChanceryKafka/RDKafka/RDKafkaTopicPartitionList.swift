import CRdKafka

/// Helpers for `rd_kafka_topic_partition_list_t`. Lists created here live only inside
/// ``withList(_:_:)``, which is the one place that destroys them.
enum RDKafkaTopicPartitionList {
    /// One element of a list.
    struct Entry {
        var topicPartition: KafkaTopicPartition
        var offset: Int64
        var error: rd_kafka_resp_err_t
    }

    /// `RD_KAFKA_OFFSET_INVALID` (-1001): "no explicit offset", i.e. the committed offset or
    /// `auto.offset.reset`.
    static let invalidOffset = Int64(RD_KAFKA_OFFSET_INVALID)

    /// Creates a list holding `entries` (offset `nil` = `RD_KAFKA_OFFSET_INVALID`), runs `body`,
    /// destroys the list.
    static func withList<Result>(
        _ entries: [(KafkaTopicPartition, Int64?)],
        _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws -> Result
    ) rethrows -> Result {
        let list = rd_kafka_topic_partition_list_new(Int32(max(entries.count, 1)))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (topicPartition, offset) in entries {
            let element = rd_kafka_topic_partition_list_add(list, topicPartition.topic, topicPartition.partition)!
            element.pointee.offset = offset ?? self.invalidOffset
        }
        return try body(list)
    }

    /// The elements of `list`.
    static func entries(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [Entry] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return Entry(
                topicPartition: KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                offset: element.offset,
                error: element.err
            )
        }
    }

    /// Sets each element's offset from `offsets`; elements missing from it get
    /// `RD_KAFKA_OFFSET_INVALID`.
    static func setOffsets(_ offsets: [KafkaTopicPartition: Int64], in list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return }
        for index in 0..<count {
            let key = KafkaTopicPartition(topic: String(cString: elements[index].topic), partition: elements[index].partition)
            elements[index].offset = offsets[key] ?? self.invalidOffset
        }
    }

    /// The first per-partition error in `list`, if any.
    static func firstError(in list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> KafkaError? {
        for entry in self.entries(of: list) where entry.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(code: entry.error, message: "\(entry.topicPartition): \(String(cString: rd_kafka_err2str(entry.error)))")
        }
        return nil
    }
}
