/// What a citizen-facing interaction with a reply limit is (GLOSSARY.md "mailbox letter",
/// "consultation / complaint", "service rating").
public enum InteractionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A letter to a leader's public mailbox (书记/县长信箱): LetterReceived … LetterReplied.
    case letter
    /// A consultation about a service (咨询): ConsultationReceived → ConsultationAnswered.
    case consultation
    /// A complaint about a service (投诉): ComplaintReceived → ComplaintAnswered.
    case complaint
    /// The rectification of a bad rating (差评整改): CaseRated with 4 or 5 → BadRatingRectified.
    case rectification
}
