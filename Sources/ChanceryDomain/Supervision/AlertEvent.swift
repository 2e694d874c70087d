/// A supervision alert event (`gov.supervision.alert.*`, stream `alert/<region>/…`) as a typed value: the one place
/// where an alert event's type name and `data` members are read: by the gateway's rules (``AlertLifecycle``) and the read
/// models. Source of the members: `schemas/events/gov.supervision.alert.*.json`.
public enum AlertEvent: TypedEvent {
    /// A card or an irregularity raised: DeadlineWarningRaised (yellow), DeadlineBreached (red), IrregularityFlagged.
    case raised(Raised)
    /// RecordQuarantined (记录隔离): about the consumers, not a case; the alert read models leave it out.
    case quarantined
    /// AlertResolved, with its resolution text.
    case resolved(resolution: String?)

    /// The members of a raised alert; those a type does not carry are nil.
    public struct Raised: Sendable, Hashable {
        /// What was raised: a yellow card (DeadlineWarningRaised), a red card (DeadlineBreached) or an irregularity
        /// (IrregularityFlagged).
        public enum Kind: Sendable, Hashable { case warning, breach, irregularity }

        /// The glossary name of the type (`DeadlineBreached`, `DeadlineWarningRaised`, `IrregularityFlagged`).
        public var typeName: String
        public var kind: Kind
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
            let kind: Raised.Kind = name == "DeadlineWarningRaised" ? .warning : name == "DeadlineBreached" ? .breach : .irregularity
            self = .raised(Raised(typeName: name, kind: kind, caseSubject: s("caseSubject"), departmentCode: s("departmentCode"), itemCode: s("itemCode"),
                                  card: s("card"), deadline: s("deadline"), irregularityKind: s("irregularityKind"), step: s("step")))
        case "RecordQuarantined":
            self = .quarantined
        case "AlertResolved":
            self = .resolved(resolution: s("resolution"))
        default:
            return nil
        }
    }

}
