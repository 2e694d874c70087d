/// The state of one stream as far as the lifecycle rules need it; stored as JSON in `approval.stream_heads.state`.
///
/// JSON shape: Swift's synthesized enum coding, `{"<kind>":{"_0":{…}}}`, e.g.
/// `{"case":{"_0":{"status":"accepted","itemCode":"…","departmentCode":"…"}}}`. Fields added after the first
/// release are optional when decoding (a state stored by an older version decodes with their defaults).
public enum AggregateState: Sendable, Hashable, Codable {
    case item(ItemState)
    case `case`(CaseState)
    case document(DocumentState)
    case request(DisclosureRequestState)
    case alert(AlertState)
    case letter(LetterState)
    case consultation(InteractionState)
    case complaint(InteractionState)
    case checkpoint(CheckpointStreamState)

    /// The stream kind this state belongs to (`item`, `case`, `document`, `request`, `alert`, `letter`,
    /// `consultation`, `complaint`, `checkpoint`).
    public var streamKind: String {
        switch self {
        case .item: "item"
        case .case: "case"
        case .document: "document"
        case .request: "request"
        case .alert: "alert"
        case .letter: "letter"
        case .consultation: "consultation"
        case .complaint: "complaint"
        case .checkpoint: "checkpoint"
        }
    }
}

/// A checkpoint stream's position: the tree size of its last CheckpointSigned event (checkpoints of one log only grow).
public struct CheckpointStreamState: Sendable, Hashable, Codable {
    public var treeSize: Int64

    public init(treeSize: Int64) { self.treeSize = treeSize }
}

/// A catalog item's (事项) lifecycle position: registered → revised* → confirmed, retired is final.
public struct ItemState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        /// 登记: registered, not yet confirmed.
        case registered
        /// 变更: revised since the last confirmation; must be confirmed again.
        case revised
        /// 确认: confirmed by its department.
        case confirmed
        /// 取消/下放/调整: out of the catalogue (final).
        case retired
    }
    public var status: Status
    /// The owning department, which confirms the item.
    public var departmentCode: String

    public init(status: Status, departmentCode: String) {
        self.status = status
        self.departmentCode = departmentCode
    }
}

/// A case's (办件) lifecycle position.
public struct CaseState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        /// 申报: submitted, not yet accepted.
        case submitted
        /// 受理: accepted and being handled.
        case accepted
        /// 补正: waiting for the applicant's supplement; the clock is stopped.
        case supplementing
        /// 上报: with a higher level; back to `accepted` when returned.
        case reportedUpward = "reported-upward"
        /// 审批: decided, not yet concluded.
        case decided
        /// 办结.
        case concluded
        /// 送达: concluded and delivered.
        case delivered
        /// 不予受理: refused at intake (final).
        case refused
        /// 撤回: withdrawn before conclusion (final).
        case withdrawn
    }
    public var status: Status
    public var itemCode: String
    public var departmentCode: String
    /// The kind of the special procedure (特别程序) running now, or `nil`; its time is excluded from the limit.
    public var specialProcedure: String?
    /// The rating (好差评 satisfactionCode 1–5), once rated.
    public var satisfactionCode: Int?
    /// Whether a bad rating (4–5) has been rectified (差评整改).
    public var rectified: Bool
    /// How many times the case was urged (督办).
    public var urgeCount: Int

    public init(status: Status, itemCode: String, departmentCode: String, specialProcedure: String? = nil,
                satisfactionCode: Int? = nil, rectified: Bool = false, urgeCount: Int = 0) {
        self.status = status
        self.itemCode = itemCode
        self.departmentCode = departmentCode
        self.specialProcedure = specialProcedure
        self.satisfactionCode = satisfactionCode
        self.rectified = rectified
        self.urgeCount = urgeCount
    }

    /// Open: not concluded, delivered, refused or withdrawn.
    public var isOpen: Bool { [.submitted, .accepted, .supplementing, .reportedUpward, .decided].contains(status) }

    enum CodingKeys: String, CodingKey { case status, itemCode, departmentCode, specialProcedure, satisfactionCode, rectified, urgeCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            status: try c.decode(Status.self, forKey: .status), itemCode: try c.decode(String.self, forKey: .itemCode),
            departmentCode: try c.decode(String.self, forKey: .departmentCode),
            specialProcedure: try c.decodeIfPresent(String.self, forKey: .specialProcedure),
            satisfactionCode: try c.decodeIfPresent(Int.self, forKey: .satisfactionCode),
            rectified: try c.decodeIfPresent(Bool.self, forKey: .rectified) ?? false,
            urgeCount: try c.decodeIfPresent(Int.self, forKey: .urgeCount) ?? 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(itemCode, forKey: .itemCode)
        try c.encode(departmentCode, forKey: .departmentCode)
        try c.encodeIfPresent(specialProcedure, forKey: .specialProcedure)
        try c.encodeIfPresent(satisfactionCode, forKey: .satisfactionCode)
        if rectified { try c.encode(rectified, forKey: .rectified) }
        if urgeCount != 0 { try c.encode(urgeCount, forKey: .urgeCount) }
    }
}

