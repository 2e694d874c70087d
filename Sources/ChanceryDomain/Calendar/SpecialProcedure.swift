/// The kind of a special procedure (特别程序种类), as in the `specialProcedureKind` field of
/// SpecialProcedureStarted / SpecialProcedureEnded.
///
/// Time spent in a special procedure is excluded from a case's limits (GLOSSARY.md "special
/// procedure"; 行政许可法 第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审所需时间不计算在期限内).
public enum SpecialProcedureKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Hearing (听证).
    case hearing
    /// Expert review (专家评审).
    case expertReview = "expert-review"
    /// Inspection, testing, site survey (检验检测 / 现场勘查).
    case inspection
    /// Public notice (公示).
    case publicNotice = "public-notice"
    /// Extension (延长审批时限) — counted, as the glossary says, as excluded time.
    case `extension`
    /// Any other procedure the item's legal basis names.
    case other
}

/// One special procedure of a case: its kind, the day it started and, once over, the day it
/// ended. Shape in JSON: `{"kind":"hearing","startedOn":"2025-09-29","endedOn":"2025-10-09"}`.
///
/// Day rule (the same as a supplement request): `startedOn` itself still counts; the days
/// `startedOn + 1 … endedOn` are excluded; counting restarts on `endedOn + 1`.
public struct SpecialProcedurePeriod: Sendable, Hashable, Codable {
    /// The kind of procedure.
    public var kind: SpecialProcedureKind
    /// The day it started (SpecialProcedureStarted, in the region's time zone).
    public var startedOn: CivilDate
    /// The day it ended (SpecialProcedureEnded); `nil` while it is running.
    public var endedOn: CivilDate?

    public init(kind: SpecialProcedureKind, startedOn: CivilDate, endedOn: CivilDate? = nil) {
        self.kind = kind
        self.startedOn = startedOn
        self.endedOn = endedOn
    }

    /// The excluded days `startedOn + 1 … endedOn`; `nil` while running or when it ended on
    /// the day it started.
    public var excludedDays: ClosedRange<CivilDate>? {
        guard let end = endedOn, end > startedOn else { return nil }
        return startedOn.adding(days: 1)...end
    }
}
