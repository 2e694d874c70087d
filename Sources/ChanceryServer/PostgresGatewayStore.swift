import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections
import Foundation

/// The gateway's view of the read models: `approval.stream_heads`, `audit.events` and the projector's
/// offsets in `projection.consumer_offsets`.
public struct PostgresGatewayStore: GatewayStore {
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func loadHead(_ stream: String) async throws -> StreamHead? {
        let rows = try await database.query("SELECT sequence, hash, state::text FROM approval.stream_heads WHERE stream = \(stream)")
        guard let row = rows.first else { return nil }
        let state = try row.decode(String?.self, at: 2).map { try JSONDecoder().decode(AggregateState.self, from: Data($0.utf8)) }
        return StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 0), hash: try row.decode(String.self, at: 1), state: state)
    }

    public func lookup(source: String, id: String) async throws -> AppendedEvent? {
        let rows = try await database.query(
            """
            SELECT subject, topic, partition, "offset", sequence, hash, content_digest FROM audit.events WHERE source = \(source) AND id = \(id)
            """)
        guard let r = rows.first else { return nil }
        return AppendedEvent(
            id: id, source: source, subject: try r.decode(String.self, at: 0), topic: try r.decode(String.self, at: 1),
            partition: try r.decode(Int32.self, at: 2), offset: try r.decode(Int64.self, at: 3), sequence: try r.decode(Int64.self, at: 4),
            hash: try r.decode(String.self, at: 5), contentDigest: try r.decode(String.self, at: 6))
    }

    /// One `= ANY` query over `approval.stream_heads`.
    public func loadHeads(_ streams: [String]) async throws -> [String: StreamHead] {
        guard !streams.isEmpty else { return [:] }
        let decoder = JSONDecoder()
        var out: [String: StreamHead] = [:]
        for row in try await database.query(
            "SELECT stream, sequence, hash, state::text FROM approval.stream_heads WHERE stream = ANY(\(streams))") {
            let stream = try row.decode(String.self, at: 0)
            let state = try row.decode(String?.self, at: 3).map { try decoder.decode(AggregateState.self, from: Data($0.utf8)) }
            out[stream] = StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 1), hash: try row.decode(String.self, at: 2), state: state)
        }
        return out
    }

    /// One query over `audit.events` by its unique (`source`, `id`).
    public func lookup(_ keys: [(source: String, id: String)]) async throws -> [AppendedEvent] {
        guard !keys.isEmpty else { return [] }
        let rows = try await database.query(
            """
            SELECT e.source, e.id, e.subject, e.topic, e.partition, e."offset", e.sequence, e.hash, e.content_digest
            FROM unnest(\(keys.map(\.source))::text[], \(keys.map(\.id))::text[]) AS k(source, id) JOIN audit.events e ON e.source = k.source AND e.id = k.id
            """)
        return try rows.map { r in
            AppendedEvent(
                id: try r.decode(String.self, at: 1), source: try r.decode(String.self, at: 0), subject: try r.decode(String.self, at: 2),
                topic: try r.decode(String.self, at: 3), partition: try r.decode(Int32.self, at: 4), offset: try r.decode(Int64.self, at: 5),
                sequence: try r.decode(Int64.self, at: 6), hash: try r.decode(String.self, at: 7), contentDigest: try r.decode(String.self, at: 8))
        }
    }

    public func projectorOffsets() async throws -> [String: [Int32: Int64]] {
        let rows = try await database.query(
            "SELECT topic, partition, next_offset FROM projection.consumer_offsets WHERE consumer_group = \(ReadModelProjector.consumerGroup)")
        var out: [String: [Int32: Int64]] = [:]
        for r in rows {
            out[try r.decode(String.self, at: 0), default: [:]][try r.decode(Int32.self, at: 1)] = try r.decode(Int64.self, at: 2)
        }
        return out
    }
}
