/// What a department did in one period: the counts the efficiency index (效能指数) is computed from.
///
/// Counts are of cases (办件) unless named otherwise; "in the period" means accepted in it for `accepted`,
/// concluded in it for the conclusion counts, rated in it for the rating counts, and raised in it for cards.
public struct DepartmentPerformance: Sendable, Hashable, Codable {
    public var region: String
    public var departmentCode: String
    /// Cases accepted (受理).
    public var accepted: Int
    /// Cases concluded (办结): the denominator of the on-time and early rates.
    public var concluded: Int
    /// Concluded within the promised limit (按时办结), early ones included.
    public var concludedOnTime: Int
    /// Concluded before the promised limit (提前办结).
    public var concludedEarly: Int
    /// Service ratings (好差评) received.
    public var rated: Int
    /// Ratings of levels 1–3 (very satisfied, satisfied, basically satisfied).
    public var satisfied: Int
    /// Bad ratings (levels 4–5, 差评).
    public var badRatings: Int
    /// Bad ratings rectified (差评整改) within their limit.
    public var badRatingsRectifiedInTime: Int
    /// Yellow cards (黄牌) raised.
    public var yellowCards: Int
    /// Red cards (红牌) raised.
    public var redCards: Int

    public init(region: String, departmentCode: String, accepted: Int = 0, concluded: Int = 0, concludedOnTime: Int = 0,
                concludedEarly: Int = 0, rated: Int = 0, satisfied: Int = 0, badRatings: Int = 0, badRatingsRectifiedInTime: Int = 0,
                yellowCards: Int = 0, redCards: Int = 0) {
        self.region = region
        self.departmentCode = departmentCode
        self.accepted = accepted
        self.concluded = concluded
        self.concludedOnTime = concludedOnTime
        self.concludedEarly = concludedEarly
        self.rated = rated
        self.satisfied = satisfied
        self.badRatings = badRatings
        self.badRatingsRectifiedInTime = badRatingsRectifiedInTime
        self.yellowCards = yellowCards
        self.redCards = redCards
    }
}

/// The quarterly grade (季度等次) of a department.
public enum EfficiencyGrade: String, Sendable, Hashable, Codable, CaseIterable {
    /// 优秀.
    case excellent
    /// 良好.
    case good
    /// 合格.
    case pass
    /// 不合格.
    case fail
}

/// The efficiency index formula and the grade thresholds: configuration, with defaults a county can change
/// (no national standard fixes them; counties set their own 电子监察 assessment rules).
///
/// The index is a weighted mean of five rates, scaled to 0–100:
///
/// | component | rate | default weight |
/// | --- | --- | --- |
/// | on time | concluded on time ÷ concluded | 40 |
/// | early | concluded early ÷ concluded | 15 |
/// | satisfaction | ratings 1–3 ÷ ratings | 20 |
/// | rectification | bad ratings rectified in time ÷ bad ratings | 10 |
/// | card-free | 1 − min(1, (red cards + `yellowCardWeight` × yellow cards) ÷ accepted) | 15 |
///
/// A component whose denominator is zero (nothing concluded, nothing rated, no bad rating, nothing accepted)
/// is left out and the remaining weights are scaled up, so a department is neither rewarded nor punished for
/// what did not happen; with every component left out the index is `nil` and the department is not graded.
/// Grades: index ≥ `excellentFrom` excellent, ≥ `goodFrom` good, ≥ `passFrom` pass, else fail.
///
/// JSON shape (all members optional, defaults as above):
/// `{"onTimeWeight":40,"earlyWeight":15,"satisfactionWeight":20,"rectificationWeight":10,"cardFreeWeight":15,
///   "yellowCardWeight":0.5,"excellentFrom":90,"goodFrom":80,"passFrom":60}`.
public struct EfficiencyFormula: Sendable, Hashable, Codable {
    public var onTimeWeight: Double = 40
    public var earlyWeight: Double = 15
    public var satisfactionWeight: Double = 20
    public var rectificationWeight: Double = 10
    public var cardFreeWeight: Double = 15
    /// How much a yellow card counts against a red one in the card-free rate.
    public var yellowCardWeight: Double = 0.5
    /// Lowest index of an excellent grade.
    public var excellentFrom: Double = 90
    /// Lowest index of a good grade.
    public var goodFrom: Double = 80
    /// Lowest index of a pass grade.
    public var passFrom: Double = 60

    public init() {}

    enum CodingKeys: String, CodingKey {
        case onTimeWeight, earlyWeight, satisfactionWeight, rectificationWeight, cardFreeWeight, yellowCardWeight, excellentFrom, goodFrom, passFrom
    }

