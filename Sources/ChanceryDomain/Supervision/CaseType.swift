/// A case's type (办件类型), the `caseType` of CaseAccepted.
public enum CaseType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Done on the spot (即办件): promised limit 0.
    case immediate
    /// Done within the promised limit (承诺件).
    case promised
    /// Needs a higher level (上报件).
    case reportedUpward = "reported-upward"
    /// Several departments (联办件).
    case joint
}

/// A step of case handling (办理环节), the `step` of StepCompleted: one office handles, one
/// reviews, one leader decides.
public enum CaseStep: String, Sendable, Hashable, Codable, CaseIterable {
    /// Handling (承办); starts on acceptance.
    case handling
    /// Review (审核); starts when handling is completed.
    case review
    /// Decision (审批); starts when review is completed.
    case decision
}
