/// The lifecycle rules of every aggregate as a functional decider (STYLE.md): `decide` checks that an
/// event may be appended to a stream in its current state; `evolve` folds an appended event into the state.
///
/// Both are pure. The gateway uses `decide` before appending; the projector and replay use `evolve`.
/// The rules of each stream kind live in their own type: ``ItemLifecycle``, ``CaseLifecycle``,
/// ``DocumentLifecycle``, ``DisclosureRequestLifecycle``, ``LetterLifecycle``, ``InteractionLifecycle``
/// (consultations and complaints) and ``AlertLifecycle``.
public enum Lifecycle {
    /// Decides whether `event` may follow `state` (nil: the stream does not exist yet).
    ///
    /// - Returns: the events to append — `[event]` when legal.
    /// - Throws: ``EventRejection`` with code `lifecycle-violation`, pointer `/type`, and the rule broken.
    public static func decide(_ event: CloudEvent, given state: AggregateState?) throws(EventRejection) -> [CloudEvent] {
        guard let eventType = EventCatalog.eventType(event.type) else {
            throw EventRejection(code: "unknown-type", pointer: "/type", message: "'\(event.type)' is not an event type of the catalog")
        }
        if let rule = violatedRule(eventType, event.data, given: state) {
            throw EventRejection(code: "lifecycle-violation", pointer: "/type", message: rule)
        }
        return [event]
    }

    /// The state after `event`. Events that the rules would refuse leave the state unchanged (the
    /// gateway never appends them; a consumer meeting one in the log keeps the last legal state).
    public static func evolve(_ state: AggregateState?, _ event: CloudEvent) -> AggregateState? {
        guard let eventType = EventCatalog.eventType(event.type), violatedRule(eventType, event.data, given: state) == nil else { return state }
        let name = eventType.name, data = event.data
        switch eventType.streamKind {
        case "item":
            guard case .item(let s)? = state else { return ItemLifecycle.evolve(nil, name, data).map(AggregateState.item) ?? state }
            return ItemLifecycle.evolve(s, name, data).map(AggregateState.item) ?? state
        case "case":
            guard let e = CaseEvent(name: name, data: data) else { return state }
            guard case .case(let s)? = state else { return CaseLifecycle.evolve(nil, e).map(AggregateState.case) ?? state }
            return CaseLifecycle.evolve(s, e).map(AggregateState.case) ?? state
        case "document":
            guard case .document(let s)? = state else { return DocumentLifecycle.evolve(nil, name, data).map(AggregateState.document) ?? state }
            return DocumentLifecycle.evolve(s, name, data).map(AggregateState.document) ?? state
        case "request":
            guard case .request(let s)? = state else { return DisclosureRequestLifecycle.evolve(nil, name, data).map(AggregateState.request) ?? state }
            return DisclosureRequestLifecycle.evolve(s, name, data).map(AggregateState.request) ?? state
        case "letter":
            guard case .letter(let s)? = state else { return LetterLifecycle.evolve(nil, name, data).map(AggregateState.letter) ?? state }
            return LetterLifecycle.evolve(s, name, data).map(AggregateState.letter) ?? state
        case "consultation":
            guard case .consultation(let s)? = state else { return InteractionLifecycle.evolve(nil, name, data).map(AggregateState.consultation) ?? state }
            return InteractionLifecycle.evolve(s, name, data).map(AggregateState.consultation) ?? state
        case "complaint":
            guard case .complaint(let s)? = state else { return InteractionLifecycle.evolve(nil, name, data).map(AggregateState.complaint) ?? state }
            return InteractionLifecycle.evolve(s, name, data).map(AggregateState.complaint) ?? state
        case "alert":
            guard case .alert(let s)? = state else { return AlertLifecycle.evolve(nil, name, data).map(AggregateState.alert) ?? state }
            return AlertLifecycle.evolve(s, name, data).map(AggregateState.alert) ?? state
        case "checkpoint":
            return .checkpoint(CheckpointStreamState(treeSize: data["treeSize"]?.integerValue ?? 0))
        default:
            return state
        }
    }

    /// The rule that `eventType` (with `data`) would break after `state`, or nil when it is legal.
    static func violatedRule(_ eventType: EventType, _ data: JSONValue, given state: AggregateState?) -> String? {
        let name = eventType.name
        if let state, state.streamKind != eventType.streamKind {
            return "\(name) does not apply to this kind of stream (a \(state.streamKind) stream, not a \(eventType.streamKind) stream)"
        }
        switch (eventType.streamKind, state) {
        case ("item", .item(let s)): return ItemLifecycle.violatedRule(name, data, given: s)
        case ("item", nil): return ItemLifecycle.violatedRule(name, data, given: nil)
        case ("case", .case(let s)): return caseRule(name, data, given: s)
        case ("case", nil): return caseRule(name, data, given: nil)
        case ("document", .document(let s)): return DocumentLifecycle.violatedRule(name, data, given: s)
        case ("document", nil): return DocumentLifecycle.violatedRule(name, data, given: nil)
        case ("request", .request(let s)): return DisclosureRequestLifecycle.violatedRule(name, data, given: s)
        case ("request", nil): return DisclosureRequestLifecycle.violatedRule(name, data, given: nil)
        case ("letter", .letter(let s)): return LetterLifecycle.violatedRule(name, data, given: s)
        case ("letter", nil): return LetterLifecycle.violatedRule(name, data, given: nil)
        case ("consultation", .consultation(let s)), ("complaint", .complaint(let s)): return InteractionLifecycle.violatedRule(name, data, given: s)
        case ("consultation", nil), ("complaint", nil): return InteractionLifecycle.violatedRule(name, data, given: nil)
        case ("alert", .alert(let s)): return AlertLifecycle.violatedRule(name, data, given: s)
        case ("alert", nil): return AlertLifecycle.violatedRule(name, data, given: nil)
        // Each CheckpointSigned stands alone (its note is verifiable by anyone); the tree sizes of one stream only grow.
        case ("checkpoint", nil): return nil
        case ("checkpoint", .checkpoint(let s)):
            guard let size = data["treeSize"]?.integerValue, size > s.treeSize else {
                return "a checkpoint's treeSize must exceed the previous checkpoint's (\(s.treeSize)): the log only grows"
            }
            return nil
        default: return "\(name) does not apply to this kind of stream"
        }
    }

    /// The rule a case event breaks (decoded once into a ``CaseEvent``).
    private static func caseRule(_ name: String, _ data: JSONValue, given state: CaseState?) -> String? {
        guard let event = CaseEvent(name: name, data: data) else { return "\(name) does not apply to a case" }
        return CaseLifecycle.violatedRule(event, given: state)
    }

    /// The message for an event that must start its stream, sent to an existing one.
    static func startsStream(_ name: String) -> String { "\(name) starts a stream; this stream already exists" }

    /// The message for an event sent to a stream that does not exist yet.
    static func needsStream(_ name: String) -> String { "\(name) needs an existing stream; this stream has no events" }
}
