/// An event of a stream that owes its sender a reply within a limit — a disclosure request (依申请公开,
/// `gov.disclosure.request.*`), a mailbox letter (信箱来信, `gov.interaction.letter.*`), a consultation (咨询) or a
/// complaint (投诉) — as a typed value: the one place where these events' type names and `data` members are read. The
/// gateway's rules (``DisclosureRequestLifecycle``, ``LetterLifecycle``, ``InteractionLifecycle``), the reply file
/// (``ReplyFile``) and through it the projector and the supervisor switch over these cases.
///
/// Decoding never fails for a known type: a member the schema requires but a malformed record lacks decodes as nil
/// (the gateway's validator refuses such events). Members are those of the newest version of each type (decode after
/// upcasting). Only the members some consumer uses are decoded; descriptive texts stay in the event's `data`. Source:
/// `schemas/events/gov.disclosure.request.*.json`, `schemas/events/gov.interaction.*.json`.
public enum ReplyEvent: TypedEvent {
    // Disclosure requests (State Council order 711, arts. 29–33).
    /// DisclosureRequestReceived: starts a request stream.
    case requestReceived(departmentCode: String?, requesterName: String?, requesterKind: String?, description: String?)
    /// DisclosureSupplementRequested (补正): the clock stops.
    case requestSupplementRequested
    /// DisclosureSupplementReceived: the clock runs again.
    case requestSupplementReceived
    /// ThirdPartyConsulted (征求第三方意见): the consultation's days do not count.
    case thirdPartyConsulted
    /// DisclosureRequestExtended, by `extensionLimit` working days.
    case requestExtended(extensionLimit: WorkingDays?)
    /// DisclosureRequestAnswered with its outcome (`disclosed`, `partially-disclosed`, …) and note.
    case requestAnswered(outcome: String?, note: String?)
    /// ReconsiderationFiled (行政复议).
    case reconsiderationFiled
    /// ReconsiderationDecided with its outcome.
    case reconsiderationDecided(outcome: String?)
    /// LitigationFiled (行政诉讼).
    case litigationFiled
    /// LitigationDecided with its outcome.
    case litigationDecided(outcome: String?)

    // Mailbox letters (书记/县长信箱).
    /// LetterReceived: starts a letter stream.
    case letterReceived(mailbox: String?, letterKind: String?, title: String?, writerName: String?, replyLimit: WorkingDays?)
    /// LetterAccepted, naming the reply limit when it sets one.
    case letterAccepted(replyLimit: WorkingDays?)
    /// LetterTransferred (转办) to a department, naming the reply limit when it sets one.
    case letterTransferred(toDepartmentCode: String?, replyLimit: WorkingDays?)
    /// LetterEscalated (呈办).
    case letterEscalated
    /// LetterUrged (督办), with its own deadline when it names a real date.
    case letterUrged(deadline: CivilDate?)
    /// LetterReturned (退回) by the department that held it.
    case letterReturned
    /// LetterExtensionGranted (延时), by `extensionLimit` working days.
    case letterExtensionGranted(extensionLimit: WorkingDays?)
    /// LetterReplied; `published` when the reply is published with the writer's consent.
    case letterReplied(published: Bool?)

    // Consultations and complaints.
    /// ConsultationReceived or ComplaintReceived (`kind` tells which); a complaint may name the case it is about.
    case inquiryReceived(kind: InteractionKind, departmentCode: String?, itemCode: String?, caseSubject: String?, channel: String?,
                         replyLimit: WorkingDays?)
    /// ConsultationAnswered or ComplaintAnswered; a complaint's answer says whether it was substantiated.
    case inquiryAnswered(kind: InteractionKind, substantiated: Bool?)

