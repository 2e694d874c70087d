/// A case event (办件, `gov.approval.case.*`) as a typed value: the one place where a case event's type name and
/// `data` members are read. The gateway's rules (``CaseLifecycle``), the case file (``CaseFile``) and through it the
/// projector and the supervisor switch over these cases, never over type names or `data["…"]`.
///
/// Decoding never fails for a known type: a member the schema requires but a malformed record lacks takes the
/// neutral value noted at each case (the gateway's validator refuses such events, so only a record produced around
/// the gateway can lack one). Members are those of the newest version of each type (decode after upcasting,
/// ``UpcasterRegistry``). Source of each member: `schemas/events/gov.approval.case.*.json`.
public enum CaseEvent: TypedEvent {
    /// 申报 (CaseSubmitted): starts the stream. Missing codes decode as "".
    case submitted(caseNumber: String?, itemCode: String, departmentCode: String, applicantName: String?)
    /// 受理 (CaseAccepted): the clock starts. A missing `promisedLimit` decodes as 0 (an immediate case).
    case accepted(caseType: CaseType?, promisedLimit: WorkingDays, promisedLimitUnit: LimitUnit, statutoryLimit: WorkingDays?)
    /// 不予受理 (CaseRefused), with its reason when given.
    case refused(reason: String?)
    /// 补正告知 (SupplementRequested): the clock stops.
    case supplementRequested
    /// 补正材料接收 (SupplementReceived): the clock runs again.
    case supplementReceived
    /// 特别程序开始 (SpecialProcedureStarted); an unknown kind decodes as ``SpecialProcedureKind/other``.
    case specialProcedureStarted(SpecialProcedureKind)
    /// 特别程序结束 (SpecialProcedureEnded), naming the kind that ends when given.
    case specialProcedureEnded(SpecialProcedureKind?)
    /// 环节办理 (StepCompleted); `nil` for a step outside ``CaseStep``.
    case stepCompleted(CaseStep?)
    /// 上报 (CaseReportedUpward).
    case reportedUpward
    /// 上级返回 (CaseReturnedFromUpward).
    case returnedFromUpward
    /// 审批决定 (CaseDecided): `decision` is `approved` or `disapproved`.
    case decided(decision: String?, reason: String?)
    /// 办结 (CaseConcluded).
    case concluded
    /// 送达 (CaseDelivered).
    case delivered
    /// 撤回 (CaseWithdrawn).
    case withdrawn
    /// 督办 (CaseUrged), with its own deadline when it names a real date.
    case urged(deadline: CivilDate?)
    /// 好差评 (CaseRated): satisfactionCode 1 (very satisfied) … 5 (very dissatisfied); 4–5 are bad ratings.
    case rated(satisfactionCode: Int?)
    /// 差评整改 (BadRatingRectified), with the follow-up rating when given.
    case badRatingRectified(followUpSatisfactionCode: Int?)

    /// The event of glossary type `name` (``EventType/name``, e.g. `CaseAccepted`) with `data`; nil when `name` is
    /// not a case event type.
    public init?(name: String, data: JSONValue) {
        func s(_ key: String) -> String? { data[key]?.stringValue }
        func i(_ key: String) -> Int? { data[key]?.integerValue.map { Int(clamping: $0) } }
        switch name {
        case "CaseSubmitted":
            self = .submitted(caseNumber: s("caseNumber"), itemCode: s("itemCode") ?? "", departmentCode: s("departmentCode") ?? "",
                              applicantName: s("applicantName"))
        case "CaseAccepted":
            self = .accepted(caseType: s("caseType").flatMap(CaseType.init(rawValue:)), promisedLimit: WorkingDays(i("promisedLimit") ?? 0),
                             promisedLimitUnit: s("promisedLimitUnit").flatMap(LimitUnit.init(rawValue:)) ?? .workingDays,
                             statutoryLimit: i("statutoryLimit").map(WorkingDays.init))
        case "CaseRefused": self = .refused(reason: s("reason"))
        case "SupplementRequested": self = .supplementRequested
        case "SupplementReceived": self = .supplementReceived
        case "SpecialProcedureStarted": self = .specialProcedureStarted(s("specialProcedureKind").flatMap(SpecialProcedureKind.init(rawValue:)) ?? .other)
        case "SpecialProcedureEnded": self = .specialProcedureEnded(s("specialProcedureKind").flatMap(SpecialProcedureKind.init(rawValue:)))
        case "StepCompleted": self = .stepCompleted(s("step").flatMap(CaseStep.init(rawValue:)))
        case "CaseReportedUpward": self = .reportedUpward
        case "CaseReturnedFromUpward": self = .returnedFromUpward
        case "CaseDecided": self = .decided(decision: s("decision"), reason: s("reason"))
        case "CaseConcluded": self = .concluded
        case "CaseDelivered": self = .delivered
        case "CaseWithdrawn": self = .withdrawn
        case "CaseUrged": self = .urged(deadline: s("deadline").flatMap { CivilDate($0) })
        case "CaseRated": self = .rated(satisfactionCode: i("satisfactionCode"))
        case "BadRatingRectified": self = .badRatingRectified(followUpSatisfactionCode: i("followUpSatisfactionCode"))
        default: return nil
        }
    }


    /// The glossary name of the event's type (`CaseAccepted`, …), for messages.
    public var name: String {
        switch self {
        case .submitted: "CaseSubmitted"
        case .accepted: "CaseAccepted"
        case .refused: "CaseRefused"
        case .supplementRequested: "SupplementRequested"
        case .supplementReceived: "SupplementReceived"
        case .specialProcedureStarted: "SpecialProcedureStarted"
        case .specialProcedureEnded: "SpecialProcedureEnded"
        case .stepCompleted: "StepCompleted"
        case .reportedUpward: "CaseReportedUpward"
        case .returnedFromUpward: "CaseReturnedFromUpward"
        case .decided: "CaseDecided"
        case .concluded: "CaseConcluded"
        case .delivered: "CaseDelivered"
        case .withdrawn: "CaseWithdrawn"
        case .urged: "CaseUrged"
        case .rated: "CaseRated"
        case .badRatingRectified: "BadRatingRectified"
        }
    }

    /// Whether the event is an action of the department that meets an urge (``Urge``): a completed step, the
    /// decision, the conclusion.
    public var meetsUrge: Bool {
        switch self {
        case .stepCompleted, .decided, .concluded: true
        default: false
        }
    }
}
