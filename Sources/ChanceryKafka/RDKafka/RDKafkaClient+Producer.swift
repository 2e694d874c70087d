import CRdKafka

/// Producing (`rd_kafka_produceva`), flushing and purging.
extension RDKafkaClient {
    /// Enqueues one record with `rd_kafka_produceva` (copying key, value, headers). Does not
    /// block. On success librdkafka owns `ticket` until the delivery report callback releases
    /// it; on failure it is released here and the error thrown.
    /// - Throws: ``KafkaError`` from `rd_kafka_produceva` (e.g. `_QUEUE_FULL`,
    ///   `_UNKNOWN_PARTITION`, `_MSG_SIZE_TOO_LARGE`, `_FATAL`, `_STATE`) or `_DESTROY`.
    func produce(_ record: KafkaProducerRecord, ticket: RDKafkaDeliveryTicket) throws {
        var arena = CArena()
        defer { arena.free() }

        var fields: [rd_kafka_vu_t] = []
        fields.reserveCapacity(6 + record.headers.count)

        var topic = rd_kafka_vu_t()
        topic.vtype = RD_KAFKA_VTYPE_TOPIC
        topic.u.cstr = UnsafePointer(arena.cString(record.topic))
        fields.append(topic)

        if let partition = record.partition {
            var field = rd_kafka_vu_t()
            field.vtype = RD_KAFKA_VTYPE_PARTITION
            field.u.i32 = partition
            fields.append(field)
        }
        if let key = record.key {
            var field = rd_kafka_vu_t()
            field.vtype = RD_KAFKA_VTYPE_KEY
            field.u.mem.ptr = arena.bytes(key)
            field.u.mem.size = key.count
            fields.append(field)
        }
        var value = rd_kafka_vu_t()
        value.vtype = RD_KAFKA_VTYPE_VALUE
        value.u.mem.ptr = arena.bytes(record.value)
        value.u.mem.size = record.value.count
        fields.append(value)

        for header in record.headers {
            var field = rd_kafka_vu_t()
            field.vtype = RD_KAFKA_VTYPE_HEADER
            field.u.header.name = UnsafePointer(arena.cString(header.key))
            if let headerValue = header.value {
                field.u.header.val = UnsafeRawPointer(arena.bytes(headerValue))
                field.u.header.size = headerValue.count
            } else {
                field.u.header.val = nil  // null header value
                field.u.header.size = -1
            }
            fields.append(field)
        }

        var flags = rd_kafka_vu_t()
        flags.vtype = RD_KAFKA_VTYPE_MSGFLAGS
        flags.u.i = RD_KAFKA_MSG_F_COPY
        fields.append(flags)

        let retainedTicket = Unmanaged.passRetained(ticket)
        var opaque = rd_kafka_vu_t()
        opaque.vtype = RD_KAFKA_VTYPE_OPAQUE
        opaque.u.ptr = retainedTicket.toOpaque()
        fields.append(opaque)

        let failure: KafkaError? = try self.withHandle { handle in
            let error = fields.withUnsafeBufferPointer { rd_kafka_produceva(handle, $0.baseAddress, $0.count) }
            return error.map { KafkaError(consuming: $0) }
        }
        if let failure {
            retainedTicket.release()
            throw failure
        }
    }

    /// `rd_kafka_flush`: waits (off the pool) until every enqueued record has its delivery
    /// report, for at most `timeoutMilliseconds`.
    /// - Throws: ``KafkaError`` `_TIMED_OUT` if records remain, `_DESTROY`.
    func flush(timeoutMilliseconds: Int) async throws {
        try await self.runBlocking { handle in
            let result = rd_kafka_flush(handle, Int32(clamping: timeoutMilliseconds))
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError(code: result, message: "flush: \(rd_kafka_outq_len(handle)) records still queued after \(timeoutMilliseconds) ms")
            }
        }
    }

    /// `rd_kafka_purge(QUEUE | INFLIGHT)` then a short `rd_kafka_flush` to serve the purged
    /// records' delivery reports (`_PURGE_QUEUE` / `_PURGE_INFLIGHT`). Used at shutdown.
    /// - Returns: number of records still queued afterwards (normally 0).
    func purgeAll() async -> Int {
        (try? await self.runBlocking { handle -> Int in
            let flags = RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT
            _ = rd_kafka_purge(handle, Int32(flags))
            _ = rd_kafka_flush(handle, 1000)
            return Int(rd_kafka_outq_len(handle))
        }) ?? 0
    }
}

/// C allocations that live until ``free()``; used to keep `rd_kafka_produceva` arguments
/// alive for the duration of the call.
private struct CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    /// A NUL-terminated copy of `string`.
    mutating func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        self.allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// A copy of `bytes` (never a null pointer, even when empty, so an empty key stays
    /// distinct from a null one).
    mutating func bytes(_ bytes: [UInt8]) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { pointer.copyMemory(from: base, byteCount: source.count) }
        }
        self.allocations.append(pointer)
        return pointer
    }

    mutating func free() {
        for allocation in self.allocations { allocation.deallocate() }
        self.allocations = []
    }
}
