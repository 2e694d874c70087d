import ChanceryKafka
import Foundation
import Metrics

/// The live state of one consumer (a role's consumer group), written by its runner and read by `/health` and
/// `/metrics`: phase, lag per partition, time of the last applied batch, restarts and quarantined records.
///
/// Prometheus series: `chancery_consumer_lag_records{group,topic,partition}`, `chancery_consumer_lag_seconds{group}`,
/// `chancery_consumer_restarts_total{group}`, `chancery_consumer_quarantined_total{group,reason}`.
public final class ConsumerStatus: @unchecked Sendable {
    /// Where the consumer is in its life.
    public enum Phase: String, Sendable, Codable {
        /// Connecting, loading offsets, joining its group.
        case starting
        /// Consuming.
        case running
        /// Its last run failed; it restarts after a pause.
        case failing
        /// Stopped by a graceful shutdown.
        case stopped
    }

    /// A copy of the state at one instant.
    public struct Snapshot: Sendable {
        public var role: String
        public var group: String
        public var phase: Phase
        /// The error of the last failed run, while ``phase`` is `failing`.
        public var lastError: String?
        /// When the last batch was committed.
        public var lastBatchAt: Date?
        /// Records between the consumer's position and the high watermark, per partition (partitions seen so far).
        public var lagRecords: [KafkaTopicPartition: Int64]
        /// Seconds the consumer is behind: 0 when it has no lag, else the age of the newest record it applied
        /// (its Kafka timestamp), or the time since it started when it applied none.
        public var lagSeconds: Double
        public var restarts: Int
        public var quarantined: Int

        /// Sum of ``lagRecords``.
        public var totalLagRecords: Int64 { lagRecords.values.reduce(0, +) }
    }

    public let role: String
    public let group: String
    private let lock = NSLock()
    private var phase: Phase = .starting
    private var lastError: String?
    private var lastBatchAt: Date?
    private var lastAppliedTimestamp: Date?
    private var startedAt = Date()
    private var lag: [KafkaTopicPartition: Int64] = [:]
    private var restarts = 0
    private var quarantined = 0
    private var lagGauges: [KafkaTopicPartition: Gauge] = [:]
    private let lagSecondsGauge: Gauge
    private let restartsCounter: Counter

    /// - Parameters:
    ///   - role: the role it serves (`projector`, `supervisor`, `inbound door`).
    ///   - group: its Kafka consumer group.
    public init(role: String, group: String) {
        self.role = role
        self.group = group
        self.lagSecondsGauge = Gauge(label: "chancery_consumer_lag_seconds", dimensions: [("group", group)])
        self.restartsCounter = Counter(label: "chancery_consumer_restarts_total", dimensions: [("group", group)])
        lagSecondsGauge.record(0)
    }

    /// A run begins.
    public func starting() {
        lock.withLock {
            phase = .starting
            startedAt = Date()
        }
    }

    /// The run failed with `error`; it will be restarted.
    public func failed(_ error: any Error) {
        lock.withLock {
            phase = .failing
            lastError = "\(error)"
            restarts += 1
        }
        restartsCounter.increment()
    }

    /// The consumer stopped on shutdown.
    public func stopped() {
        lock.withLock { phase = .stopped }
    }

    /// A batch was committed; `lag` holds the records still to read per partition, `newestApplied` the Kafka
    /// timestamp of the newest record applied.
    public func committed(lag newLag: [KafkaTopicPartition: Int64], newestApplied: Date?) {
        var gauges: [(Gauge, Int64)] = []
        let seconds: Double = lock.withLock {
            phase = .running
            lastError = nil
            lastBatchAt = Date()
            if let newestApplied { lastAppliedTimestamp = max(lastAppliedTimestamp ?? newestApplied, newestApplied) }
            for (tp, value) in newLag {
                lag[tp] = value
                let gauge = lagGauges[tp] ?? Gauge(label: "chancery_consumer_lag_records",
                                                  dimensions: [("group", group), ("topic", tp.topic), ("partition", String(tp.partition))])
                lagGauges[tp] = gauge
                gauges.append((gauge, value))
            }
            return lagSecondsLocked()
        }
        for (gauge, value) in gauges { gauge.record(value) }
        lagSecondsGauge.record(seconds)
    }

    /// The consumer is running and has nothing to read right now (an idle poll).
    public func idle() {
        lock.withLock {
            phase = .running
            lastError = nil
        }
    }

    /// `count` records were quarantined for `reason` (`undecodable`, `continuity`, `apply-failed`).
    public func quarantined(_ count: Int, reason: String) {
        guard count > 0 else { return }
        lock.withLock { quarantined += count }
        Counter(label: "chancery_consumer_quarantined_total", dimensions: [("group", group), ("reason", reason)]).increment(by: count)
    }

    /// The state now.
    public var snapshot: Snapshot {
        lock.withLock {
            Snapshot(role: role, group: group, phase: phase, lastError: lastError, lastBatchAt: lastBatchAt, lagRecords: lag,
                     lagSeconds: lagSecondsLocked(), restarts: restarts, quarantined: quarantined)
        }
    }

    private func lagSecondsLocked() -> Double {
        guard lag.values.contains(where: { $0 > 0 }) else { return 0 }
        return max(0, Date().timeIntervalSince(lastAppliedTimestamp ?? startedAt))
    }
}
