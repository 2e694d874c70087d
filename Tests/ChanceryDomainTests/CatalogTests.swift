import ChanceryDomain
import Foundation
import Testing

/// The repository root, found from this file (symlinks resolved, so a private package that links the test
/// folder still finds the real tree).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The event catalog of GLOSSARY.md, in its order: glossary name, CloudEvents `type`, topic, stream kind.
let glossaryCatalog: [(name: String, type: String, topic: String, kind: String)] = [
    ("ItemRegistered", "gov.catalog.item.registered", "gov.catalog", "item"),
    ("ItemRevised", "gov.catalog.item.revised", "gov.catalog", "item"),
    ("ItemConfirmed", "gov.catalog.item.confirmed", "gov.catalog", "item"),
    ("ItemRetired", "gov.catalog.item.retired", "gov.catalog", "item"),
    ("CaseSubmitted", "gov.approval.case.submitted", "gov.approval", "case"),
    ("CaseAccepted", "gov.approval.case.accepted", "gov.approval", "case"),
    ("CaseRefused", "gov.approval.case.refused", "gov.approval", "case"),
    ("SupplementRequested", "gov.approval.case.supplement.requested", "gov.approval", "case"),
    ("SupplementReceived", "gov.approval.case.supplement.received", "gov.approval", "case"),
    ("SpecialProcedureStarted", "gov.approval.case.special.procedure.started", "gov.approval", "case"),
    ("SpecialProcedureEnded", "gov.approval.case.special.procedure.ended", "gov.approval", "case"),
    ("StepCompleted", "gov.approval.case.step.completed", "gov.approval", "case"),
    ("CaseReportedUpward", "gov.approval.case.reported.upward", "gov.approval", "case"),
    ("CaseReturnedFromUpward", "gov.approval.case.returned.from.upward", "gov.approval", "case"),
    ("CaseDecided", "gov.approval.case.decided", "gov.approval", "case"),
    ("CaseConcluded", "gov.approval.case.concluded", "gov.approval", "case"),
    ("CaseDelivered", "gov.approval.case.delivered", "gov.approval", "case"),
    ("CaseWithdrawn", "gov.approval.case.withdrawn", "gov.approval", "case"),
    ("CaseUrged", "gov.approval.case.urged", "gov.approval", "case"),
    ("CaseRated", "gov.approval.case.rated", "gov.approval", "case"),
    ("BadRatingRectified", "gov.approval.case.bad.rating.rectified", "gov.approval", "case"),
    ("DocumentReviewed", "gov.disclosure.document.reviewed", "gov.disclosure", "document"),
    ("DocumentPublished", "gov.disclosure.document.published", "gov.disclosure", "document"),
    ("DocumentReported", "gov.disclosure.document.reported", "gov.disclosure", "document"),
    ("DocumentRevised", "gov.disclosure.document.revised", "gov.disclosure", "document"),
    ("DocumentWithdrawn", "gov.disclosure.document.withdrawn", "gov.disclosure", "document"),
    ("DisclosureRequestReceived", "gov.disclosure.request.received", "gov.disclosure", "request"),
    ("DisclosureSupplementRequested", "gov.disclosure.request.supplement.requested", "gov.disclosure", "request"),
    ("DisclosureSupplementReceived", "gov.disclosure.request.supplement.received", "gov.disclosure", "request"),
    ("ThirdPartyConsulted", "gov.disclosure.request.third.party.consulted", "gov.disclosure", "request"),
    ("DisclosureRequestExtended", "gov.disclosure.request.extended", "gov.disclosure", "request"),
    ("DisclosureRequestAnswered", "gov.disclosure.request.answered", "gov.disclosure", "request"),
    ("ReconsiderationFiled", "gov.disclosure.request.reconsideration.filed", "gov.disclosure", "request"),
    ("ReconsiderationDecided", "gov.disclosure.request.reconsideration.decided", "gov.disclosure", "request"),
    ("LitigationFiled", "gov.disclosure.request.litigation.filed", "gov.disclosure", "request"),
    ("LitigationDecided", "gov.disclosure.request.litigation.decided", "gov.disclosure", "request"),
    ("LetterReceived", "gov.interaction.letter.received", "gov.interaction", "letter"),
    ("LetterAccepted", "gov.interaction.letter.accepted", "gov.interaction", "letter"),
    ("LetterTransferred", "gov.interaction.letter.transferred", "gov.interaction", "letter"),
    ("LetterEscalated", "gov.interaction.letter.escalated", "gov.interaction", "letter"),
    ("LetterUrged", "gov.interaction.letter.urged", "gov.interaction", "letter"),
    ("LetterReturned", "gov.interaction.letter.returned", "gov.interaction", "letter"),
    ("LetterExtensionGranted", "gov.interaction.letter.extension.granted", "gov.interaction", "letter"),
    ("LetterReplied", "gov.interaction.letter.replied", "gov.interaction", "letter"),
    ("ConsultationReceived", "gov.interaction.consultation.received", "gov.interaction", "consultation"),
    ("ConsultationAnswered", "gov.interaction.consultation.answered", "gov.interaction", "consultation"),
    ("ComplaintReceived", "gov.interaction.complaint.received", "gov.interaction", "complaint"),
    ("ComplaintAnswered", "gov.interaction.complaint.answered", "gov.interaction", "complaint"),
    ("DeadlineWarningRaised", "gov.supervision.alert.deadline.warning.raised", "gov.supervision", "alert"),
    ("DeadlineBreached", "gov.supervision.alert.deadline.breached", "gov.supervision", "alert"),
    ("IrregularityFlagged", "gov.supervision.alert.irregularity.flagged", "gov.supervision", "alert"),
    ("RecordQuarantined", "gov.supervision.alert.record.quarantined", "gov.supervision", "alert"),
    ("AlertResolved", "gov.supervision.alert.resolved", "gov.supervision", "alert"),
    ("CheckpointSigned", "gov.supervision.checkpoint.signed", "gov.supervision", "checkpoint"),
]

