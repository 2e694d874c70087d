/// The event catalog: every event type Chancery accepts, keyed by CloudEvents `type`.
///
/// Field names follow GB/T 39046-2020 (政务服务平台基础数据规范) in English camelCase where it has them
/// (case number 办件编号 `caseNumber`, item code 事项编码 `itemCode`, promised limit 承诺办结时限 `promisedLimit` …).
public enum EventCatalog {
    /// Item kinds (事项类型).
    public static let itemKinds = ["licensing", "non-licensing-approval", "public-service", "other-power"]
    /// Case types (办件类型).
    public static let caseTypes = ["immediate", "promised", "reported-upward", "joint"]
    /// Disclosure categories (公开类别), in the order of the annual report.
    public static let disclosureCategories = [
        "overview", "notices", "work-updates", "normative-documents", "plans", "business-work",
        "major-construction", "fiscal-information", "emergency-management", "statistics", "personnel", "other",
    ]
    /// Disclosure reply outcomes (办理结果).
    public static let disclosureOutcomes = ["disclosed", "partially-disclosed", "withheld", "cannot-provide", "not-processed", "other"]
    /// Steps of a case (承办, 审核, 审批).
    public static let steps = ["handling", "review", "decision"]

    private static func t(_ name: String, _ type: String, _ topic: String, _ kind: String, _ fields: [FieldSpec]) -> EventType {
        EventType(name: name, type: type, topic: topic, streamKind: kind, version: 1, fields: fields)
    }

    /// All event types.
    public static let all: [EventType] = [
        t("ItemRegistered", "gov.catalog.item.registered", CanonicalTopic.catalog, "item", [
            FieldSpec("itemCode", .string), FieldSpec("itemName", .string), FieldSpec("itemKind", .oneOf(itemKinds)),
            FieldSpec("departmentCode", .string), FieldSpec("departmentName", .string),
            FieldSpec("statutoryLimit", .workingDays), FieldSpec("promisedLimit", .workingDays),
            FieldSpec("caseType", .oneOf(caseTypes)), FieldSpec("legalBasis", .string, required: false),
        ]),
        t("ItemConfirmed", "gov.catalog.item.confirmed", CanonicalTopic.catalog, "item", [
            FieldSpec("departmentCode", .string), FieldSpec("confirmedBy", .string, required: false, personal: true),
        ]),
        t("CaseSubmitted", "gov.approval.case.submitted", CanonicalTopic.approval, "case", [
            FieldSpec("caseNumber", .string), FieldSpec("itemCode", .string), FieldSpec("departmentCode", .string),
            FieldSpec("applicantName", .string, personal: true), FieldSpec("applicantIdNumber", .string, required: false, personal: true),
            FieldSpec("applicantPhone", .string, required: false, personal: true), FieldSpec("channel", .string, required: false),
        ]),
        t("CaseAccepted", "gov.approval.case.accepted", CanonicalTopic.approval, "case", [
            FieldSpec("caseType", .oneOf(caseTypes)), FieldSpec("promisedLimit", .workingDays),
            FieldSpec("statutoryLimit", .workingDays, required: false), FieldSpec("handler", .string, required: false, personal: true),
        ]),
        t("CaseRefused", "gov.approval.case.refused", CanonicalTopic.approval, "case", [
            FieldSpec("reason", .string),
        ]),
        t("SupplementRequested", "gov.approval.case.supplement.requested", CanonicalTopic.approval, "case", [
            FieldSpec("materials", .string),
        ]),
        t("SupplementReceived", "gov.approval.case.supplement.received", CanonicalTopic.approval, "case", [
            FieldSpec("materials", .string, required: false),
        ]),
        t("StepCompleted", "gov.approval.case.step.completed", CanonicalTopic.approval, "case", [
            FieldSpec("step", .oneOf(steps)), FieldSpec("handler", .string, required: false, personal: true),
            FieldSpec("opinion", .string, required: false),
        ]),
        t("CaseDecided", "gov.approval.case.decided", CanonicalTopic.approval, "case", [
            FieldSpec("decision", .oneOf(["approved", "disapproved"])), FieldSpec("reason", .string, required: false),
        ]),
        t("CaseConcluded", "gov.approval.case.concluded", CanonicalTopic.approval, "case", [
            FieldSpec("resultCode", .string, required: false),
        ]),
        t("DocumentPublished", "gov.disclosure.document.published", CanonicalTopic.disclosure, "document", [
            FieldSpec("title", .string), FieldSpec("category", .oneOf(disclosureCategories)),
            FieldSpec("departmentCode", .string), FieldSpec("documentNumber", .string, required: false),
        ]),
        t("DocumentReported", "gov.disclosure.document.reported", CanonicalTopic.disclosure, "document", [
            FieldSpec("reportedTo", .string),
        ]),
        t("DisclosureRequestReceived", "gov.disclosure.request.received", CanonicalTopic.disclosure, "request", [
            FieldSpec("requesterName", .string, personal: true),
            FieldSpec("requesterKind", .oneOf(["citizen", "legal-person", "other"])),
            FieldSpec("description", .string), FieldSpec("departmentCode", .string),
            FieldSpec("channel", .string, required: false),
        ]),
        t("DisclosureRequestAnswered", "gov.disclosure.request.answered", CanonicalTopic.disclosure, "request", [
            FieldSpec("outcome", .oneOf(disclosureOutcomes)), FieldSpec("reason", .string, required: false),
            FieldSpec("note", .string, required: false),
        ]),
        t("DeadlineBreached", "gov.supervision.alert.deadline.breached", CanonicalTopic.supervision, "alert", [
            FieldSpec("caseSubject", .string), FieldSpec("departmentCode", .string), FieldSpec("itemCode", .string),
            FieldSpec("deadline", .date), FieldSpec("limit", .workingDays), FieldSpec("card", .oneOf(["yellow", "red"])),
        ]),
    ]

    private static let byType: [String: EventType] = Dictionary(uniqueKeysWithValues: all.map { ($0.type, $0) })
    private static let byName: [String: EventType] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The event type with CloudEvents `type` `type`, or `nil`.
    public static func eventType(_ type: String) -> EventType? { byType[type] }

    /// The event type with glossary name `name` (e.g. `CaseAccepted`); traps on an unknown name (programmer error).
    public static func named(_ name: String) -> EventType {
        guard let t = byName[name] else { preconditionFailure("no event type named \(name)") }
        return t
    }
}
