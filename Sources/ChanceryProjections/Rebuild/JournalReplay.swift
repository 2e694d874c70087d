import ChanceryDomain
import ChanceryPostgres
import ChanceryRuntime
import Foundation

/// The point in time a replay stops at (`chancery replay --as-of T --by business|recorded`).
public struct ReplayCutoff: Sendable, Hashable {
    /// Which clock the cutoff reads.
    public enum Clock: String, Sendable, Codable, CaseIterable {
        /// The event's own `time` (when it happened).
        case business
        /// The event's `recordedtime` (when the gateway appended it).
        case recorded
    }

    /// The last instant included.
    public var instant: RFC3339Timestamp
    public var by: Clock

    public init(instant: RFC3339Timestamp, by: Clock) {
        self.instant = instant
        self.by = by
    }

    /// Whether `event` happened (or was recorded) at or before the cutoff. An event without a readable time is after it.
    public func includes(_ event: CloudEvent) -> Bool {
        includes(time: by == .business ? event.time : (event.recordedtime ?? event.time))
    }

    /// Whether the RFC 3339 `time` is at or before the cutoff; a missing or unreadable time is after it.
    public func includes(time: String?) -> Bool {
        guard let time, let t = try? RFC3339Timestamp(parsing: time) else { return false }
        return !(instant < t)
    }
}

/// A consumer of the live layout replayed from the journal: its group (the key of its stream positions and offsets),
/// the topics it reads (full names) and its handler (``ReadModelProjector``, the supervisor).
public struct ReplayConsumer: Sendable {
    public var group: String
    public var topics: Set<String>
    public var handler: any ReadModelHandler

    public init(group: String, topics: [String], handler: any ReadModelHandler) {
        self.group = group
        self.topics = Set(topics)
        self.handler = handler
    }
}

/// Rebuilds read models from the log of record (`audit.journal`, read in position order, never from Kafka) into a
/// ``ReadModelNamespace``, by running the live consumers' handlers unchanged through the namespace's
/// ``PostgresSchemaRoute``.
///
/// Each chunk of journal records is applied in one transaction in the namespace, as the consumer runtime
/// (``ExactlyOnceConsumer``) does live: per consumer, stream continuity first (a duplicate skipped, a gap or fork
/// quarantined), then the handler on the batch — or, when the batch fails permanently, event by event in savepoints, the
/// failing events quarantined (`apply-failed`) — then the group's stream positions and offsets. Events the handlers
/// derive (the supervisor's cards, quarantine alerts) are dropped: the live ones are already in the log, as events of
/// `gov.supervision`, and are replayed from there. Offsets are the record's place among the journal records of its
/// partition (what the embedded broker, seeded from the journal, gives it).
///
/// A cutoff keeps, of each stream, its events up to the first one after the cutoff (a stream is never replayed with a
/// gap). The namespace's own `projection.read_model_builds` row (its copy of the table) holds the position read up
/// to, committed with each chunk, so a later ``run(through:progress:)`` resumes there (a replay without a cutoff: a
/// rebuild catching up; a replay with a cutoff runs in one go).
public struct JournalReplay: Sendable {
    /// Progress after each chunk.
    public struct Progress: Sendable {
        /// Journal position read up to.
        public var position: Int64
        /// The last position this run reads to.
        public var lastPosition: Int64
        /// Journal records read in this run.
        public var records: Int
        /// Canonical events applied in this run.
        public var events: Int
    }

    /// What a run did.
    public struct Summary: Sendable, Codable {
        /// Position read up to (inclusive).
        public var lastPosition: Int64
        /// Journal records read in this run (events and dead letters).
        public var records: Int
        /// Canonical events applied in this run.
        public var events: Int
        /// Canonical events left out because they (or an earlier event of their stream) come after the cutoff.
        public var afterCutoff: Int
        /// Records quarantined (undecodable, continuity, apply-failed), per consumer group.
        public var quarantined: Int
        /// Where the run's time went.
        public var timings = Timings()
    }

