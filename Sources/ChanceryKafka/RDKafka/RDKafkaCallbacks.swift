import CRdKafka
import Logging

/// librdkafka's C callbacks. They run on librdkafka's internal threads (log) or on whichever
/// thread serves the queue (`rd_kafka_poll` / `rd_kafka_consumer_poll`: error, delivery
/// report, rebalance), and find Swift state through the instance opaque.
enum RDKafkaCallbacks {
    /// Registers the callbacks that apply to `kind` on `conf`.
    static func install(on conf: OpaquePointer, kind: RDKafkaClient.Kind) {
        rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        switch kind {
        case .producer:
            rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
            rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDeliveryReportCallback)
        case .consumer:
            // No error_cb: consumer errors then arrive through rd_kafka_consumer_poll as
            // messages with `err` set, where the batch loop logs or throws them.
            rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
        case .plain:
            rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
        }
    }

    fileprivate static func context(_ rk: OpaquePointer?) -> RDKafkaCallbackContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// syslog(3) level to swift-log level.
    fileprivate static func level(_ syslogLevel: Int32) -> Logger.Level {
        switch syslogLevel {
        case ...2: return .critical
        case 3: return .error
        case 4: return .warning
        case 5: return .notice
        case 6: return .info
        default: return .debug
        }
    }
}

private func rdKafkaLogCallback(
    _ rk: OpaquePointer?,
    _ level: Int32,
    _ facility: UnsafePointer<CChar>?,
    _ line: UnsafePointer<CChar>?
) {
    guard let context = RDKafkaCallbacks.context(rk) else { return }
    let facilityString = facility.map { String(cString: $0) } ?? ""
    let lineString = line.map { String(cString: $0) } ?? ""
    context.logger.log(
        level: RDKafkaCallbacks.level(level),
        "\(lineString)",
        metadata: ["rdkafka.facility": "\(facilityString)"]
    )
}

private func rdKafkaErrorCallback(
    _ rk: OpaquePointer?,
    _ code: Int32,
    _ reason: UnsafePointer<CChar>?,
    _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let context = RDKafkaCallbacks.context(rk) else { return }
    let reasonString = reason.map { String(cString: $0) }
    let error = KafkaError(code: rd_kafka_resp_err_t(rawValue: code), message: reasonString, handle: rk)
    context.logger.log(level: error.isFatal ? .critical : .warning, "librdkafka error: \(error)")
}

private func rdKafkaDeliveryReportCallback(
    _ rk: OpaquePointer?,
    _ message: UnsafePointer<rd_kafka_message_t>?,
    _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let message, let ticketPointer = message.pointee._private else { return }
    let ticket = Unmanaged<RDKafkaDeliveryTicket>.fromOpaque(ticketPointer).takeRetainedValue()
    let m = message.pointee
    if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
        // Not rd_kafka_message_errstr: for a delivery report the payload is the record value,
        // not an error string.
        ticket.complete(.failure(KafkaError(code: m.err, handle: rk)))
        return
    }
    let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    ticket.complete(.success(KafkaDeliveryReport(topic: topic, partition: m.partition, offset: m.offset)))
}

private func rdKafkaRebalanceCallback(
    _ rk: OpaquePointer?,
    _ code: rd_kafka_resp_err_t,
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let context = RDKafkaCallbacks.context(rk) else { return }
    let handlers = context.rebalanceHandlers.withLock { $0 }
    let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
    let topicPartitions = partitions.map { RDKafkaTopicPartitionList.entries(of: $0).map(\.topicPartition) } ?? []

    switch code {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        let offsets = handlers?.onAssign(topicPartitions) ?? [:]
        if let partitions {
            RDKafkaTopicPartitionList.setOffsets(offsets, in: partitions)
        }
        context.logger.info("partitions assigned", metadata: ["partitions": "\(topicPartitions)"])
        if cooperative {
            if let error = rd_kafka_incremental_assign(rk, partitions) {
                context.logger.error("incremental assign failed: \(KafkaError(consuming: error))")
            }
        } else {
            let result = rd_kafka_assign(rk, partitions)
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                context.logger.error("assign failed: \(KafkaError(code: result))")
            }
        }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        let lost = rd_kafka_assignment_lost(rk) != 0
        context.logger.info("partitions revoked", metadata: ["partitions": "\(topicPartitions)", "lost": "\(lost)"])
        handlers?.onRevoke(topicPartitions)
        if cooperative {
            if let error = rd_kafka_incremental_unassign(rk, partitions) {
                context.logger.error("incremental unassign failed: \(KafkaError(consuming: error))")
            }
        } else {
            _ = rd_kafka_assign(rk, nil)
        }
    default:
        context.logger.error("rebalance error: \(KafkaError(code: code))")
        _ = rd_kafka_assign(rk, nil)
    }
}
