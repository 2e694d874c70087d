/// The event catalog: every event type Chancery accepts, keyed by CloudEvents `type`.
///
/// The catalog is read from the published JSON Schemas (`schemas/events/<type>.v<version>.json`, bundled
/// with this module; see ``EventSchemas``): a type's name is its schema's `title`, its topic and stream kind
/// come from the `type` (`gov.<topic>.<kind>.<words>`), its fields — order, kinds, required and personal
/// flags — from the schema's `properties`, `required` and `x-personal-data`. Nothing here lists fields.
///
/// Field names follow GB/T 39046-2020 (政务服务平台基础数据规范) in English camelCase where it has them
/// (case number 办件编号 `caseNumber`, item code 事项编码 `itemCode`, promised limit 承诺办结时限 `promisedLimit` …).
public enum EventCatalog {
    /// Item kinds (事项类型).
    public static let itemKinds = enumValues("ItemRegistered", "itemKind")
    /// Case types (办件类型).
    public static let caseTypes = enumValues("ItemRegistered", "caseType")
    /// Disclosure categories (公开类别), in the order of the annual report.
    public static let disclosureCategories = enumValues("DocumentPublished", "category")
    /// Disclosure reply outcomes (办理结果).
    public static let disclosureOutcomes = enumValues("DisclosureRequestAnswered", "outcome")
    /// Steps of a case (承办, 审核, 审批).
    public static let steps = enumValues("StepCompleted", "step")
    /// Kinds of special procedure (特别程序): hearing, expert review, inspection, public notice, extension, other.
    public static let specialProcedureKinds = enumValues("SpecialProcedureStarted", "specialProcedureKind")
    /// Outcomes of administrative reconsideration and litigation (维持, 纠正, 其他).
    public static let challengeOutcomes = enumValues("ReconsiderationDecided", "outcome")

    /// All event types, in the glossary's order (the order of `type` in `schemas/cloudevent.json`).
    public static let all: [EventType] = EventSchemas.bundled.eventTypes

    private static let byType: [String: EventType] = Dictionary(uniqueKeysWithValues: all.map { ($0.type, $0) })
    private static let byName: [String: EventType] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The event type with CloudEvents `type` `type`, or `nil`.
    public static func eventType(_ type: String) -> EventType? { byType[type] }

    /// The event type with glossary name `name` (e.g. `CaseAccepted`); traps on an unknown name (programmer error).
    public static func named(_ name: String) -> EventType {
        guard let t = byName[name] else { preconditionFailure("no event type named \(name)") }
        return t
    }

    /// The event types whose streams are of kind `kind` (e.g. `case`).
    public static func types(ofStreamKind kind: String) -> [EventType] { all.filter { $0.streamKind == kind } }

    /// The stream kinds, in catalog order: item, case, document, request, letter, consultation, complaint, alert, checkpoint.
    public static var streamKinds: [String] {
        var seen: [String] = []
        for t in all where !seen.contains(t.streamKind) { seen.append(t.streamKind) }
        return seen
    }

    private static func enumValues(_ typeName: String, _ field: String) -> [String] {
        guard case .oneOf(let values)? = named(typeName).field(field)?.kind else {
            preconditionFailure("\(typeName).\(field) is not an enum in its schema")
        }
        return values
    }
}