    /// Where a run's time went, in seconds of wall-clock time. Reading ahead (a pool of two connections or more), `read`
    /// and `decode` overlap the applying, and `waited` is what they cost it; otherwise they add up with the rest to about
    /// the run's time.
    public struct Timings: Sendable, Codable, CustomStringConvertible {
        /// Reading journal records from PostgreSQL (the query and its rows).
        public var read: Double = 0
        /// Decoding the records' CloudEvents (JSON) and the cutoff.
        public var decode: Double = 0
        /// Time the applying waited for the chunk read ahead.
        public var waited: Double = 0
        /// Each consumer group's share of applying the chunks: its stream positions read, continuity, its handler, its
        /// positions, offsets and quarantine written.
        public var apply: [String: Double] = [:]
        /// The rest of each chunk's transaction: recording the build's position and the commit.
        public var commit: Double = 0

        public init() {}

        mutating func add(_ other: Timings) {
            read += other.read
            decode += other.decode
            waited += other.waited
            commit += other.commit
            for (group, seconds) in other.apply { apply[group, default: 0] += seconds }
        }

        public var description: String {
            let groups = apply.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.1f s", $0.value) }
            return String(format: "read %.1f s, decode %.1f s, waited for them %.1f s, ", read, decode, waited) + groups.joined(separator: ", ")
                + String(format: ", commit %.1f s", commit)
        }
    }

    /// Seconds since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    let database: PostgresClient
    let namespace: ReadModelNamespace
    let consumers: [ReplayConsumer]
    let cutoff: ReplayCutoff?
    let chunk: Int

    /// - Parameters:
    ///   - database: the live database (the journal is read from it; the namespace's schemas are in it).
    ///   - namespace: where to build (``ReadModelBuilds/create(_:purpose:cutoff:replace:version:migrations:database:)`` made it).
    ///   - consumers: the handlers to run, each with the topics its live consumer reads.
    ///   - chunk: journal records per transaction.
    public init(database: PostgresClient, namespace: ReadModelNamespace, consumers: [ReplayConsumer], cutoff: ReplayCutoff?, chunk: Int = 2_000) {
        self.database = database
        self.namespace = namespace
        self.consumers = consumers
        self.cutoff = cutoff
        self.chunk = max(1, chunk)
    }

    /// The journal's last position now (0 when empty).
    public static func journalEnd(database: PostgresClient) async throws -> Int64 {
        try await database.query("SELECT coalesce(max(position), 0) FROM audit.journal").first?.decode(Int64.self, at: 0) ?? 0
    }

    /// The journal position the namespace has read up to (0 before the first chunk).
    public func position() async throws -> Int64 {
        try await database.withConnection { try await position(on: $0) }
    }

    func position(on connection: PostgresConnection) async throws -> Int64 {
        try await PostgresSchemaRoute.$current.withValue(namespace.route) {
            try await connection.query("SELECT coalesce(max(last_position), 0) FROM projection.read_model_builds WHERE name = \(namespace.name)")
                .first?.decode(Int64.self, at: 0) ?? 0
        }
    }

    /// Applies the journal records after the namespace's position up to `through` (default: the journal's end now).
    ///
    /// On a pool of two connections or more, the next chunk is read and decoded on a second connection while the current
    /// one is applied (PostgreSQL writing and this process decoding overlap); chunks are still applied one after the
    /// other, in position order.
    /// - Parameter connection: run on this connection, inside its open transaction (each chunk in a savepoint; the swap
    ///   of ``ReadModelSwap``); nil: on a connection of the pool, each chunk in its own transaction.
    public func run(through: Int64? = nil, on connection: PostgresConnection? = nil,
                    progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        if let connection { return try await run(through: through, connection: connection, reader: nil, progress: progress) }
        guard database.maxConnections >= 2 else {
            return try await database.withConnection { try await run(through: through, connection: $0, reader: nil, progress: progress) }
        }
        return try await database.withConnection { connection in
            try await database.withConnection { reader in
                try await run(through: through, connection: connection, reader: reader, progress: progress)
            }
        }
    }

