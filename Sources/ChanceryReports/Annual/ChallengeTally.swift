import ChanceryDomain

/// What the events say about the challenges of one disclosure reply: its reconsideration (行政复议) and lawsuit (行政诉讼).
public struct ChallengeFact: Sendable, Hashable {
    /// The request's stream id.
    public var subject: String
    /// Day of `ReconsiderationFiled`, if any.
    public var reconsiderationFiledOn: CivilDate?
    /// Day and `outcome` (`upheld`, `corrected`, `other`) of `ReconsiderationDecided`, if any.
    public var reconsiderationDecidedOn: CivilDate?
    /// `ReconsiderationDecided.outcome`.
    public var reconsiderationOutcome: String?
    /// Day of `LitigationFiled`, if any.
    public var litigationFiledOn: CivilDate?
    /// Day and `outcome` of `LitigationDecided`, if any.
    public var litigationDecidedOn: CivilDate?
    /// `LitigationDecided.outcome`.
    public var litigationOutcome: String?

    /// The facts of one request's challenges.
    public init(subject: String, reconsiderationFiledOn: CivilDate? = nil, reconsiderationDecidedOn: CivilDate? = nil,
                reconsiderationOutcome: String? = nil, litigationFiledOn: CivilDate? = nil, litigationDecidedOn: CivilDate? = nil,
                litigationOutcome: String? = nil) {
        self.subject = subject
        self.reconsiderationFiledOn = reconsiderationFiledOn
        self.reconsiderationDecidedOn = reconsiderationDecidedOn
        self.reconsiderationOutcome = reconsiderationOutcome
        self.litigationFiledOn = litigationFiledOn
        self.litigationDecidedOn = litigationDecidedOn
        self.litigationOutcome = litigationOutcome
    }
}

/// Section 四 from the challenges' facts (pure). A reconsideration or lawsuit counts in the year when it was filed by the
/// year's end and not decided before the year: decided in the year, by its outcome; otherwise 尚未审结 (pending). A
/// lawsuit is 复议后起诉 when the reply's reconsideration was filed on or before the day the lawsuit was, else
/// 未经复议直接起诉.
public enum ChallengeTally {
    /// Section 四 of `year` from the challenges of every request of the region.
    public static func tally(year: Int, facts: [ChallengeFact]) -> Challenges {
        let first = CivilDate(year: year, month: 1, day: 1), last = CivilDate(year: year, month: 12, day: 31)
        func count(_ into: inout Challenges.Outcomes, filed: CivilDate?, decided: CivilDate?, outcome: String?) {
            guard let filed, filed <= last else { return }
            if let decided, decided < first { return }
            if let decided, decided <= last {
                switch outcome {
                case "upheld": into.upheld += 1
                case "corrected": into.corrected += 1
                default: into.other += 1
                }
            } else {
                into.pending += 1
            }
        }
        var out = Challenges()
        for f in facts {
            count(&out.reconsideration, filed: f.reconsiderationFiledOn, decided: f.reconsiderationDecidedOn, outcome: f.reconsiderationOutcome)
            if let filed = f.litigationFiledOn, let reconsidered = f.reconsiderationFiledOn, reconsidered <= filed {
                count(&out.litigationAfterReconsideration, filed: f.litigationFiledOn, decided: f.litigationDecidedOn, outcome: f.litigationOutcome)
            } else {
                count(&out.litigationDirect, filed: f.litigationFiledOn, decided: f.litigationDecidedOn, outcome: f.litigationOutcome)
            }
        }
        return out
    }
}
