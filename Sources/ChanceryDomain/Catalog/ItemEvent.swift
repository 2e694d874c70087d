/// A catalog item event (事项, `gov.catalog.item.*`, stream `item/<region>/<itemCode>`) as a typed value: the one place
/// where these events' type names and `data` members are read. The gateway's rules (``ItemLifecycle``) and the
/// projector switch over these cases. A member the schema requires but a malformed record lacks decodes as nil.
/// Source: `schemas/events/gov.catalog.item.*.json`.
public enum ItemEvent: TypedEvent {
    /// The members an item registration sets and a revision may change (nil: not given / unchanged).
    public struct Terms: Sendable, Hashable {
        public var itemName: String?
        public var itemKind: String?
        public var departmentName: String?
        /// Statutory and promised limits (法定时限, 承诺时限) in the item's limit unit.
        public var statutoryLimit: Int64?
        public var promisedLimit: Int64?
        public var caseType: String?
        public var legalBasis: String?
    }

    /// ItemRegistered by a department, with the item's code and terms.
    case registered(itemCode: String?, departmentCode: String?, terms: Terms)
    /// ItemConfirmed (确认) by a department.
    case confirmed(departmentCode: String?)
    /// ItemRevised: the terms it changes.
    case revised(terms: Terms)
    /// ItemRetired, with its kind (`abolished`, `merged`, …).
    case retired(retirementKind: String?)

    /// The event of glossary type `name` (``EventType/name``) with `data`; nil for any other type.
    public init?(name: String, data: JSONValue) {
        func s(_ key: String) -> String? { data[key]?.stringValue }
        let terms = Terms(itemName: s("itemName"), itemKind: s("itemKind"), departmentName: s("departmentName"),
                          statutoryLimit: data["statutoryLimit"]?.integerValue, promisedLimit: data["promisedLimit"]?.integerValue,
                          caseType: s("caseType"), legalBasis: s("legalBasis"))
        switch name {
        case "ItemRegistered": self = .registered(itemCode: s("itemCode"), departmentCode: s("departmentCode"), terms: terms)
        case "ItemConfirmed": self = .confirmed(departmentCode: s("departmentCode"))
        case "ItemRevised": self = .revised(terms: terms)
        case "ItemRetired": self = .retired(retirementKind: s("retirementKind"))
        default: return nil
        }
    }

    /// The glossary name of the event's type, for messages.
    public var name: String {
        switch self {
        case .registered: "ItemRegistered"
        case .confirmed: "ItemConfirmed"
        case .revised: "ItemRevised"
        case .retired: "ItemRetired"
        }
    }
}
