/// Rules of a case stream (办件, `case/<region>/<caseNumber>`):
///
/// | event | allowed when |
/// | --- | --- |
/// | `CaseSubmitted` | starts the stream |
/// | `CaseAccepted`, `CaseRefused` | submitted (refusal is final) |
/// | `SupplementRequested` | accepted, not already waiting, no special procedure running |
/// | `SupplementReceived` | waiting for a supplement |
/// | `SpecialProcedureStarted` | accepted and none running (the clock is excluded while it runs) |
/// | `SpecialProcedureEnded` | the same kind is running |
/// | `StepCompleted` | accepted (also during a special procedure) |
/// | `CaseReportedUpward` | accepted, no special procedure running |
/// | `CaseReturnedFromUpward` | reported upward |
/// | `CaseDecided` | accepted, no special procedure running; once |
/// | `CaseConcluded` | decided |
/// | `CaseDelivered` | concluded; once |
/// | `CaseWithdrawn` | before conclusion (final) |
/// | `CaseUrged` | open (submitted … decided) |
/// | `CaseRated` | concluded or delivered; once |
/// | `BadRatingRectified` | after a bad rating (4–5); once |
public enum CaseLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream does not exist yet), or nil when it is legal.
    static func violatedRule(_ event: CaseEvent, given state: CaseState?) -> String? {
        let name = event.name
        guard let s = state else {
            if case .submitted = event { return nil }
            return Lifecycle.needsStream(name)
        }
        let status = s.status.rawValue
        switch s.status {
        case .refused:
            if case .submitted = event { return Lifecycle.startsStream(name) }
            return "a refused case is closed: nothing follows CaseRefused (不予受理 is final)"
        case .withdrawn:
            if case .submitted = event { return Lifecycle.startsStream(name) }
            return "a withdrawn case is closed: nothing follows CaseWithdrawn"
        default:
            break
        }
        switch event {
        case .submitted:
            return Lifecycle.startsStream(name)
        case .accepted:
            return s.status == .submitted ? nil : "a case is accepted only once, right after submission (it is \(status)); no acceptance after refusal"
        case .refused:
            return s.status == .submitted ? nil : "a case is refused at intake only before acceptance (it is \(status))"
        case .supplementRequested:
            guard s.status == .accepted else {
                return "a supplement is requested only on an accepted case that is not already waiting for one (it is \(status))"
            }
            if let running = s.specialProcedure {
                return "no supplement request while a special procedure (\(running)) is running; end it first"
            }
            return nil
        case .supplementReceived:
            return s.status == .supplementing ? nil : "no supplement received without a request (the case is \(status))"
        case .specialProcedureStarted:
            if let running = s.specialProcedure {
                return "a special procedure (\(running)) is already running; no second one starts before it ends"
            }
            return s.status == .accepted ? nil : "a special procedure starts only while the case is being handled (it is \(status))"
        case .specialProcedureEnded(let kind):
            guard let running = s.specialProcedure else { return "no special procedure is running, so none can end" }
            if let kind, kind.rawValue != running {
                return "the running special procedure is \(running), not \(kind.rawValue)"
            }
            return nil
        case .stepCompleted:
            return s.status == .accepted ? nil : "a step is completed only while the case is being handled (it is \(status))"
        case .reportedUpward:
            guard s.status == .accepted else { return "a case is reported upward only while it is being handled (it is \(status))" }
            if let running = s.specialProcedure { return "a case is not reported upward while a special procedure (\(running)) is running" }
            return nil
        case .returnedFromUpward:
            return s.status == .reportedUpward ? nil : "a case returns from upward only after it was reported upward (it is \(status))"
        case .decided:
            guard s.status == .accepted else {
                return "a case is decided once, while handled and not waiting for a supplement or a higher level (it is \(status))"
            }
            if let running = s.specialProcedure { return "a case is not decided while a special procedure (\(running)) is running" }
            return nil
        case .concluded:
            return s.status == .decided ? nil : "no conclusion before a decision (the case is \(status))"
        case .delivered:
            return s.status == .concluded ? nil : "a case is delivered once, after it is concluded (it is \(status))"
        case .withdrawn:
            return s.isOpen ? nil : "a case is withdrawn only before its conclusion (it is \(status))"
        case .urged:
            return s.isOpen ? nil : "only an open case is urged (it is \(status))"
        case .rated:
            guard s.status == .concluded || s.status == .delivered else { return "a case is rated only after its conclusion (it is \(status))" }
            return s.satisfactionCode == nil ? nil : "a case is rated once"
        case .badRatingRectified:
            guard let code = s.satisfactionCode, code >= 4 else {
                return "only a bad rating (satisfactionCode 4 or 5) is rectified; " + (s.satisfactionCode.map { "this case was rated \($0)" } ?? "this case is not rated")
            }
            return s.rectified ? "a bad rating is rectified once" : nil
        }
    }

    /// The lifecycle position after `event` — the one fold of a case's lifecycle: the gateway's stream heads, the
    /// projector's `approval.cases.status` and the supervisor (through ``CaseFile``) all take it from here. A special
    /// procedure does not change the status (the case stays `accepted`); it is ``CaseState/specialProcedure``.
    /// Returns nil for a stream that does not start with CaseSubmitted.
    public static func evolve(_ state: CaseState?, _ event: CaseEvent) -> CaseState? {
        if case .submitted(_, let itemCode, let departmentCode, _) = event {
            return CaseState(status: .submitted, itemCode: itemCode, departmentCode: departmentCode)
        }
        guard var s = state else { return nil }
        switch event {
        case .submitted: break
        case .accepted, .supplementReceived, .returnedFromUpward: s.status = .accepted
        case .refused: s.status = .refused
        case .supplementRequested: s.status = .supplementing
        case .specialProcedureStarted(let kind): s.specialProcedure = kind.rawValue
        case .specialProcedureEnded: s.specialProcedure = nil
        case .reportedUpward: s.status = .reportedUpward
        case .decided: s.status = .decided
        case .concluded: s.status = .concluded
        case .delivered: s.status = .delivered
        case .withdrawn:
            s.status = .withdrawn
            s.specialProcedure = nil
        case .urged: s.urgeCount += 1
        case .rated(let code): s.satisfactionCode = code
        case .badRatingRectified: s.rectified = true
        case .stepCompleted: break
        }
        return s
    }
}
