import ChanceryDomain
import ChanceryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension TestCluster {
    /// Sends `events` through `POST /v1/events` in requests of 2,000 while the projector and the supervisor (with the
    /// demo county's policy, `examples/config/supervision-policy.json`, as `make run`) run, waits until both applied
    /// everything and every card and irregularity the supervisor raised is in `supervision.alerts`, then runs `body`
    /// with the consumers still running.
    /// - Parameter seconds: how long each wait may take at most.
    func loadThroughHTTP(_ events: [CloudEvent], seconds: Double, then body: () async throws -> Void) async throws {
        let policy = try SupervisionPolicy.load(contentsOf: PackageRoot.packageRoot.appendingPathComponent("examples/config/supervision-policy.json"))
        let app = application()
        try await running([projector(), supervisor(policy: policy)]) {
            try await app.test(.router) { client in
                var start = 0
                while start < events.count {
                    let batch = events[start..<min(start + 2000, events.count)]
                    let body = JSONValue.array(try batch.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.jsonBytes())) })
                    let response = try await client.post(body)
                    try #require(response.status == .created, "batch at \(start): \(String(buffer: response.body))")
                    start += 2000
                }
            }
            try await eventually("SELECT count(*) FROM audit.events WHERE type NOT LIKE 'gov.supervision.%'", equals: Int64(events.count), seconds: seconds)
            try await eventually(
                "SELECT count(*) FROM projection.stream_positions WHERE consumer_group = 'chancery-supervisor' AND stream NOT LIKE 'item/%'",
                equals: Int64(Set(events.filter { !$0.subject.hasPrefix("item/") }.map(\.subject)).count), seconds: seconds)
            try await eventually(
                """
                SELECT (SELECT count(red_alert_id) + count(yellow_alert_id) + coalesce(sum(cardinality(step_alert_ids)), 0) FROM supervision.case_clocks)
                     + (SELECT count(red_alert_id) + count(yellow_alert_id) FROM supervision.reply_clocks)
                     - (SELECT count(*) FROM supervision.alerts WHERE alert_type IN ('DeadlineBreached', 'DeadlineWarningRaised'))
                """, equals: 0, seconds: 120)
            try await eventually(
                """
                SELECT (SELECT count(*) FROM supervision.case_clocks c, unnest(c.irregularity_alert_ids))
                     + (SELECT count(*) FROM supervision.reply_clocks c, unnest(c.irregularity_alert_ids))
                     - (SELECT count(*) FROM supervision.alerts WHERE alert_type = 'IrregularityFlagged')
                """, equals: 0, seconds: 120)
            try await body()
        }
    }
}
