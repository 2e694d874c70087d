/// Rules of a supervision alert stream (`alert/<region>/<number>`): `DeadlineWarningRaised` (yellow),
/// `DeadlineBreached` (red), `IrregularityFlagged` or `RecordQuarantined` starts it; `AlertResolved` follows once.
public enum AlertLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream has no events), or nil when it is legal.
    static func violatedRule(_ event: AlertEvent, name: String, given state: AlertState?) -> String? {
        switch (event, state) {
        case (.raised, nil), (.quarantined, nil): return nil
        case (.raised, _?), (.quarantined, _?): return Lifecycle.startsStream(name)
        case (.resolved, nil): return Lifecycle.needsStream(name)
        case (.resolved, let s?): return s.status == .raised ? nil : "an alert is resolved once"
        }
    }

    /// The state after `event`, which the rules allow (``violatedRule(_:name:given:)``).
    static func evolve(_ state: AlertState?, _ event: AlertEvent) -> AlertState? {
        switch event {
        case .raised, .quarantined: return AlertState(status: .raised)
        case .resolved:
            guard var s = state else { return nil }
            s.status = .resolved
            return s
        }
    }
}