    /// Decodes a partial configuration: absent members keep their defaults.
    /// - Throws: `DecodingError` for a member of the wrong type, and when a weight is negative, no weight is
    ///   positive, or the grade thresholds are not `passFrom ≤ goodFrom ≤ excellentFrom`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var f = EfficiencyFormula()
        f.onTimeWeight = try c.decodeIfPresent(Double.self, forKey: .onTimeWeight) ?? f.onTimeWeight
        f.earlyWeight = try c.decodeIfPresent(Double.self, forKey: .earlyWeight) ?? f.earlyWeight
        f.satisfactionWeight = try c.decodeIfPresent(Double.self, forKey: .satisfactionWeight) ?? f.satisfactionWeight
        f.rectificationWeight = try c.decodeIfPresent(Double.self, forKey: .rectificationWeight) ?? f.rectificationWeight
        f.cardFreeWeight = try c.decodeIfPresent(Double.self, forKey: .cardFreeWeight) ?? f.cardFreeWeight
        f.yellowCardWeight = try c.decodeIfPresent(Double.self, forKey: .yellowCardWeight) ?? f.yellowCardWeight
        f.excellentFrom = try c.decodeIfPresent(Double.self, forKey: .excellentFrom) ?? f.excellentFrom
        f.goodFrom = try c.decodeIfPresent(Double.self, forKey: .goodFrom) ?? f.goodFrom
        f.passFrom = try c.decodeIfPresent(Double.self, forKey: .passFrom) ?? f.passFrom
        let weights = [f.onTimeWeight, f.earlyWeight, f.satisfactionWeight, f.rectificationWeight, f.cardFreeWeight, f.yellowCardWeight]
        guard weights.allSatisfy({ $0 >= 0 }), weights.dropLast().contains(where: { $0 > 0 }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "weights must be ≥ 0 and at least one rate weight > 0"))
        }
        guard f.passFrom <= f.goodFrom, f.goodFrom <= f.excellentFrom else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "grade thresholds must satisfy passFrom ≤ goodFrom ≤ excellentFrom"))
        }
        self = f
    }

    /// The index of `p`, 0–100 rounded to 2 decimals, or `nil` when no component applies.
    public func index(_ p: DepartmentPerformance) -> Double? {
        var components: [(weight: Double, rate: Double)] = []
        if p.concluded > 0 {
            components.append((onTimeWeight, Double(p.concludedOnTime) / Double(p.concluded)))
            components.append((earlyWeight, Double(p.concludedEarly) / Double(p.concluded)))
        }
        if p.rated > 0 { components.append((satisfactionWeight, Double(p.satisfied) / Double(p.rated))) }
        if p.badRatings > 0 { components.append((rectificationWeight, Double(p.badRatingsRectifiedInTime) / Double(p.badRatings))) }
        if p.accepted > 0 {
            let cards = Double(p.redCards) + yellowCardWeight * Double(p.yellowCards)
            components.append((cardFreeWeight, 1 - min(1, cards / Double(p.accepted))))
        }
        let total = components.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        let value = 100 * components.reduce(0) { $0 + $1.weight * $1.rate } / total
        return (value * 100).rounded() / 100
    }

    /// The grade of an index.
    public func grade(_ index: Double) -> EfficiencyGrade {
        if index >= excellentFrom { return .excellent }
        if index >= goodFrom { return .good }
        if index >= passFrom { return .pass }
        return .fail
    }

    /// Departments ranked by index (highest first; ties by on-time rate, then department code), with
    /// standard competition ranks (1, 2, 2, 4). Departments without an index come last, unranked.
    public func rank(_ performances: [DepartmentPerformance]) -> [RankedDepartment] {
        func onTimeRate(_ p: DepartmentPerformance) -> Double { p.concluded > 0 ? Double(p.concludedOnTime) / Double(p.concluded) : -1 }
        let scored = performances.map { (p: $0, index: index($0)) }.sorted { a, b in
            switch (a.index, b.index) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default:
                if onTimeRate(a.p) != onTimeRate(b.p) { return onTimeRate(a.p) > onTimeRate(b.p) }
                return (a.p.region, a.p.departmentCode) < (b.p.region, b.p.departmentCode)
            }
        }
        var out: [RankedDepartment] = []
        for (i, s) in scored.enumerated() {
            var rank: Int?
            if s.index != nil {
                if let previous = out.last, previous.index == s.index { rank = previous.rank } else { rank = i + 1 }
            }
            out.append(RankedDepartment(performance: s.p, index: s.index, rank: rank, grade: s.index.map(grade)))
        }
        return out
    }
}

/// One line of the ranking: the department's performance, index, rank and grade (`nil` when it had no index).
public struct RankedDepartment: Sendable, Hashable, Codable {
    public var performance: DepartmentPerformance
    public var index: Double?
    public var rank: Int?
    public var grade: EfficiencyGrade?
}
