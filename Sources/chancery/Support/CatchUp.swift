import AsyncHTTPClient
import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChancerySupervision
import Foundation
import NIOCore
import NIOHTTP1

/// Waits until the read models reflect what the gateway answered: every stream's head in
/// `approval.stream_heads` has reached the answered sequence, the supervisor has seen every stream it
/// watches (cases, disclosure requests, letters, consultations, complaints), and every yellow and red card
/// it raised has been projected.
enum CatchUp {
    /// - Parameter timeout: seconds to wait at most.
    /// - Throws: `CatchUpTimeout` when the read models are still behind after `timeout`.
    static func wait(for heads: [String: Int64], database: PostgresClient, timeout: Double = 600) async throws {
        let streams = Array(heads.keys)
        let sequences = streams.map { heads[$0]! }
        let watchedStreams = streams.filter { Supervisor.watchedStreamKinds.contains(StreamID($0)?.kind ?? "") }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let projected = try await database.query(
                """
                SELECT count(*) FROM approval.stream_heads h JOIN unnest(\(streams)::text[], \(sequences)::bigint[]) AS a(stream, sequence)
                ON h.stream = a.stream AND h.sequence >= a.sequence
                """)
            let supervised = try await database.query(
                """
                SELECT count(*) FROM projection.stream_positions p JOIN unnest(\(watchedStreams)::text[]) AS a(stream)
                ON p.stream = a.stream AND p.consumer_group = \(Supervisor.consumerGroup)
                """)
            let alerts = try await database.query(
                """
                SELECT (SELECT count(red_alert_id) + count(yellow_alert_id) + coalesce(sum(cardinality(step_alert_ids)), 0) FROM supervision.case_clocks)
                     + (SELECT count(red_alert_id) + count(yellow_alert_id) FROM supervision.reply_clocks)
                     - (SELECT count(*) FROM supervision.alerts WHERE alert_type IN ('DeadlineBreached', 'DeadlineWarningRaised'))
                """)
            let p = try projected.first?.decode(Int64.self, at: 0) ?? 0
            let s = try supervised.first?.decode(Int64.self, at: 0) ?? 0
            let a = try alerts.first?.decode(Int64.self, at: 0) ?? 1
            if p == Int64(streams.count) && s == Int64(watchedStreams.count) && a <= 0 { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw CatchUpTimeout()
    }
}

extension CatchUp {
    /// Streams per `POST /v1/catch-up` request (the endpoint takes at most 10,000).
    static let streamsPerRequest = 5_000

    /// Waits as ``wait(for:database:timeout:)`` does, through the API of the server at `baseURL`
    /// (`POST /v1/catch-up`, see `CatchUpController`): no database access needed, only a token that may read the
    /// streams (an integrator's for its regions, or an analyst's, auditor's or admin's).
    /// - Throws: `CatchUpTimeout` when the read models are still behind after `timeout`; `CatchUpRefused` when
    ///   the server refuses the question (e.g. 401, 403, or 404 from a server without the endpoint).
    static func wait(for heads: [String: Int64], baseURL: String, token: String?, timeout: Double = 600) async throws {
        let streams = heads.keys.sorted()
        guard !streams.isEmpty else { return }
        let chunks = stride(from: 0, to: streams.count, by: streamsPerRequest).map { Array(streams[$0..<min($0 + streamsPerRequest, streams.count)]) }
        let deadline = Date().addingTimeInterval(timeout)
        var pending = chunks
        var last: CatchUpAnswer?
        while Date() < deadline {
            var still: [[String]] = []
            for chunk in pending {
                let answer = try await ask(Dictionary(uniqueKeysWithValues: chunk.map { ($0, heads[$0]!) }), baseURL: baseURL, token: token)
                if !answer.caughtUp { still.append(chunk); last = answer }
            }
            if still.isEmpty { return }
            pending = still
            try await Task.sleep(for: .milliseconds(500))
        }
        throw CatchUpTimeout(detail: last.map {
            "\($0.projected) of \($0.streams) streams projected, \($0.supervised) of \($0.watched) supervised, \($0.alertsPending) cards pending; behind: \($0.behind.prefix(3).joined(separator: ", "))"
        })
    }

    /// One `POST /v1/catch-up`.
    private static func ask(_ streams: [String: Int64], baseURL: String, token: String?) async throws -> CatchUpAnswer {
        var request = HTTPClientRequest(url: "\(baseURL)/v1/catch-up")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(["streams": streams])))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1024 * 1024)
        guard response.status.code == 200 else {
            throw CatchUpRefused(status: Int(response.status.code), body: String(buffer: body))
        }
        return try JSONDecoder().decode(CatchUpAnswer.self, from: Data(Array(buffer: body)))
    }
}

/// The answer of `POST /v1/catch-up`.
struct CatchUpAnswer: Decodable {
    var caughtUp: Bool
    var streams: Int
    var projected: Int
    var watched: Int
    var supervised: Int
    var alertsPending: Int
    var behind: [String]
}

struct CatchUpTimeout: Error, CustomStringConvertible {
    /// What the server last reported, when waiting through the API.
    var detail: String?
    var description: String {
        if let detail { return "the read models did not catch up in time (\(detail)); are the projector and the supervisor running?" }
        return "the read models did not catch up in time; is `chancery server` running on the same database?"
    }
}

/// The server refused `POST /v1/catch-up`.
struct CatchUpRefused: Error, CustomStringConvertible {
    var status: Int
    var body: String
    var description: String {
        let hint = status == 404 ? " (a server older than the catch-up endpoint: give --database-url to wait on the database instead)" : ""
        return "cannot ask the server whether the read models caught up: it answered \(status)\(hint): \(body)"
    }
}
