/// One event type of the catalog (GLOSSARY.md, "Event types"): its name, CloudEvents `type`,
/// canonical Kafka topic, stream kind, current schema version and the fields of its `data`, as its
/// published schema (`schemas/events/<type>.v<version>.json`) describes them.
public struct EventType: Sendable, Hashable {
    /// The glossary name, e.g. `CaseAccepted`.
    public var name: String
    /// The CloudEvents `type`, dotted lower case, e.g. `gov.approval.case.accepted`.
    public var type: String
    /// The canonical topic without prefix, e.g. `gov.approval`.
    public var topic: String
    /// The stream kind its `subject` must have, e.g. `case`.
    public var streamKind: String
    /// The current version of its data schema.
    public var version: Int
    /// The fields of `data`, in the schema's order.
    public var fields: [FieldSpec]
    /// The schema's `description`: what the event means, with the Chinese term.
    public var summary: String = ""

    /// The field named `name`, or `nil`.
    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// The `dataschema` URI of version `version`: `urn:chancery:schema:<type>:<version>`.
    public func dataschema(version: Int? = nil) -> String { "urn:chancery:schema:\(type):\(version ?? self.version)" }
}

/// One field of an event's `data` object.
public struct FieldSpec: Sendable, Hashable {
    /// JSON kinds a field may hold.
    public enum Kind: Sendable, Hashable {
        case string
        /// A whole number of working days, 0…3650 (`x-unit: working-days` in the schema).
        case workingDays
        case integer
        case boolean
        /// A civil date, `YYYY-MM-DD`.
        case date
        /// An RFC 3339 date-time.
        case dateTime
        /// One of the listed strings.
        case oneOf([String])
    }
    public var name: String
    public var kind: Kind
    public var required: Bool
    /// Personal data (GLOSSARY.md): masked on public endpoints, `x-personal-data` in the schema.
    public var personal: Bool
    /// The field's `description` in the schema (with the Chinese term).
    public var summary: String

    public init(_ name: String, _ kind: Kind, required: Bool = true, personal: Bool = false, summary: String = "") {
        self.name = name
        self.kind = kind
        self.required = required
        self.personal = personal
        self.summary = summary
    }
}

/// The canonical topics (DESIGN.md, "Topics"), without the configurable prefix.
public enum CanonicalTopic {
    public static let catalog = "gov.catalog"
    public static let approval = "gov.approval"
    public static let disclosure = "gov.disclosure"
    public static let interaction = "gov.interaction"
    public static let supervision = "gov.supervision"
    /// All five canonical topics.
    public static let all = [catalog, approval, disclosure, interaction, supervision]
}
