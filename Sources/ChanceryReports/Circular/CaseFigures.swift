import ChanceryDomain

/// The case figures of one department and month as `/v1/metrics/cases` answers them (``MetricsQueries``), restricted to
/// the columns of the circular; other members of the row are ignored.
struct CaseFigures: Decodable {
    var departmentCode: String
    var accepted, concluded, concludedOnTime, concludedEarly, overdueConcluded: Int
    var urged, urgesMissed, rated, satisfied, badRatings, badRatingsRectifiedInTime, yellowCards, redCards: Int

    /// The sum over `lines` (the totals line): every count added up, the rates computed from the sums.
    static func sum(_ lines: some Sequence<DepartmentLine>) -> CaseFigures {
        var s = CaseFigures(departmentCode: "", accepted: 0, concluded: 0, concludedOnTime: 0, concludedEarly: 0, overdueConcluded: 0, urged: 0,
                            urgesMissed: 0, rated: 0, satisfied: 0, badRatings: 0, badRatingsRectifiedInTime: 0, yellowCards: 0, redCards: 0)
        for l in lines {
            s.accepted += l.accepted; s.concluded += l.concluded; s.concludedOnTime += l.concludedOnTime; s.concludedEarly += l.concludedEarly
            s.overdueConcluded += l.overdueConcluded; s.urged += l.urged; s.urgesMissed += l.urgesMissed; s.rated += l.rated
            s.satisfied += l.satisfied; s.badRatings += l.badRatings; s.badRatingsRectifiedInTime += l.badRatingsRectifiedInTime
            s.yellowCards += l.yellowCards; s.redCards += l.redCards
        }
        return s
    }

    /// Sets the case columns of `line`; the on-time and satisfaction rates as the API rounds them (4 decimals).
    func copy(into line: inout DepartmentLine) {
        line.accepted = accepted; line.concluded = concluded; line.concludedOnTime = concludedOnTime; line.concludedEarly = concludedEarly
        line.overdueConcluded = overdueConcluded; line.urged = urged; line.urgesMissed = urgesMissed; line.rated = rated
        line.satisfied = satisfied; line.badRatings = badRatings; line.badRatingsRectifiedInTime = badRatingsRectifiedInTime
        line.yellowCards = yellowCards; line.redCards = redCards
        line.onTimeRate = Self.rate(concludedOnTime, of: concluded)
        line.satisfactionRate = Self.rate(satisfied, of: rated)
    }

    /// `part ÷ whole` rounded to 4 decimals; nil when `whole` is 0.
    static func rate(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : (Double(part) / Double(whole) * 10_000).rounded() / 10_000
    }
}
