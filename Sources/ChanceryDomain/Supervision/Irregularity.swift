/// An irregularity in a case's conduct (违规), raised as IrregularityFlagged.
public enum Irregularity: String, Sendable, Hashable, Codable, CaseIterable {
    /// CaseRefused (不予受理) with an empty reason. 行政许可法 第三十二条第一款第五项 and
    /// 第三十八条第二款 require a written reason. Red.
    case refusalWithoutReason = "refusal-without-reason"
    /// CaseDecided `disapproved` (不予许可) with no reason (行政许可法 第三十八条第二款: 应当说明
    /// 理由). Red.
    case disapprovalWithoutReason = "disapproval-without-reason"
    /// CaseDecided without a StepCompleted `review` before it: the review step was skipped. Red.
    case decisionWithoutReview = "decision-without-review"
    /// A second SupplementRequested: materials must be asked for all at once (一次性告知,
    /// 行政许可法 第三十二条第一款第四项). Yellow.
    case repeatedSupplement = "repeated-supplement"
    /// An urge (督办, CaseUrged or LetterUrged) whose deadline passed without the department acting (``Urge``): the
    /// urge escalates. Red.
    case urgeMissed = "urge-missed"
    /// A bad rating (差评, levels 4 and 5 of CaseRated) not rectified (BadRatingRectified) within the
    /// rectification limit (``InteractionLimits/rectification``; 国办发〔2019〕51号 leaves the time to local
    /// rules). Red.
    case unrectifiedBadRating = "unrectified-bad-rating"

    /// The `irregularityKind` of IrregularityFlagged (its schema's enum).
    public var alertKind: String {
        switch self {
        case .refusalWithoutReason, .disapprovalWithoutReason: "refusal-without-reason"
        case .decisionWithoutReview: "skipped-step"
        case .repeatedSupplement: "repeated-supplement"
        case .urgeMissed: "other"
        case .unrectifiedBadRating: "unrectified-bad-rating"
        }
    }

    /// The card it earns.
    public var card: Card { self == .repeatedSupplement ? .yellow : .red }
}

/// A fact of a case's conduct, in stream order, as the irregularity check needs it.
public enum CaseConductFact: Sendable, Hashable {
    /// CaseRefused with its `reason`.
    case refused(reason: String?)
    /// StepCompleted with its `step`.
    case stepCompleted(CaseStep)
    /// CaseDecided: `approved` or not, and its `reason`.
    case decided(approved: Bool, reason: String?)
    /// SupplementRequested.
    case supplementRequested
}

/// The irregularity check over a case's facts.
public enum IrregularityRules {
    /// The irregularities shown by `facts` (in stream order), each once, in the order found.
    /// A reason made only of white space counts as no reason.
    public static func check(_ facts: [CaseConductFact]) -> [Irregularity] {
        var found: [Irregularity] = []
        func add(_ i: Irregularity) { if !found.contains(i) { found.append(i) } }
        var reviewed = false
        var supplements = 0
        for fact in facts {
            switch fact {
            case .refused(let reason):
                if isBlank(reason) { add(.refusalWithoutReason) }
            case .stepCompleted(let step):
                if step == .review { reviewed = true }
            case .decided(let approved, let reason):
                if !reviewed { add(.decisionWithoutReview) }
                if !approved && isBlank(reason) { add(.disapprovalWithoutReason) }
            case .supplementRequested:
                supplements += 1
                if supplements == 2 { add(.repeatedSupplement) }
            }
        }
        return found
    }

    private static func isBlank(_ text: String?) -> Bool {
        (text ?? "").allSatisfy(\.isWhitespace)
    }
}
