import Foundation

/// The reply limits of letters, consultations, complaints and the rectification of a bad
/// rating, in working days — configuration, not law (GLOSSARY.md: "Everything else … takes
/// its limit from configuration … never hard-coded").
///
/// JSON file (every key optional; a missing key keeps its default):
///
/// ```json
/// {"letter": 15, "consultation": 3, "complaint": 5, "rectification": 10}
/// ```
///
/// Why these defaults. No national statute fixes these limits; they are the figures a county
/// government typically writes into its own rules, and an operator should replace them with
/// the region's:
/// - `letter` 15: leaders' mailboxes are commonly run on "reply within 15 working days"
///   (信箱办理 "15个工作日内答复"); the 信访工作条例 (2022) 60-day limit governs formal
///   petitions (信访事项), not mailbox letters.
/// - `consultation` 3: a question about a service needs an answer, not an investigation;
///   service-hall rules commonly say 1 to 3 working days. The upper figure is the default.
/// - `complaint` 5: a complaint needs the facts checked with the department; commonly 5.
/// - `rectification` 10: 国办发〔2019〕51号 (政务服务"好差评"制度) requires every real-name bad
///   rating to be verified, rectified and the result fed back, and leaves the time to local
///   rules; 10 working days is a common local figure.
///
/// The limit given in the event itself (`replyLimit` of LetterAccepted, ConsultationReceived,
/// ComplaintReceived) wins over this configuration when present.
public struct InteractionLimits: Sendable, Hashable, Codable {
    /// Mailbox letters (书记/县长信箱), in working days.
    public var letter: WorkingDays
    /// Consultations (咨询), in working days.
    public var consultation: WorkingDays
    /// Complaints (投诉), in working days.
    public var complaint: WorkingDays
    /// Rectification of a bad rating (差评整改), in working days.
    public var rectification: WorkingDays

    /// The documented defaults: 15, 3, 5 and 10 working days.
    public static let defaults = InteractionLimits(
        letter: WorkingDays(15), consultation: WorkingDays(3), complaint: WorkingDays(5), rectification: WorkingDays(10))

    public init(letter: WorkingDays, consultation: WorkingDays, complaint: WorkingDays, rectification: WorkingDays) {
        self.letter = letter
        self.consultation = consultation
        self.complaint = complaint
        self.rectification = rectification
    }

    /// The limit for `kind`.
    public func limit(for kind: InteractionKind) -> WorkingDays {
        switch kind {
        case .letter: letter
        case .consultation: consultation
        case .complaint: complaint
        case .rectification: rectification
        }
    }

    private enum CodingKeys: String, CodingKey { case letter, consultation, complaint, rectification }

    /// Decodes the file shape; missing keys take ``defaults``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        letter = try c.decodeIfPresent(WorkingDays.self, forKey: .letter) ?? d.letter
        consultation = try c.decodeIfPresent(WorkingDays.self, forKey: .consultation) ?? d.consultation
        complaint = try c.decodeIfPresent(WorkingDays.self, forKey: .complaint) ?? d.complaint
        rectification = try c.decodeIfPresent(WorkingDays.self, forKey: .rectification) ?? d.rectification
    }

    /// Parses and checks a limits file: every limit is at least 1 working day.
    ///
    /// - Throws: ``ConfigurationError/malformed(_:)`` for bad JSON or a limit below 1.
    public static func decode(_ data: Data, origin: String = "interaction limits") throws(ConfigurationError) -> InteractionLimits {
        let limits = try ConfigurationError.decodeJSON(InteractionLimits.self, from: data, origin: origin)
        for kind in InteractionKind.allCases where limits.limit(for: kind).count < 1 {
            throw .malformed("\(origin): \(kind.rawValue) must be at least 1 working day")
        }
        return limits
    }

    /// Reads and checks a limits file (see ``decode(_:origin:)``).
    ///
    /// - Throws: ``ConfigurationError/unreadable(path:reason:)`` or ``ConfigurationError/malformed(_:)``.
    public static func load(contentsOf url: URL) throws(ConfigurationError) -> InteractionLimits {
        try decode(try ConfigurationError.read(url), origin: url.lastPathComponent)
    }
}