    /// - Parameter reader: the connection that reads the journal ahead of `connection`; nil: read on `connection`, in turn.
    private func run(through: Int64?, connection: PostgresConnection, reader: PostgresConnection?,
                     progress: @Sendable (Progress) -> Void) async throws -> Summary {
        let start = try await position(on: connection)
        let end: Int64
        if let through { end = through } else {
            end = try await connection.query("SELECT coalesce(max(position), 0) FROM audit.journal").first?.decode(Int64.self, at: 0) ?? 0
        }
        if cutoff != nil && start > 0 {
            throw ReadModelBuilds.BuildError("read models '\(namespace.name)' were replayed with a cutoff and stopped part way; replay them again with --replace")
        }
        var summary = Summary(lastPosition: start, records: 0, events: 0, afterCutoff: 0, quarantined: 0)
        let initial = ChunkReader(cutoff: cutoff, chunk: chunk, end: end, ordinals: try await partitionCounts(through: start, on: connection))
        /// Reads the chunk after `position` with `state` on `on`; returns the state after it with the chunk.
        @Sendable func read(_ state: ChunkReader, after position: Int64, on: PostgresConnection) async throws -> (ChunkReader, Chunk?) {
            var state = state
            let chunk = try await state.next(after: position, on: on)
            return (state, chunk)
        }
        var next: Task<(ChunkReader, Chunk?), any Error>?
        var (state, current) = try await read(initial, after: start, on: reader ?? connection)
        while let chunk = current {
            if let reader, chunk.last < end {
                let ahead = state
                next = Task { try await read(ahead, after: chunk.last, on: reader) }
            }
            summary.timings.read += chunk.readSeconds
            summary.timings.decode += chunk.decodeSeconds
            summary.afterCutoff += chunk.afterCutoff
            let outcome: ChunkOutcome
            do {
                outcome = try await apply(chunk.records, through: chunk.last, on: connection)
            } catch {
                // The read ahead finishes on its connection before the pool takes it back.
                if let next { _ = try? await next.value }
                throw error
            }
            summary.timings.add(outcome.timings)
            summary.records += chunk.rows
            summary.events += outcome.events
            summary.quarantined += outcome.quarantined
            summary.lastPosition = chunk.last
            progress(Progress(position: chunk.last, lastPosition: end, records: summary.records, events: summary.events))
            if let pending = next {
                next = nil
                let waited = ContinuousClock.now
                (state, current) = try await pending.value
                summary.timings.waited += Self.seconds(since: waited)
            } else if reader == nil, chunk.last < end {
                (state, current) = try await read(state, after: chunk.last, on: connection)
            } else {
                current = nil
            }
        }
        return summary
    }

    /// A chunk of journal records read and decoded.
    struct Chunk: Sendable {
        /// The records to apply (dead letters and events after the cutoff left out).
        var records: [Record]
        /// Journal records read (all of them).
        var rows: Int
        /// The last position read.
        var last: Int64
        /// Events left out by the cutoff.
        var afterCutoff: Int
        var readSeconds: Double
        var decodeSeconds: Double
    }

    /// Reads the journal chunk by chunk, in position order: each record's offset (its place among its partition's
    /// records) and, with a cutoff, the streams that reached it.
    struct ChunkReader: Sendable {
        let cutoff: ReplayCutoff?
        let chunk: Int
        let end: Int64
        /// Journal records read so far per partition (`topic#partition`).
        var ordinals: [String: Int64]
        /// Streams that reached the cutoff (their later events are left out too).
        var stopped: Set<String> = []

