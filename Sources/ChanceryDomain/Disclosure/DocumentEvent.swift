/// A disclosure document event (主动公开, `gov.disclosure.document.*`, stream `document/<region>/<number>`) as a typed
/// value: the one place where these events' type names and `data` members are read. The gateway's rules
/// (``DocumentLifecycle``) and the projector switch over these cases. A member the schema requires but a malformed
/// record lacks decodes as nil. Source: `schemas/events/gov.disclosure.document.*.json`.
public enum DocumentEvent: TypedEvent {
    /// DocumentReviewed (保密审查) with its conclusion (`publishable`, `not-publishable`, …).
    case reviewed(conclusion: String?)
    /// DocumentPublished: title, one of the 12 categories, the department, the document number (文号).
    case published(title: String?, category: String?, departmentCode: String?, documentNumber: String?)
    /// DocumentReported (直报) to the city portal named.
    case reported(reportedTo: String?)
    /// DocumentRevised; the members it changes, nil where unchanged.
    case revised(title: String?, category: String?, documentNumber: String?)
    /// DocumentWithdrawn.
    case withdrawn

    /// The event of glossary type `name` (``EventType/name``) with `data`; nil for any other type.
    public init?(name: String, data: JSONValue) {
        func s(_ key: String) -> String? { data[key]?.stringValue }
        switch name {
        case "DocumentReviewed": self = .reviewed(conclusion: s("conclusion"))
        case "DocumentPublished":
            self = .published(title: s("title"), category: s("category"), departmentCode: s("departmentCode"), documentNumber: s("documentNumber"))
        case "DocumentReported": self = .reported(reportedTo: s("reportedTo"))
        case "DocumentRevised": self = .revised(title: s("title"), category: s("category"), documentNumber: s("documentNumber"))
        case "DocumentWithdrawn": self = .withdrawn
        default: return nil
        }
    }

    /// The glossary name of the event's type, for messages.
    public var name: String {
        switch self {
        case .reviewed: "DocumentReviewed"
        case .published: "DocumentPublished"
        case .reported: "DocumentReported"
        case .revised: "DocumentRevised"
        case .withdrawn: "DocumentWithdrawn"
        }
    }
}
