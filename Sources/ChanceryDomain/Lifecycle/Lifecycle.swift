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
        guard let eventType = EventCatalog.eventType(event.type), let typed = Typed(eventType, event.data),
              violatedRule(typed, eventType, given: state) == nil else { return state }
        switch (typed, state) {
        case (.item(let e), nil): return ItemLifecycle.evolve(nil, e).map(AggregateState.item) ?? state
        case (.item(let e), .item(let s)?): return ItemLifecycle.evolve(s, e).map(AggregateState.item) ?? state
        case (.case(let e), nil): return CaseLifecycle.evolve(nil, e).map(AggregateState.case) ?? state
        case (.case(let e), .case(let s)?): return CaseLifecycle.evolve(s, e).map(AggregateState.case) ?? state
        case (.document(let e), nil): return DocumentLifecycle.evolve(nil, e).map(AggregateState.document) ?? state
        case (.document(let e), .document(let s)?): return DocumentLifecycle.evolve(s, e).map(AggregateState.document) ?? state
        case (.reply(let e), _):
            switch (eventType.streamKind, state) {
            case ("request", nil): return DisclosureRequestLifecycle.evolve(nil, e).map(AggregateState.request) ?? state
            case ("request", .request(let s)?): return DisclosureRequestLifecycle.evolve(s, e).map(AggregateState.request) ?? state
            case ("letter", nil): return LetterLifecycle.evolve(nil, e).map(AggregateState.letter) ?? state
            case ("letter", .letter(let s)?): return LetterLifecycle.evolve(s, e).map(AggregateState.letter) ?? state
            case ("consultation", nil): return InteractionLifecycle.evolve(nil, e).map(AggregateState.consultation) ?? state
            case ("consultation", .consultation(let s)?): return InteractionLifecycle.evolve(s, e).map(AggregateState.consultation) ?? state
            case ("complaint", nil): return InteractionLifecycle.evolve(nil, e).map(AggregateState.complaint) ?? state
            case ("complaint", .complaint(let s)?): return InteractionLifecycle.evolve(s, e).map(AggregateState.complaint) ?? state
            default: return state
            }
        case (.alert(let e), nil): return AlertLifecycle.evolve(nil, e).map(AggregateState.alert) ?? state
        case (.alert(let e), .alert(let s)?): return AlertLifecycle.evolve(s, e).map(AggregateState.alert) ?? state
        case (.checkpoint(let treeSize), _): return .checkpoint(CheckpointStreamState(treeSize: treeSize ?? 0))
        default: return state
        }
    }

    /// An event decoded once into the typed value of its aggregate, for the rules.
    private enum Typed {
        case item(ItemEvent)
        case `case`(CaseEvent)
        case document(DocumentEvent)
        case reply(ReplyEvent)
        case alert(AlertEvent)
        /// CheckpointSigned, with the tree size it signs.
        case checkpoint(treeSize: Int64?)

        /// The typed value of an event of `eventType` with `data`; nil when the type's stream kind has no rules.
        init?(_ eventType: EventType, _ data: JSONValue) {
            let name = eventType.name
            switch eventType.streamKind {
            case "item": guard let e = ItemEvent(name: name, data: data) else { return nil }; self = .item(e)
            case "case": guard let e = CaseEvent(name: name, data: data) else { return nil }; self = .case(e)
            case "document": guard let e = DocumentEvent(name: name, data: data) else { return nil }; self = .document(e)
            case "request", "letter", "consultation", "complaint": guard let e = ReplyEvent(name: name, data: data) else { return nil }; self = .reply(e)
            case "alert": guard let e = AlertEvent(name: name, data: data) else { return nil }; self = .alert(e)
            case "checkpoint": self = .checkpoint(treeSize: data["treeSize"]?.integerValue)
            default: return nil
            }
        }
    }

    /// The rule that `eventType` (with `data`) would break after `state`, or nil when it is legal.
    static func violatedRule(_ eventType: EventType, _ data: JSONValue, given state: AggregateState?) -> String? {
        guard let typed = Typed(eventType, data) else { return "\(eventType.name) does not apply to this kind of stream" }
        return violatedRule(typed, eventType, given: state)
    }

    private static func violatedRule(_ typed: Typed, _ eventType: EventType, given state: AggregateState?) -> String? {
        let name = eventType.name
        if let state, state.streamKind != eventType.streamKind {
            return "\(name) does not apply to this kind of stream (a \(state.streamKind) stream, not a \(eventType.streamKind) stream)"
        }
        switch (typed, state) {
        case (.item(let e), nil): return ItemLifecycle.violatedRule(e, given: nil)
        case (.item(let e), .item(let s)?): return ItemLifecycle.violatedRule(e, given: s)
        case (.case(let e), nil): return CaseLifecycle.violatedRule(e, given: nil)
        case (.case(let e), .case(let s)?): return CaseLifecycle.violatedRule(e, given: s)
        case (.document(let e), nil): return DocumentLifecycle.violatedRule(e, given: nil)
        case (.document(let e), .document(let s)?): return DocumentLifecycle.violatedRule(e, given: s)
        case (.reply(let e), nil):
            switch eventType.streamKind {
            case "request": return DisclosureRequestLifecycle.violatedRule(e, given: nil)
            case "letter": return LetterLifecycle.violatedRule(e, given: nil)
            case "consultation": return InteractionLifecycle.violatedRule(e, kind: .consultation, given: nil)
            case "complaint": return InteractionLifecycle.violatedRule(e, kind: .complaint, given: nil)
            default: return "\(name) does not apply to this kind of stream"
            }
        case (.reply(let e), .request(let s)?): return DisclosureRequestLifecycle.violatedRule(e, given: s)
        case (.reply(let e), .letter(let s)?): return LetterLifecycle.violatedRule(e, given: s)
        case (.reply(let e), .consultation(let s)?): return InteractionLifecycle.violatedRule(e, kind: .consultation, given: s)
        case (.reply(let e), .complaint(let s)?): return InteractionLifecycle.violatedRule(e, kind: .complaint, given: s)
        case (.alert(let e), nil): return AlertLifecycle.violatedRule(e, name: name, given: nil)
        case (.alert(let e), .alert(let s)?): return AlertLifecycle.violatedRule(e, name: name, given: s)
        // Each CheckpointSigned stands alone (its note is verifiable by anyone); the tree sizes of one stream only grow.
        case (.checkpoint, nil): return nil
        case (.checkpoint(let size), .checkpoint(let s)?):
            guard let size, size > s.treeSize else {
                return "a checkpoint's treeSize must exceed the previous checkpoint's (\(s.treeSize)): the log only grows"
            }
            return nil
        default: return "\(name) does not apply to this kind of stream"
        }
    }

    /// The message for an event that must start its stream, sent to an existing one.
    static func startsStream(_ name: String) -> String { "\(name) starts a stream; this stream already exists" }

    /// The message for an event sent to a stream that does not exist yet.
    static func needsStream(_ name: String) -> String { "\(name) needs an existing stream; this stream has no events" }
}
