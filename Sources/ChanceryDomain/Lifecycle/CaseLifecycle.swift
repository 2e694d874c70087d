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
    static func violatedRule(_ name: String, _ data: JSONValue, given state: CaseState?) -> String? {
        guard let s = state else {
            return name == "CaseSubmitted" ? nil : Lifecycle.needsStream(name)
        }
        let status = s.status.rawValue
        switch s.status {
        case .refused:
            if name == "CaseSubmitted" { return Lifecycle.startsStream(name) }
            return "a refused case is closed: nothing follows CaseRefused (不予受理 is final)"
        case .withdrawn:
            if name == "CaseSubmitted" { return Lifecycle.startsStream(name) }
            return "a withdrawn case is closed: nothing follows CaseWithdrawn"
        default:
            break
        }
        switch name {
        case "CaseSubmitted":
            return Lifecycle.startsStream(name)
        case "CaseAccepted":
            return s.status == .submitted ? nil : "a case is accepted only once, right after submission (it is \(status)); no acceptance after refusal"
        case "CaseRefused":
            return s.status == .submitted ? nil : "a case is refused at intake only before acceptance (it is \(status))"
        case "SupplementRequested":
            guard s.status == .accepted else {
                return "a supplement is requested only on an accepted case that is not already waiting for one (it is \(status))"
            }
            if let running = s.specialProcedure {
                return "no supplement request while a special procedure (\(running)) is running; end it first"
            }
            return nil
        case "SupplementReceived":
            return s.status == .supplementing ? nil : "no supplement received without a request (the case is \(status))"
        case "SpecialProcedureStarted":
            if let running = s.specialProcedure {
                return "a special procedure (\(running)) is already running; no second one starts before it ends"
            }
            return s.status == .accepted ? nil : "a special procedure starts only while the case is being handled (it is \(status))"
        case "SpecialProcedureEnded":
            guard let running = s.specialProcedure else { return "no special procedure is running, so none can end" }
            if let kind = data["specialProcedureKind"]?.stringValue, kind != running {
                return "the running special procedure is \(running), not \(kind)"
            }
            return nil
        case "StepCompleted":
            return s.status == .accepted ? nil : "a step is completed only while the case is being handled (it is \(status))"
        case "CaseReportedUpward":
            guard s.status == .accepted else { return "a case is reported upward only while it is being handled (it is \(status))" }
            if let running = s.specialProcedure { return "a case is not reported upward while a special procedure (\(running)) is running" }
            return nil
        case "CaseReturnedFromUpward":
            return s.status == .reportedUpward ? nil : "a case returns from upward only after it was reported upward (it is \(status))"
        case "CaseDecided":
            guard s.status == .accepted else {
                return "a case is decided once, while handled and not waiting for a supplement or a higher level (it is \(status))"
            }
            if let running = s.specialProcedure { return "a case is not decided while a special procedure (\(running)) is running" }
            return nil
        case "CaseConcluded":
            return s.status == .decided ? nil : "no conclusion before a decision (the case is \(status))"
        case "CaseDelivered":
            return s.status == .concluded ? nil : "a case is delivered once, after it is concluded (it is \(status))"
        case "CaseWithdrawn":
            return s.isOpen ? nil : "a case is withdrawn only before its conclusion (it is \(status))"
        case "CaseUrged":
            return s.isOpen ? nil : "only an open case is urged (it is \(status))"
        case "CaseRated":
            guard s.status == .concluded || s.status == .delivered else { return "a case is rated only after its conclusion (it is \(status))" }
            return s.satisfactionCode == nil ? nil : "a case is rated once"
        case "BadRatingRectified":
            guard let code = s.satisfactionCode, code >= 4 else {
                return "only a bad rating (satisfactionCode 4 or 5) is rectified; " + (s.satisfactionCode.map { "this case was rated \($0)" } ?? "this case is not rated")
            }
            return s.rectified ? "a bad rating is rectified once" : nil
        default:
            return "\(name) does not apply to a case"
        }
    }

    static func evolve(_ state: CaseState?, _ name: String, _ data: JSONValue) -> CaseState? {
        if name == "CaseSubmitted" {
            return CaseState(status: .submitted, itemCode: data["itemCode"]?.stringValue ?? "", departmentCode: data["departmentCode"]?.stringValue ?? "")
        }
        guard var s = state else { return nil }
        switch name {
        case "CaseAccepted", "SupplementReceived", "CaseReturnedFromUpward": s.status = .accepted
        case "CaseRefused": s.status = .refused
        case "SupplementRequested": s.status = .supplementing
        case "SpecialProcedureStarted": s.specialProcedure = data["specialProcedureKind"]?.stringValue ?? "other"
        case "SpecialProcedureEnded": s.specialProcedure = nil
        case "CaseReportedUpward": s.status = .reportedUpward
        case "CaseDecided": s.status = .decided
        case "CaseConcluded": s.status = .concluded
        case "CaseDelivered": s.status = .delivered
        case "CaseWithdrawn":
            s.status = .withdrawn
            s.specialProcedure = nil
        case "CaseUrged": s.urgeCount += 1
        case "CaseRated": s.satisfactionCode = data["satisfactionCode"]?.integerValue.map { Int($0) }
        case "BadRatingRectified": s.rectified = true
        default: break
        }
        return s
    }
}