    /// The event of glossary type `name` (``EventType/name``) with `data`; nil when `name` is not one of these types.
    public init?(name: String, data: JSONValue) {
        func s(_ key: String) -> String? { data[key]?.stringValue }
        func days(_ key: String) -> WorkingDays? { data[key]?.integerValue.map { WorkingDays(Int(clamping: $0)) } }
        switch name {
        case "DisclosureRequestReceived":
            self = .requestReceived(departmentCode: s("departmentCode"), requesterName: s("requesterName"), requesterKind: s("requesterKind"),
                                    description: s("description"))
        case "DisclosureSupplementRequested": self = .requestSupplementRequested
        case "DisclosureSupplementReceived": self = .requestSupplementReceived
        case "ThirdPartyConsulted": self = .thirdPartyConsulted
        case "DisclosureRequestExtended": self = .requestExtended(extensionLimit: days("extensionLimit"))
        case "DisclosureRequestAnswered": self = .requestAnswered(outcome: s("outcome"), note: s("note"))
        case "ReconsiderationFiled": self = .reconsiderationFiled
        case "ReconsiderationDecided": self = .reconsiderationDecided(outcome: s("outcome"))
        case "LitigationFiled": self = .litigationFiled
        case "LitigationDecided": self = .litigationDecided(outcome: s("outcome"))
        case "LetterReceived":
            self = .letterReceived(mailbox: s("mailbox"), letterKind: s("letterKind"), title: s("title"), writerName: s("writerName"),
                                   replyLimit: days("replyLimit"))
        case "LetterAccepted": self = .letterAccepted(replyLimit: days("replyLimit"))
        case "LetterTransferred": self = .letterTransferred(toDepartmentCode: s("toDepartmentCode"), replyLimit: days("replyLimit"))
        case "LetterEscalated": self = .letterEscalated
        case "LetterUrged": self = .letterUrged(deadline: s("deadline").flatMap { CivilDate($0) })
        case "LetterReturned": self = .letterReturned
        case "LetterExtensionGranted": self = .letterExtensionGranted(extensionLimit: days("extensionLimit"))
        case "LetterReplied": self = .letterReplied(published: data["published"]?.boolValue)
        case "ConsultationReceived", "ComplaintReceived":
            self = .inquiryReceived(kind: name == "ConsultationReceived" ? .consultation : .complaint, departmentCode: s("departmentCode"),
                                    itemCode: s("itemCode"), caseSubject: s("caseSubject"), channel: s("channel"), replyLimit: days("replyLimit"))
        case "ConsultationAnswered": self = .inquiryAnswered(kind: .consultation, substantiated: nil)
        case "ComplaintAnswered": self = .inquiryAnswered(kind: .complaint, substantiated: data["substantiated"]?.boolValue)
        default: return nil
        }
    }


    /// The glossary name of the event's type, for messages.
    public var name: String {
        switch self {
        case .requestReceived: "DisclosureRequestReceived"
        case .requestSupplementRequested: "DisclosureSupplementRequested"
        case .requestSupplementReceived: "DisclosureSupplementReceived"
        case .thirdPartyConsulted: "ThirdPartyConsulted"
        case .requestExtended: "DisclosureRequestExtended"
        case .requestAnswered: "DisclosureRequestAnswered"
        case .reconsiderationFiled: "ReconsiderationFiled"
        case .reconsiderationDecided: "ReconsiderationDecided"
        case .litigationFiled: "LitigationFiled"
        case .litigationDecided: "LitigationDecided"
        case .letterReceived: "LetterReceived"
        case .letterAccepted: "LetterAccepted"
        case .letterTransferred: "LetterTransferred"
        case .letterEscalated: "LetterEscalated"
        case .letterUrged: "LetterUrged"
        case .letterReturned: "LetterReturned"
        case .letterExtensionGranted: "LetterExtensionGranted"
        case .letterReplied: "LetterReplied"
        case .inquiryReceived(let kind, _, _, _, _, _): kind == .consultation ? "ConsultationReceived" : "ComplaintReceived"
        case .inquiryAnswered(let kind, _): kind == .consultation ? "ConsultationAnswered" : "ComplaintAnswered"
        }
    }

    /// Whether the event answers its stream: DisclosureRequestAnswered, LetterReplied, ConsultationAnswered,
    /// ComplaintAnswered — the event that stops the reply clock and resolves its cards.
    public var isAnswer: Bool {
        switch self {
        case .requestAnswered, .letterReplied, .inquiryAnswered: true
        default: false
        }
    }

    /// Whether the event is an action on a letter that meets an urge (``Urge``): a transfer, an escalation, an extension
    /// or the reply.
    public var meetsUrge: Bool {
        switch self {
        case .letterTransferred, .letterEscalated, .letterExtensionGranted, .letterReplied: true
        default: false
        }
    }
}
