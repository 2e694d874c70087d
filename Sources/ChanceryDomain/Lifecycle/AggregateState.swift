/// The state of one stream as far as the lifecycle rules need it; stored as JSON in `approval.stream_heads.state`.
public enum AggregateState: Sendable, Hashable, Codable {
    case item(ItemState)
    case `case`(CaseState)
    case document(DocumentState)
    case request(DisclosureRequestState)
    case alert(AlertState)
}

/// A catalog item's (事项) lifecycle position.
public struct ItemState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case registered, confirmed }
    public var status: Status
    public var departmentCode: String
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
        /// 审批: decided, not yet concluded.
        case decided
        /// 办结.
        case concluded
        /// 不予受理: refused at intake (final).
        case refused
    }
    public var status: Status
    public var itemCode: String
    public var departmentCode: String
}

/// A published document's (主动公开信息) lifecycle position.
public struct DocumentState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case published, reported }
    public var status: Status
}

/// A disclosure request's (依申请公开申请) lifecycle position.
public struct DisclosureRequestState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case received, answered }
    public var status: Status
}

/// A supervision alert's lifecycle position.
public struct AlertState: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case raised }
    public var status: Status
}
