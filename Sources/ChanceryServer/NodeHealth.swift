import ChanceryRuntime
import ChanceryGateway
import ChanceryHTTP
import ChanceryProjections
import Foundation

/// `/health` of a node: the gateway's state and, per consumer, its phase, lag, last batch, restarts and quarantined
/// records. A consumer is unhealthy while it is failing or lags more than ``maxLagSeconds`` behind the log.
public struct NodeHealth: HealthReporter {
    let gateway: Gateway?
    let consumers: [ConsumerStatus]
    /// A consumer further behind than this many seconds of log time makes `/health` answer 503.
    public let maxLagSeconds: Double

    public init(gateway: Gateway?, consumers: [ConsumerStatus], maxLagSeconds: Double) {
        self.gateway = gateway
        self.consumers = consumers
        self.maxLagSeconds = maxLagSeconds
    }

    public func roles() async -> [RoleHealth] {
        var roles: [RoleHealth] = []
        if let gateway {
            let state = await gateway.healthState
            var role = RoleHealth(role: "gateway", state: state.state, healthy: state.healthy, detail: state.detail)
            let position = await gateway.lastPosition
            if position > 0 { role.journalPosition = position }
            roles.append(role)
        }
        let formatter = ISO8601DateFormatter()
        for status in consumers {
            let s = status.snapshot
            var healthy = s.phase != .failing
            var detail = s.lastError
            if healthy && s.lagSeconds > maxLagSeconds {
                healthy = false
                detail = "\(Int(s.lagSeconds)) s behind the log (bound \(Int(maxLagSeconds)) s)"
            }
            var role = RoleHealth(role: s.role, state: s.phase.rawValue, healthy: healthy, detail: detail)
            role.group = s.group
            role.lagRecords = s.totalLagRecords
            role.lagSeconds = (s.lagSeconds * 10).rounded() / 10
            role.lastBatchAt = s.lastBatchAt.map { formatter.string(from: $0) }
            role.restarts = s.restarts
            role.quarantined = s.quarantined
            roles.append(role)
        }
        return roles
    }
}
