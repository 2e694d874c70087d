/// A supervision card (GLOSSARY.md "yellow card / red card"), ordered by severity.
public enum Card: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Nothing is due.
    case none
    /// Yellow card (黄牌): the deadline is near.
    case yellow
    /// Red card (红牌): a limit is passed unconcluded, or an irregularity.
    case red

    private var severity: Int {
        switch self {
        case .none: 0
        case .yellow: 1
        case .red: 2
        }
    }

    public static func < (lhs: Card, rhs: Card) -> Bool { lhs.severity < rhs.severity }
}
