import ChanceryDomain

/// The monthly circular (通报) on a region's departments: each department's cases, on-time rate, cards, urges,
/// letters answered late, ratings, efficiency index and grade, the ranking, and the overdue cases by name.
///
/// Figures equal the metrics API's (`GET /v1/metrics/cases?groupBy=department&period=month&from=M&to=M` for the
/// cases, ratings, cards and urges; `GET /v1/metrics/interactions?period=month` for the letters, here split by the
/// department holding each letter); the index and grade are ``EfficiencyFormula`` (the formula of
/// `/v1/metrics/ranking`) applied to the month's figures instead of a quarter's.
///
/// JSON shape (``ReportFormat/json``): `{"region","month":"YYYY-MM","formula":{…},"departments":[DepartmentLine],
/// "totals":DepartmentLine,"overdueCases":[OverdueCase],"notes":[…]}`.
public struct Circular: Sendable, Hashable, Codable {
    /// Division code.
    public var region: String
    /// The month reported on.
    public var month: CalendarMonth
    /// The efficiency formula that ranked the departments.
    public var formula: EfficiencyFormula
    /// One line per department with any figure in the month, in ranking order (unranked last).
    public var departments: [DepartmentLine]
    /// The region's totals (no index, rank or grade).
    public var totals: DepartmentLine
    /// Cases concluded late in the month, then cases still open at the month's end with a red card.
    public var overdueCases: [OverdueCase]
    /// Where the figures come from.
    public var notes: [ReportNote]
}

/// One department's month (rates are fractions rounded to 4 decimals, nil without a denominator).
public struct DepartmentLine: Sendable, Hashable, Codable {
    /// Department code (`total` for the totals line, empty for letters held by no department).
    public var departmentCode: String
    /// From the item catalogue (nil for a department without items, e.g. one holding letters only).
    public var departmentName: String?
    /// Cases accepted in the month (受理).
    public var accepted: Int
    /// Cases concluded in the month (办结).
    public var concluded: Int
    /// Concluded within the promised limit (按时办结), early ones included.
    public var concludedOnTime: Int
    /// Concluded before it (提前办结).
    public var concludedEarly: Int
    /// Concluded after it (超期办结).
    public var overdueConcluded: Int
    /// concludedOnTime ÷ concluded (按时办结率).
    public var onTimeRate: Double?
    /// Yellow (黄牌) and red cards (红牌) whose deadline falls in the month.
    public var yellowCards: Int
    public var redCards: Int
    /// Cases accepted in the month that were urged (督办), and of those the ones whose latest urge was missed (escalated).
    public var urged: Int
    public var urgesMissed: Int
    /// Mailbox letters received in the month held by the department, answered, and answered after their deadline.
    public var lettersAnswered: Int
    public var lettersAnsweredLate: Int
    /// Ratings (好差评) of the cases concluded in the month; satisfied = levels 1–3; bad = 4–5.
    public var rated: Int
    public var satisfied: Int
    public var satisfactionRate: Double?
    public var badRatings: Int
    public var badRatingsRectifiedInTime: Int
    /// Efficiency index (效能指数, 0–100), rank and grade (等次); nil when no component applies.
    public var index: Double?
    public var rank: Int?
    public var grade: EfficiencyGrade?

    /// A line of `departmentCode` with every count 0.
    public static func blank(_ departmentCode: String) -> DepartmentLine {
        DepartmentLine(departmentCode: departmentCode, accepted: 0, concluded: 0, concludedOnTime: 0, concludedEarly: 0, overdueConcluded: 0,
                       yellowCards: 0, redCards: 0, urged: 0, urgesMissed: 0, lettersAnswered: 0, lettersAnsweredLate: 0, rated: 0, satisfied: 0,
                       badRatings: 0, badRatingsRectifiedInTime: 0)
    }

    /// The counts the index is computed from.
    public var performance: DepartmentPerformance {
        DepartmentPerformance(region: "", departmentCode: departmentCode, accepted: accepted, concluded: concluded, concludedOnTime: concludedOnTime,
                              concludedEarly: concludedEarly, rated: rated, satisfied: satisfied, badRatings: badRatings,
                              badRatingsRectifiedInTime: badRatingsRectifiedInTime, yellowCards: yellowCards, redCards: redCards)
    }
}

/// A case named in the circular as overdue (超期).
public struct OverdueCase: Sendable, Hashable, Codable {
    /// The case's stream id.
    public var subject: String
    /// Case number (办件编号).
    public var caseNumber: String
    /// Department code (`total` for the totals line, empty for letters held by no department).
    public var departmentCode: String
    public var itemCode: String
    /// Item name from the catalogue.
    public var itemName: String?
    /// Day of acceptance.
    public var acceptedOn: CivilDate?
    /// The last day within the promised limit.
    public var deadline: CivilDate?
    /// Day concluded, nil when still open at the month's end.
    public var concludedOn: CivilDate?
    /// Working days used at conclusion (nil while open).
    public var workingDaysUsed: Int?
    /// Promised limit (承诺办结时限).
    public var promisedLimit: Int?
    /// `concluded-late` (concluded in the month after its deadline) or `open-overdue` (open at the month's end with a
    /// red card raised by then).
    public var state: String
}