/// The 15 types of the first release with their fields as they were (kind, required, personal). A demo of
/// ~84,000 events and the integration tests depend on them: the schemas may add optional fields only.
let firstReleaseFields: [String: [FieldSpec]] = [
    "ItemRegistered": [
        FieldSpec("itemCode", .string), FieldSpec("itemName", .string), FieldSpec("itemKind", .oneOf(["licensing", "non-licensing-approval", "public-service", "other-power"])),
        FieldSpec("departmentCode", .string), FieldSpec("departmentName", .string),
        FieldSpec("statutoryLimit", .workingDays), FieldSpec("promisedLimit", .workingDays),
        FieldSpec("caseType", .oneOf(["immediate", "promised", "reported-upward", "joint"])), FieldSpec("legalBasis", .string, required: false),
    ],
    "ItemConfirmed": [FieldSpec("departmentCode", .string), FieldSpec("confirmedBy", .string, required: false, personal: true)],
    "CaseSubmitted": [
        FieldSpec("caseNumber", .string), FieldSpec("itemCode", .string), FieldSpec("departmentCode", .string),
        FieldSpec("applicantName", .string, personal: true), FieldSpec("applicantIdNumber", .string, required: false, personal: true),
        FieldSpec("applicantPhone", .string, required: false, personal: true), FieldSpec("channel", .string, required: false),
    ],
    "CaseAccepted": [
        FieldSpec("caseType", .oneOf(["immediate", "promised", "reported-upward", "joint"])), FieldSpec("promisedLimit", .workingDays),
        FieldSpec("statutoryLimit", .workingDays, required: false), FieldSpec("handler", .string, required: false, personal: true),
    ],
    "CaseRefused": [FieldSpec("reason", .string)],
    "SupplementRequested": [FieldSpec("materials", .string)],
    "SupplementReceived": [FieldSpec("materials", .string, required: false)],
    "StepCompleted": [
        FieldSpec("step", .oneOf(["handling", "review", "decision"])), FieldSpec("handler", .string, required: false, personal: true),
        FieldSpec("opinion", .string, required: false),
    ],
    "CaseDecided": [FieldSpec("decision", .oneOf(["approved", "disapproved"])), FieldSpec("reason", .string, required: false)],
    "CaseConcluded": [FieldSpec("resultCode", .string, required: false)],
    "DocumentPublished": [
        FieldSpec("title", .string),
        FieldSpec("category", .oneOf(["overview", "notices", "work-updates", "normative-documents", "plans", "business-work",
                                      "major-construction", "fiscal-information", "emergency-management", "statistics", "personnel", "other"])),
        FieldSpec("departmentCode", .string), FieldSpec("documentNumber", .string, required: false),
    ],
    "DocumentReported": [FieldSpec("reportedTo", .string)],
    "DisclosureRequestReceived": [
        FieldSpec("requesterName", .string, personal: true), FieldSpec("requesterKind", .oneOf(["citizen", "legal-person", "other"])),
        FieldSpec("description", .string), FieldSpec("departmentCode", .string), FieldSpec("channel", .string, required: false),
    ],
    "DisclosureRequestAnswered": [
        FieldSpec("outcome", .oneOf(["disclosed", "partially-disclosed", "withheld", "cannot-provide", "not-processed", "other"])),
        FieldSpec("reason", .string, required: false), FieldSpec("note", .string, required: false),
    ],
    "DeadlineBreached": [
        FieldSpec("caseSubject", .string), FieldSpec("departmentCode", .string), FieldSpec("itemCode", .string),
        FieldSpec("deadline", .date), FieldSpec("limit", .workingDays), FieldSpec("card", .oneOf(["yellow", "red"])),
    ],
]

