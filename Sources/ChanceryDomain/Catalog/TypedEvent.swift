/// An aggregate's events as one typed value (``CaseEvent``, ``ReplyEvent``, ``DocumentEvent``, ``ItemEvent``,
/// ``AlertEvent``): the one place where the type names and `data` members of its events are read.
public protocol TypedEvent: Sendable, Hashable {
    /// The event of glossary type `name` (``EventType/name``, e.g. `CaseAccepted`) with `data`; nil when `name` is not
    /// one of this aggregate's types.
    init?(name: String, data: JSONValue)
}

extension TypedEvent {
    /// The typed value `event` carries (by its catalogued type), nil for an event of any other type.
    public init?(_ event: CloudEvent) {
        guard let name = EventCatalog.eventType(event.type)?.name else { return nil }
        self.init(name: name, data: event.data)
    }
}
