/// Rules of a supervision alert stream (`alert/<region>/<number>`): `DeadlineWarningRaised` (yellow),
/// `DeadlineBreached` (red), `IrregularityFlagged` or `RecordQuarantined` starts it; `AlertResolved` follows once.
public enum AlertLifecycle {
    static let starters: Set<String> = ["DeadlineWarningRaised", "DeadlineBreached", "IrregularityFlagged", "RecordQuarantined"]

    static func violatedRule(_ name: String, _ data: JSONValue, given state: AlertState?) -> String? {
        guard let s = state else {
            return starters.contains(name) ? nil : Lifecycle.needsStream(name)
        }
        if starters.contains(name) { return Lifecycle.startsStream(name) }
        guard name == "AlertResolved" else { return "\(name) does not apply to an alert" }
        return s.status == .raised ? nil : "an alert is resolved once"
    }

    static func evolve(_ state: AlertState?, _ name: String, _ data: JSONValue) -> AlertState? {
        if starters.contains(name) { return AlertState(status: .raised) }
        guard var s = state else { return nil }
        if name == "AlertResolved" { s.status = .resolved }
        return s
    }
}
