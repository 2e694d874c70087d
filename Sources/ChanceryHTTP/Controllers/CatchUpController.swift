import ChanceryDomain
import ChanceryPostgres
import ChancerySupervision
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /v1/catch-up`: whether the read models reflect what the gateway answered for some streams, so that a
/// publisher (`chancery import`) can wait for them through the API alone, with no access to the database.
///
/// The body names streams and the sequence the gateway answered for each: `{"streams": {"case/3524002/A": 4, …}}`
/// (at most ``maxStreams``). The answer (200):
///
/// ```json
/// {"caughtUp": false, "streams": 2, "projected": 1, "watched": 2, "supervised": 2, "alertsPending": 0,
///  "behind": ["case/3524002/B"]}
/// ```
///
/// - `projected`: streams whose head in `approval.stream_heads` has reached the sequence given;
/// - `watched`: the streams the supervisor watches (cases, requests, letters, consultations, complaints);
///   `supervised`: those of them the supervisor has consumed;
/// - `alertsPending`: yellow and red cards the supervisor raised (anywhere) that the projector has not applied yet;
/// - `caughtUp`: all streams projected, all watched streams supervised and no card pending;
/// - `behind`: the first streams (at most 20, by subject) not yet projected or supervised.
///
/// Any valid token may ask; an integrator only about streams of the regions it is granted (403 naming the first
/// other stream). Errors are problem+json: 400 `malformed-json` or `invalid-catch-up` (not the shape above, a
/// stream id that is not `<kind>/<region>/<number>`, a sequence below 1), 413 `too-many-streams`.
public struct CatchUpController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient

    /// Most streams one request may name.
    public static let maxStreams = 10_000
    /// Most streams listed in `behind`.
    static let behindListed = 20

    /// A controller answering from `database`.
    public init(database: PostgresClient) {
        self.database = database
    }

    /// Adds `POST catch-up` to `group` (mounted under `/v1`).
    public func addRoutes(to group: RouterGroup<Context>) {
        group.post("catch-up", use: catchUp)
    }

    /// The request body.
    struct Query: Decodable {
        var streams: [String: Int64]
    }

    /// The answer.
    struct Answer: Encodable {
        var caughtUp: Bool
        var streams: Int
        var projected: Int
        var watched: Int
        var supervised: Int
        var alertsPending: Int
        var behind: [String]
    }

    @Sendable func catchUp(request: Request, context: Context) async throws -> Response {
        let principal = try context.requirePrincipal()
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 4 * 1024 * 1024)
        } catch {
            throw Problem(.contentTooLarge, code: "too-many-streams", title: "Content Too Large",
                          detail: "the body exceeds 4 MiB; ask about at most \(Self.maxStreams) streams per request")
        }
        let query: Query
        do {
            query = try JSONDecoder().decode(Query.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw Problem(.badRequest, code: "malformed-json", title: "Malformed JSON", detail: "the body is not JSON", pointer: "")
        } catch {
            throw Problem(.badRequest, code: "invalid-catch-up", title: "Invalid catch-up query",
                          detail: "send {\"streams\": {\"<kind>/<region>/<number>\": <sequence>, …}}", pointer: "/streams")
        }
        guard query.streams.count <= Self.maxStreams else {
            throw Problem(.contentTooLarge, code: "too-many-streams", title: "Content Too Large",
                          detail: "\(query.streams.count) streams; ask about at most \(Self.maxStreams) per request", pointer: "/streams")
        }
        let streams = query.streams.keys.sorted()
        var watched: [String] = []
        for subject in streams {
            let pointer = "/streams/" + subject.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            guard let id = StreamID(subject), !subject.utf8.contains(0) else {
                throw Problem(.badRequest, code: "invalid-catch-up", title: "Invalid catch-up query",
                              detail: "'\(subject)' is not a stream id <kind>/<region>/<number>", pointer: pointer)
            }
            guard query.streams[subject]! >= 1 else {
                throw Problem(.badRequest, code: "invalid-catch-up", title: "Invalid catch-up query",
                              detail: "the sequence of \(subject) must be at least 1", pointer: pointer)
            }
            if principal.role == .integrator, !principal.regions.contains("*"), !principal.regions.contains(id.region) {
                throw Problem(.forbidden, code: "forbidden", title: "Forbidden",
                              detail: "token \(principal.tokenID) may not read streams of region \(id.region)", pointer: pointer)
            }
            if Supervisor.watchedStreamKinds.contains(id.kind) { watched.append(subject) }
        }
        let sequences = streams.map { query.streams[$0]! }
        let rows = try await database.query(
            """
            WITH asked AS (SELECT * FROM unnest(\(streams)::text[], \(sequences)::bigint[]) AS a(stream, sequence)),
            state AS (
              SELECT a.stream,
                     EXISTS (SELECT 1 FROM approval.stream_heads h WHERE h.stream = a.stream AND h.sequence >= a.sequence) AS projected,
                     a.stream = ANY(\(watched)::text[]) AS watched,
                     EXISTS (SELECT 1 FROM projection.stream_positions p WHERE p.stream = a.stream AND p.consumer_group = \(Supervisor.consumerGroup)) AS supervised
              FROM asked a)
            SELECT (SELECT count(*) FILTER (WHERE projected) FROM state),
                   (SELECT count(*) FILTER (WHERE watched AND supervised) FROM state),
                   ((SELECT count(red_alert_id) + count(yellow_alert_id) + coalesce(sum(cardinality(step_alert_ids)), 0) FROM supervision.case_clocks)
                 + (SELECT count(red_alert_id) + count(yellow_alert_id) FROM supervision.reply_clocks)
                 - (SELECT count(*) FROM supervision.alerts WHERE alert_type IN ('DeadlineBreached', 'DeadlineWarningRaised')))::bigint,
                   (SELECT coalesce(array_agg(stream ORDER BY stream), '{}') FROM (
                      SELECT stream FROM state WHERE NOT projected OR (watched AND NOT supervised) ORDER BY stream LIMIT \(Int64(Self.behindListed))) b)
            """)
        let row = rows.first
        let projected = Int(try row?.decode(Int64.self, at: 0) ?? 0)
        let supervised = Int(try row?.decode(Int64.self, at: 1) ?? 0)
        let pending = Int(try row?.decode(Int64.self, at: 2) ?? 0)
        let behind = try row?.decode([String].self, at: 3) ?? []
        let answer = Answer(caughtUp: projected == streams.count && supervised == watched.count && pending <= 0,
                            streams: streams.count, projected: projected, watched: watched.count, supervised: supervised,
                            alertsPending: max(0, pending), behind: behind)
        return try JSONResponse.make(answer)
    }
}
