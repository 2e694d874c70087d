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
        let rows = try await database.query("SELECT sequence, hash, state::text FROM approval.stream_heads WHERE stream = $1", [stream])
        guard let row = rows.first else { return nil }
        let state = try row.decode(String?.self, at: 2).map { try JSONDecoder().decode(AggregateState.self, from: Data($0.utf8)) }
        return StreamHead(stream: stream, sequence: try row.decode(Int64.self, at: 0), hash: try row.decode(String.self, at: 1), state: state)
    }

    public func lookup(source: String, id: String) async throws -> AppendedEvent? {
        let rows = try await database.query(
            """
            SELECT subject, topic, partition, "offset", sequence, hash, content_digest FROM audit.events WHERE source = $1 AND id = $2
            """, [source, id])
        guard let r = rows.first else { return nil }
        return AppendedEvent(
            id: id, source: source, subject: try r.decode(String.self, at: 0), topic: try r.decode(String.self, at: 1),
            partition: try r.decode(Int32.self, at: 2), offset: try r.decode(Int64.self, at: 3), sequence: try r.decode(Int64.self, at: 4),
            hash: try r.decode(String.self, at: 5), contentDigest: try r.decode(String.self, at: 6))
    }

    public func projectorOffsets() async throws -> [String: [Int32: Int64]] {
        let rows = try await database.query(
            "SELECT topic, partition, next_offset FROM projection.consumer_offsets WHERE consumer_group = $1", [ReadModelProjector.consumerGroup])
        var out: [String: [Int32: Int64]] = [:]
        for r in rows {
            out[try r.decode(String.self, at: 0), default: [:]][try r.decode(Int32.self, at: 1)] = try r.decode(Int64.self, at: 2)
        }
        return out
    }
}