/// A disclosure document's (主动公开信息) lifecycle position: reviewed → published → reported / revised; withdrawn is final.
public struct DocumentState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        /// 保密审查: reviewed, not yet published.
        case reviewed
        /// 主动公开: published (or revised), not reported since.
        case published
        /// 直报: the current version is reported.
        case reported
        /// 撤销: withdrawn (final).
        case withdrawn
    }
    public var status: Status
    /// The conclusion of the latest confidentiality review (`publishable`, `partially-publishable`, `not-publishable`), if any.
    public var reviewConclusion: String?
    /// How many times the published document was revised.
    public var revisions: Int

    public init(status: Status, reviewConclusion: String? = nil, revisions: Int = 0) {
        self.status = status
        self.reviewConclusion = reviewConclusion
        self.revisions = revisions
    }

    enum CodingKeys: String, CodingKey { case status, reviewConclusion, revisions }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(status: try c.decode(Status.self, forKey: .status),
                  reviewConclusion: try c.decodeIfPresent(String.self, forKey: .reviewConclusion),
                  revisions: try c.decodeIfPresent(Int.self, forKey: .revisions) ?? 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(reviewConclusion, forKey: .reviewConclusion)
        if revisions != 0 { try c.encode(revisions, forKey: .revisions) }
    }
}

/// A disclosure request's (依申请公开申请) lifecycle position.
public struct DisclosureRequestState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Open: received (or its correction arrived), not yet answered.
        case received
        /// 补正: waiting for the requester's correction; the clock is stopped.
        case supplementing
        /// 答复: answered (once).
        case answered
    }
    /// Where a reconsideration (行政复议) or a lawsuit (行政诉讼) stands.
    public enum Challenge: String, Sendable, Codable {
        case filed, decided
    }
    public var status: Status
    /// Whether a correction was ever requested (at most once).
    public var supplementRequested: Bool
    /// Whether the reply limit was extended (at most once).
    public var extended: Bool
    /// How many third parties were consulted.
    public var thirdPartyConsultations: Int
    public var reconsideration: Challenge?
    public var litigation: Challenge?

    public init(status: Status, supplementRequested: Bool = false, extended: Bool = false, thirdPartyConsultations: Int = 0,
                reconsideration: Challenge? = nil, litigation: Challenge? = nil) {
        self.status = status
        self.supplementRequested = supplementRequested
        self.extended = extended
        self.thirdPartyConsultations = thirdPartyConsultations
        self.reconsideration = reconsideration
        self.litigation = litigation
    }

    enum CodingKeys: String, CodingKey { case status, supplementRequested, extended, thirdPartyConsultations, reconsideration, litigation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(status: try c.decode(Status.self, forKey: .status),
                  supplementRequested: try c.decodeIfPresent(Bool.self, forKey: .supplementRequested) ?? false,
                  extended: try c.decodeIfPresent(Bool.self, forKey: .extended) ?? false,
                  thirdPartyConsultations: try c.decodeIfPresent(Int.self, forKey: .thirdPartyConsultations) ?? 0,
                  reconsideration: try c.decodeIfPresent(Challenge.self, forKey: .reconsideration),
                  litigation: try c.decodeIfPresent(Challenge.self, forKey: .litigation))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        if supplementRequested { try c.encode(true, forKey: .supplementRequested) }
        if extended { try c.encode(true, forKey: .extended) }
        if thirdPartyConsultations != 0 { try c.encode(thirdPartyConsultations, forKey: .thirdPartyConsultations) }
        try c.encodeIfPresent(reconsideration, forKey: .reconsideration)
        try c.encodeIfPresent(litigation, forKey: .litigation)
    }
}

/// A supervision alert's lifecycle position: raised → resolved (once).
public struct AlertState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case raised, resolved }
    public var status: Status

    public init(status: Status) { self.status = status }
}

/// A mailbox letter's (书记/县长信箱来信) lifecycle position.
public struct LetterState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        /// 来信: received, not yet accepted.
        case received
        /// 受理: accepted and being handled (transferred, escalated, urged, returned, extended).
        case accepted
        /// 答复: replied (final).
        case replied
    }
    public var status: Status
    /// The department holding the letter after a transfer (转办), until it returns it (退回).
    public var transferredTo: String?
    /// Whether the reply limit was extended (申请延时, at most once).
    public var extended: Bool
    /// How many times the letter was urged (督办).
    public var urgeCount: Int

    public init(status: Status, transferredTo: String? = nil, extended: Bool = false, urgeCount: Int = 0) {
        self.status = status
        self.transferredTo = transferredTo
        self.extended = extended
        self.urgeCount = urgeCount
    }
}

/// A consultation's (咨询) or complaint's (投诉) lifecycle position: received → answered (once).
public struct InteractionState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case received, answered }
    public var status: Status

    public init(status: Status) { self.status = status }
}
