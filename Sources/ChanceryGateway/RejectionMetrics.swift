import Metrics

/// The Prometheus counter of refused events: `chancery_gateway_events_rejected_total{code, door}`, where `code` is
/// the refusal's stable code (the problem type's last segment and the dead letter's `error.code`, e.g.
/// `invalid-data`) and `door` is `http` or `kafka`. Every refusal is counted once, whichever door and stage refused
/// it (validation, access control, lifecycle and catalog rules, versions).
public enum RejectionMetrics {
    /// The counter's name.
    public static let label = "chancery_gateway_events_rejected_total"

    /// Counts one event (or one all-or-nothing HTTP request) refused with `code` at `door` (`http` or `kafka`).
    public static func record(code: String, door: String) {
        Counter(label: label, dimensions: [("code", code), ("door", door)]).increment()
    }
}