@Suite("Event catalog")
struct CatalogTests {
    @Test("the catalog is the glossary's: every type, its `type` string, topic and stream kind, in order")
    func glossary() {
        #expect(EventCatalog.all.count == 54)
        #expect(EventCatalog.all.map(\.name) == glossaryCatalog.map(\.name))
        for (entry, t) in zip(glossaryCatalog, EventCatalog.all) {
            #expect(t.type == entry.type, "\(entry.name)")
            #expect(t.topic == entry.topic, "\(entry.name)")
            #expect(t.streamKind == entry.kind, "\(entry.name)")
            let newest = Self.newestVersions[entry.name] ?? 1
            #expect(t.version == newest)
            #expect(t.dataschema() == "urn:chancery:schema:\(entry.type):\(newest)")
            #expect(EventCatalog.eventType(entry.type) == t)
            #expect(EventCatalog.named(entry.name) == t)
            #expect(!t.summary.isEmpty)
        }
        #expect(Set(EventCatalog.all.map(\.topic)) == Set(CanonicalTopic.all))
        #expect(EventCatalog.streamKinds == ["item", "case", "document", "request", "letter", "consultation", "complaint", "alert", "checkpoint"])
    }

    @Test("`type` follows the naming rule: drop the stream kind (and the topic word), join the rest with dots")
    func namingRule() {
        for t in EventCatalog.all {
            let topicWord = String(t.topic.split(separator: ".").last!)
            var words: [String] = []
            var current = ""
            for ch in t.name {
                if ch.isUppercase, !current.isEmpty { words.append(current); current = "" }
                current.append(ch)
            }
            words.append(current)
            let rest = words.map { $0.lowercased() }.filter { $0 != t.streamKind && $0 != topicWord }
            #expect(t.type == "\(t.topic).\(t.streamKind).\(rest.joined(separator: "."))", "\(t.name)")
        }
    }

    /// Types with versions after 1 (each change has an upcaster: ``UpcasterRegistry/standard``).
    static let newestVersions = ["CaseAccepted": 2, "DeadlineWarningRaised": 2, "DeadlineBreached": 2]

    @Test("the first release's 15 types keep their version 1: names, types, topics and fields; anything added is optional")
    func firstReleaseUnchanged() throws {
        #expect(firstReleaseFields.count == 15)
        for (name, old) in firstReleaseFields {
            let t = try #require(EventSchemas.bundled.eventType(EventCatalog.named(name).type, version: 1))
            for field in old {
                let now = try #require(t.field(field.name), "\(name).\(field.name) disappeared")
                #expect(now.kind == field.kind, "\(name).\(field.name)")
                #expect(now.required == field.required, "\(name).\(field.name)")
                #expect(now.personal == field.personal, "\(name).\(field.name)")
            }
            for added in t.fields where !old.contains(where: { $0.name == added.name }) {
                #expect(!added.required, "\(name).\(added.name) is new and must be optional")
            }
        }
        #expect(EventCatalog.itemKinds == ["licensing", "non-licensing-approval", "public-service", "other-power"])
        #expect(EventCatalog.caseTypes == ["immediate", "promised", "reported-upward", "joint"])
        #expect(EventCatalog.steps == ["handling", "review", "decision"])
        #expect(EventCatalog.disclosureOutcomes == ["disclosed", "partially-disclosed", "withheld", "cannot-provide", "not-processed", "other"])
        #expect(EventCatalog.disclosureCategories.count == 12 && EventCatalog.disclosureCategories.first == "overview")
    }

