import ChanceryGateway
import ChanceryPostgres
import ChanceryRuntime
import Logging
import ServiceLifecycle

/// The first service to hear a graceful shutdown (it runs last in the group, and a group stops its services in
/// reverse order): it closes the gateway — both doors then answer 503 with `Retry-After`, the group commit in flight
/// finishes — and waits, up to ``timeout``, until every consumer has applied every record the journal holds for
/// its topics, printing progress. Then the HTTP server and the consumers stop.
struct DrainService: Service {
    let gateway: Gateway?
    let database: PostgresClient
    /// Consumer groups and the full names of the topics each reads.
    let consumers: [(group: String, topics: [String])]
    let journaled: Bool
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        guard Task.isShuttingDownGracefully else { return }
        let start = ContinuousClock.now
        let reason = "the server is shutting down; nothing of this request was appended; retry after it restarts"
        if let gateway {
            await gateway.closeDoors(reason: reason)
            logger.notice("graceful stop: the doors refuse new writes; in-flight appends are committed")
        }
        await drain(since: start)
        await gateway?.close(reason: reason)
    }

    private func drain(since start: ContinuousClock.Instant) async {
        guard journaled, !consumers.isEmpty else { return }
        var lastReport = ContinuousClock.now - .seconds(10)
        while ContinuousClock.now - start < timeout {
            guard let behind = try? await recordsBehind(), !Task.isCancelled else { return }
            if behind.values.allSatisfy({ $0 == 0 }) {
                logger.notice("graceful stop: every consumer has applied the whole journal")
                return
            }
            if ContinuousClock.now - lastReport > .seconds(1) {
                let text = behind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                logger.notice("graceful stop: consumers applying what is committed — records to go: \(text)")
                lastReport = ContinuousClock.now
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        logger.warning("graceful stop: consumers did not catch up within \(timeout); they resume from their stored positions at the next start")
    }

    /// Per consumer group, the journal records of its topics after its stored positions.
    private func recordsBehind() async throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for consumer in consumers {
            let rows = try await database.query(
                """
                SELECT count(*) FROM audit.journal j
                LEFT JOIN projection.consumer_offsets o
                  ON o.consumer_group = \(consumer.group) AND o.topic = j.topic AND o.partition = j.partition
                WHERE j.topic = ANY(\(consumer.topics)) AND j.position > coalesce(o.last_position, 0)
                """)
            out[consumer.group] = try rows[0].decode(Int64.self, at: 0)
        }
        return out
    }
}
