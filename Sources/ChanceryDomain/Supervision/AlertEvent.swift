/// A supervision alert event (`gov.supervision.alert.*`, stream `alert/<region>/…`) as a typed value: the one place
/// where an alert event's type name and `data` members are read for the read models. RecordQuarantined (about the
/// consumers, not a case) is not one of them. Source of the members: `schemas/events/gov.supervision.alert.*.json`.
public enum AlertEvent: Sendable, Hashable {
    /// A card or an irregularity raised: DeadlineWarningRaised (yellow), DeadlineBreached (red), IrregularityFlagged.
    case raised(Raised)
    /// AlertResolved, with its resolution text.
    case resolved(resolution: String?)

    /// The members of a raised alert; those a type does not carry are nil.
    public struct Raised: Sendable, Hashable {
        /// The glossary name of the type (`DeadlineBreached`, `DeadlineWarningRaised`, `IrregularityFlagged`).
        public var typeName: String
        public var caseSubject: String?
        public var departmentCode: String?
        public var itemCode: String?
        /// `yellow` or `red`.
        public var card: String?
        /// The deadline the card is about (`YYYY-MM-DD`).
        public var deadline: String?
        public var irregularityKind: String?
        /// The handling step of a step card (``CaseStep``).
        public var step: String?
    }

    /// The alert event of glossary type `name` with `data`; nil for any other type.
    public init?(name: String, data: JSONValue) {
        func s(_ key: String) -> String? { data[key]?.stringValue }
        switch name {
        case "DeadlineBreached", "DeadlineWarningRaised", "IrregularityFlagged":
            self = .raised(Raised(typeName: name, caseSubject: s("caseSubject"), departmentCode: s("departmentCode"), itemCode: s("itemCode"),
                                  card: s("card"), deadline: s("deadline"), irregularityKind: s("irregularityKind"), step: s("step")))
        case "AlertResolved":
            self = .resolved(resolution: s("resolution"))
        default:
            return nil
        }
    }

    /// The alert event `event` carries, nil for any other event.
    public init?(_ event: CloudEvent) {
        guard let name = EventCatalog.eventType(event.type)?.name else { return nil }
        self.init(name: name, data: event.data)
    }
}