        /// The chunk after `position` (at most `chunk` records up to `end`), nil when there is none.
        mutating func next(after position: Int64, on connection: PostgresConnection) async throws -> Chunk? {
            guard position < end else { return nil }
            let readStarted = ContinuousClock.now
            let rows = try await connection.query(
                """
                SELECT position, topic, partition, CASE WHEN subject IS NOT NULL THEN convert_from(value, 'UTF8') END, subject,
                       CASE WHEN subject IS NULL THEN NULL
                            WHEN \(cutoff?.by.rawValue)::text = 'business' THEN convert_from(value, 'UTF8')::jsonb ->> 'time'
                            WHEN \(cutoff?.by.rawValue)::text = 'recorded' THEN coalesce(convert_from(value, 'UTF8')::jsonb ->> 'recordedtime',
                                                                     convert_from(value, 'UTF8')::jsonb ->> 'time') END
                FROM audit.journal WHERE position > \(position) AND position <= \(end) ORDER BY position LIMIT \(chunk)
                """)
            let readSeconds = JournalReplay.seconds(since: readStarted)
            guard let lastRow = rows.last else { return nil }
            let decodeStarted = ContinuousClock.now
            var records: [Record] = []
            records.reserveCapacity(rows.count)
            var afterCutoff = 0
            let decoder = JSONDecoder()
            for row in rows {
                let topic = try row.decode(String.self, at: 1), partition = try row.decode(Int32.self, at: 2)
                let key = "\(topic)#\(partition)"
                let offset = ordinals[key, default: 0]
                ordinals[key] = offset + 1
                let position = try row.decode(Int64.self, at: 0)
                guard let text = try row.decode(String?.self, at: 3) else { continue } // a dead letter: no read model
                // After the cutoff (by the time PostgreSQL read from the stored event), or its stream stopped: left out
                // without decoding it.
                let time = try row.decode(String?.self, at: 5)
                if let cutoff, let subject = try row.decode(String?.self, at: 4), stopped.contains(subject) || !cutoff.includes(time: time) {
                    stopped.insert(subject)
                    afterCutoff += 1
                    continue
                }
                var record = Record(position: position, topic: topic, partition: partition, offset: offset, bytes: Array(text.utf8), event: nil)
                if let event = try? decoder.decode(CloudEvent.self, from: Data(text.utf8)) {
                    if stopped.contains(event.subject) || !(cutoff?.includes(event) ?? true) {
                        stopped.insert(event.subject)
                        afterCutoff += 1
                        continue
                    }
                    record.event = event
                }
                records.append(record)
            }
            return Chunk(records: records, rows: rows.count, last: try lastRow.decode(Int64.self, at: 0), afterCutoff: afterCutoff,
                         readSeconds: readSeconds, decodeSeconds: JournalReplay.seconds(since: decodeStarted))
        }
    }

    /// One journal record of a chunk: a decoded canonical event, or (event nil) bytes that do not decode.
    struct Record: Sendable {
        var position: Int64
        var topic: String
        var partition: Int32
        var offset: Int64
        var bytes: [UInt8]
        var event: CloudEvent?
    }

    /// The number of journal records of each partition at or before `position` (`topic#partition`).
    private func partitionCounts(through position: Int64, on connection: PostgresConnection) async throws -> [String: Int64] {
        guard position > 0 else { return [:] }
        var counts: [String: Int64] = [:]
        for row in try await connection.query("SELECT topic, partition, count(*) FROM audit.journal WHERE position <= \(position) GROUP BY 1, 2") {
            counts["\(try row.decode(String.self, at: 0))#\(try row.decode(Int32.self, at: 1))"] = try row.decode(Int64.self, at: 2)
        }
        return counts
    }

    private struct ChunkOutcome: Sendable {
        var events: Int
        var quarantined: Int
        var timings = Timings()
    }

