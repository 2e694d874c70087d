/// The lifecycle rules of every aggregate as a functional decider (STYLE.md): `decide` checks that an
/// event may be appended to a stream in its current state; `evolve` folds an appended event into the state.
///
/// Both are pure. The gateway uses `decide` before appending; the projector and replay use `evolve`.
public enum Lifecycle {
    /// Decides whether `event` may follow `state` (nil: the stream does not exist yet).
    ///
    /// - Returns: the events to append — `[event]` when legal.
    /// - Throws: ``EventRejection`` with code `lifecycle-violation`, pointer `/type`, and the rule broken.
    public static func decide(_ event: CloudEvent, given state: AggregateState?) throws(EventRejection) -> [CloudEvent] {
        guard let eventType = EventCatalog.eventType(event.type) else {
            throw EventRejection(code: "unknown-type", pointer: "/type", message: "'\(event.type)' is not an event type of the catalog")
        }
        if let rule = violatedRule(eventType.name, given: state) {
            throw EventRejection(code: "lifecycle-violation", pointer: "/type", message: rule)
        }
        return [event]
    }

    /// The state after `event`. Events that the rules would refuse leave the state unchanged (the
    /// gateway never appends them; a consumer meeting one in the log keeps the last legal state).
    public static func evolve(_ state: AggregateState?, _ event: CloudEvent) -> AggregateState? {
        guard let name = EventCatalog.eventType(event.type)?.name, violatedRule(name, given: state) == nil else { return state }
        let data = event.data
        switch (name, state) {
        case ("ItemRegistered", _):
            return .item(ItemState(status: .registered, departmentCode: data["departmentCode"]?.stringValue ?? ""))
        case ("ItemConfirmed", .item(var s)):
            s.status = .confirmed
            return .item(s)
        case ("CaseSubmitted", _):
            return .case(CaseState(status: .submitted, itemCode: data["itemCode"]?.stringValue ?? "", departmentCode: data["departmentCode"]?.stringValue ?? ""))
        case ("CaseAccepted", .case(var s)), ("SupplementReceived", .case(var s)):
            s.status = .accepted
            return .case(s)
        case ("CaseRefused", .case(var s)):
            s.status = .refused
            return .case(s)
        case ("SupplementRequested", .case(var s)):
            s.status = .supplementing
            return .case(s)
        case ("CaseDecided", .case(var s)):
            s.status = .decided
            return .case(s)
        case ("CaseConcluded", .case(var s)):
            s.status = .concluded
            return .case(s)
        case ("DocumentPublished", _):
            return .document(DocumentState(status: .published))
        case ("DocumentReported", .document(var s)):
            s.status = .reported
            return .document(s)
        case ("DisclosureRequestReceived", _):
            return .request(DisclosureRequestState(status: .received))
        case ("DisclosureRequestAnswered", .request(var s)):
            s.status = .answered
            return .request(s)
        case ("DeadlineBreached", _):
            return .alert(AlertState(status: .raised))
        default:
            return state
        }
    }

    /// The rule that `eventName` would break after `state`, or nil when it is legal.
    static func violatedRule(_ eventName: String, given state: AggregateState?) -> String? {
        switch (eventName, state) {
        case ("ItemRegistered", nil), ("CaseSubmitted", nil), ("DocumentPublished", nil),
             ("DisclosureRequestReceived", nil), ("DeadlineBreached", nil):
            return nil
        case ("ItemRegistered", _), ("CaseSubmitted", _), ("DocumentPublished", _),
             ("DisclosureRequestReceived", _), ("DeadlineBreached", _):
            return "\(eventName) starts a stream; this stream already exists"
        case (_, nil):
            return "\(eventName) needs an existing stream; this stream has no events"
        case ("ItemConfirmed", .item(let s)):
            return s.status == .registered ? nil : "an item is confirmed once, after it is registered"
        case ("CaseAccepted", .case(let s)):
            return s.status == .submitted ? nil : "a case is accepted only once, right after submission (it is \(s.status.rawValue)); no acceptance after refusal"
        case ("CaseRefused", .case(let s)):
            return s.status == .submitted ? nil : "a case is refused at intake only before acceptance (it is \(s.status.rawValue))"
        case ("SupplementRequested", .case(let s)):
            return s.status == .accepted ? nil : "a supplement is requested only on an accepted case that is not already waiting for one (it is \(s.status.rawValue))"
        case ("SupplementReceived", .case(let s)):
            return s.status == .supplementing ? nil : "no supplement received without a request (the case is \(s.status.rawValue))"
        case ("StepCompleted", .case(let s)):
            return s.status == .accepted ? nil : "a step is completed only while the case is being handled (it is \(s.status.rawValue))"
        case ("CaseDecided", .case(let s)):
            return s.status == .accepted ? nil : "a case is decided once, while handled and not waiting for a supplement (it is \(s.status.rawValue))"
        case ("CaseConcluded", .case(let s)):
            return s.status == .decided ? nil : "no conclusion before a decision (the case is \(s.status.rawValue))"
        case ("DocumentReported", .document(let s)):
            return s.status == .published ? nil : "a document is reported once, after it is published"
        case ("DisclosureRequestAnswered", .request(let s)):
            return s.status == .received ? nil : "a disclosure request is answered once"
        default:
            return "\(eventName) does not apply to this kind of stream"
        }
    }
}