    /// Reads the schema files with Foundation's JSONSerialization, independently of the Swift schema code.
    static func rawSchemas() throws -> [String: [String: Any]] {
        let dir = repositoryRoot.appendingPathComponent("schemas/events")
        var out: [String: [String: Any]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(name)))
            out[name] = try #require(object as? [String: Any])
        }
        return out
    }

    @Test("the Swift catalog and the schema files agree field by field (names, required, personal, kinds)")
    func catalogMatchesFiles() throws {
        let files = try Self.rawSchemas()
        #expect(files.count == EventCatalog.all.reduce(0) { $0 + $1.version }, "one file per type and version")
        for t in EventCatalog.all {
            let file = try #require(files["\(t.type).v\(t.version).json"], "no schema file for \(t.type)")
            #expect(file["$id"] as? String == t.dataschema())
            #expect(file["title"] as? String == t.name)
            #expect(file["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(file["additionalProperties"] as? Bool == false, "\(t.name) must refuse unknown fields")
            let description = try #require(file["description"] as? String)
            #expect(description.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(t.name)'s description names the Chinese term")
            let properties = try #require(file["properties"] as? [String: [String: Any]])
            let required = Set(file["required"] as? [String] ?? [])
            let defs = file["$defs"] as? [String: [String: Any]] ?? [:]
            #expect(Set(properties.keys) == Set(t.fields.map(\.name)), "\(t.name)")
            for field in t.fields {
                let p = try #require(properties[field.name])
                #expect(required.contains(field.name) == field.required, "\(t.name).\(field.name)")
                #expect((p["x-personal-data"] as? Bool ?? false) == field.personal, "\(t.name).\(field.name)")
                var merged = p
                if let ref = p["$ref"] as? String, let def = defs[String(ref.dropFirst("#/$defs/".count))] {
                    merged = def.merging(p) { _, own in own }
                }
                let expectedKind: FieldSpec.Kind
                if merged["x-unit"] as? String == "working-days" {
                    expectedKind = .workingDays
                } else if let values = merged["enum"] as? [String] {
                    expectedKind = .oneOf(values)
                } else if let c = merged["const"] as? String {
                    expectedKind = .oneOf([c])
                } else if merged["format"] as? String == "date" {
                    expectedKind = .date
                } else if merged["format"] as? String == "date-time" {
                    expectedKind = .dateTime
                } else {
                    switch merged["type"] as? String {
                    case "string": expectedKind = .string
                    case "integer": expectedKind = .integer
                    case "boolean": expectedKind = .boolean
                    default: Issue.record("\(t.name).\(field.name) has no known kind"); continue
                    }
                }
                #expect(field.kind == expectedKind, "\(t.name).\(field.name)")
                if field.kind == .string { #expect((merged["minLength"] as? Int ?? 0) >= 1, "\(t.name).\(field.name) must not be empty") }
                #expect(!field.summary.isEmpty, "\(t.name).\(field.name) has a description")
            }
        }
    }

    @Test("personal data is marked: names, identity numbers, phones, addresses, e-mails of people, and citizens' own words")
    func personalData() {
        let personSuffixes = ["Name", "IdNumber", "Phone", "Address", "Email"]
        let notPeople: Set<String> = ["itemName", "departmentName", "toDepartmentName", "projectName"]
        let alsoPersonal: Set<String> = ["handler", "confirmedBy", "reviewer", "approvedBy", "answeredBy", "comment", "content"]
        for t in EventCatalog.all {
            for f in t.fields {
                let looksPersonal = (personSuffixes.contains { f.name.hasSuffix($0) } && !notPeople.contains(f.name)) || alsoPersonal.contains(f.name)
                #expect(f.personal == looksPersonal, "\(t.name).\(f.name) personal=\(f.personal)")
                if f.personal { #expect(f.kind == .string, "\(t.name).\(f.name)") }
            }
        }
    }

    @Test("limits are whole working days")
    func limits() {
        for t in EventCatalog.all {
            for f in t.fields where f.name.hasSuffix("Limit") || f.name == "limit" || f.name == "remainingDays" {
                // A count with a unit field of its own (CaseAccepted v2) or of its type (the cards' limitUnit, v2).
                if let unit = t.field(f.name + "Unit") ?? (f.name == "remainingDays" ? t.field("limitUnit") : nil) {
                    #expect(f.kind == .integer && unit.kind == .oneOf(["working-days", "calendar-days"]), "\(t.name).\(f.name)")
                } else {
                    #expect(f.kind == .workingDays, "\(t.name).\(f.name)")
                }
            }
        }
        #expect(EventCatalog.named("CaseRated").field("satisfactionCode")?.kind == .integer)
    }
}
