import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChancerySupervision
import Foundation

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
                SELECT count(*) FROM approval.stream_heads h JOIN unnest($1::text[], $2::bigint[]) AS a(stream, sequence)
                ON h.stream = a.stream AND h.sequence >= a.sequence
                """, [streams, sequences])
            let supervised = try await database.query(
                """
                SELECT count(*) FROM projection.stream_positions p JOIN unnest($1::text[]) AS a(stream)
                ON p.stream = a.stream AND p.consumer_group = $2
                """, [watchedStreams, Supervisor.consumerGroup])
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

struct CatchUpTimeout: Error, CustomStringConvertible {
    var description: String { "the read models did not catch up in time; is `chancery server` running on the same database?" }
}