    /// Applies one chunk in one transaction in the namespace.
    private func apply(_ records: [Record], through last: Int64, on connection: PostgresConnection) async throws -> ChunkOutcome {
        let consumers = self.consumers
        let name = namespace.name
        let started = ContinuousClock.now
        var outcome = try await PostgresSchemaRoute.$current.withValue(namespace.route) {
            try await connection.transaction { connection in
                var outcome = ChunkOutcome(events: records.filter { $0.event != nil }.count, quarantined: 0)
                for consumer in consumers {
                    let applyStarted = ContinuousClock.now
                    let mine = records.filter { consumer.topics.contains($0.topic) }
                    outcome.quarantined += try await Self.apply(mine, consumer: consumer, on: connection)
                    outcome.timings.apply[consumer.group, default: 0] += Self.seconds(since: applyStarted)
                    }
                    try await connection.execute(
                        """
                        INSERT INTO projection.read_model_builds (name, purpose, last_position, events, projection_version)
                        VALUES (\(name), 'replay', \(last), \(outcome.events), \(ReadModelVersion.current))
                        ON CONFLICT (name) DO UPDATE SET last_position = EXCLUDED.last_position,
                            events = projection.read_model_builds.events + EXCLUDED.events
                        """)
                    return outcome
            }
        }
        outcome.timings.commit = Self.seconds(since: started) - outcome.timings.apply.values.reduce(0, +)
        return outcome
    }

    /// Applies `records` for one consumer on `connection` (inside the chunk's transaction); returns how many it quarantined.
    private static func apply(_ records: [Record], consumer: ReplayConsumer, on connection: PostgresConnection) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        let group = consumer.group
        var quarantine: [(record: Record, reason: String)] = []
        var decoded: [(Record, CloudEvent)] = []
        for record in records {
            if let event = record.event { decoded.append((record, event)) } else { quarantine.append((record, "undecodable: not a CloudEvent")) }
        }
        var heads: [String: StreamHead] = [:]
        let subjects = Array(Set(decoded.map(\.1.subject)))
        for row in try await connection.query(
            "SELECT stream, sequence, hash FROM projection.stream_positions WHERE consumer_group = \(group) AND stream = ANY(\(subjects))") {
            let stream = try row.decode(String.self, at: 0)
            heads[stream] = StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 1), hash: try row.decode(String.self, at: 2))
        }
        var applicable: [(Record, ConsumedEvent)] = []
        var touched: Set<String> = []
        for (record, event) in decoded {
            let head = heads[event.subject] ?? StreamHead(stream: event.subject)
            switch head.continuity(of: event) {
            case .next:
                heads[event.subject] = StreamHead(stream: event.subject, sequence: event.sequence ?? 0, hash: event.hash ?? "")
                touched.insert(event.subject)
                applicable.append((record, ConsumedEvent(event: event, topic: record.topic, partition: record.partition, offset: record.offset)))
            case .duplicate:
                continue
            case .broken(let why):
                quarantine.append((record, "continuity: \(why)"))
            }
        }
        let batch = applicable.map(\.1)
        do {
            _ = try await connection.transaction { try await consumer.handler.apply(batch, on: $0) }
        } catch where !ConsumerFailure.isTransient(error) {
            for (record, consumed) in applicable {
                do {
                    _ = try await connection.transaction { try await consumer.handler.apply([consumed], on: $0) }
                } catch where !ConsumerFailure.isTransient(error) {
                    quarantine.append((record, "apply-failed: \(error)"))
                }
            }
        }
        try await ConsumerLedger.savePositions(group: group, touched.compactMap { heads[$0] }, on: connection)
        for q in quarantine {
            try await ConsumerLedger.quarantine(topic: q.record.topic, partition: q.record.partition, offset: q.record.offset, group: group,
                                                subject: q.record.event?.subject, reason: q.reason, record: q.record.bytes, on: connection)
        }
        var next: [String: ConsumerLedger.Offset] = [:]
        for r in records {
            let key = "\(r.topic)#\(r.partition)"
            if (next[key]?.lastPosition ?? 0) < r.position {
                next[key] = ConsumerLedger.Offset(topic: r.topic, partition: r.partition, nextOffset: r.offset + 1, lastPosition: r.position)
            }
        }
        try await ConsumerLedger.saveOffsets(group: group, Array(next.values), on: connection)
        return quarantine.count
    }
}
