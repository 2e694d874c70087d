import Foundation

/// When a yellow card (黄牌) is due on a running limit. Each condition that is set can raise
/// it; whichever is met first wins ("yellow at 80% of the limit used or two working days
/// left"). A condition left out (`null` / missing) is off; with both off, no yellow card.
///
/// JSON: `{"fractionUsed": 0.8, "daysLeft": 2}`.
public struct YellowThreshold: Sendable, Hashable, Codable {
    /// Yellow once `used ≥ fractionUsed × limit` (used and limit in the limit's unit), in (0, 1].
    public var fractionUsed: Double?
    /// Yellow once `limit − used ≤ daysLeft`, in the limit's unit (working days unless the
    /// promise is in calendar days); ≥ 0. With a limit no larger than `daysLeft` the card is
    /// due from the acceptance day on.
    public var daysLeft: Int?

    public init(fractionUsed: Double? = nil, daysLeft: Int? = nil) {
        self.fractionUsed = fractionUsed
        self.daysLeft = daysLeft
    }

    /// 80 % used or 2 days left.
    public static let standard = YellowThreshold(fractionUsed: 0.8, daysLeft: 2)
}

/// Limits of the handling steps, each in working days counted on the case's clock (pauses
/// excluded) from the day the step started: handling from acceptance, review from the day
/// handling was completed, decision from the day review was completed. A step left out has
/// no limit of its own. JSON: `{"handling": 3, "review": 2, "decision": 1}`.
public struct StepLimits: Sendable, Hashable, Codable {
    /// Handling (承办), in working days.
    public var handling: WorkingDays?
    /// Review (审核), in working days.
    public var review: WorkingDays?
    /// Decision (审批), in working days.
    public var decision: WorkingDays?

    public init(handling: WorkingDays? = nil, review: WorkingDays? = nil, decision: WorkingDays? = nil) {
        self.handling = handling
        self.review = review
        self.decision = decision
    }

    /// The limit of `step`, if any.
    public subscript(step: CaseStep) -> WorkingDays? {
        switch step {
        case .handling: handling
        case .review: review
        case .decision: decision
        }
    }
}

/// One level of the policy: the default, a case type's, or an item's. A field left out
/// inherits from the level below (item → case type → default).
public struct SupervisionRule: Sendable, Hashable, Codable {
    /// When the yellow card is due; replaces the inherited threshold as a whole.
    public var yellow: YellowThreshold?
    /// Step limits; replace the inherited step limits as a whole.
    public var stepLimits: StepLimits?

    public init(yellow: YellowThreshold? = nil, stepLimits: StepLimits? = nil) {
        self.yellow = yellow
        self.stepLimits = stepLimits
    }
}

/// The card thresholds of electronic supervision (电子监察), per item and case type
/// (GLOSSARY.md "yellow card / red card"). Configuration, loaded from a JSON file:
///
/// ```json
/// {
///   "default":   {"yellow": {"fractionUsed": 0.8, "daysLeft": 2}},
///   "caseTypes": {"joint": {"yellow": {"daysLeft": 3}}},
///   "items":     {"430424-XK-001": {"yellow": {"fractionUsed": 0.5}, "stepLimits": {"review": 2}}},
///   "urgeLimit": 5
/// }
/// ```
///
/// Resolution, per field: the item's rule, else the case type's, else the default. The
/// default's missing yellow threshold means ``YellowThreshold/standard`` (80 % used or two
/// days left); missing step limits mean none. Red cards need no threshold: a passed limit, a
/// passed step limit or an irregularity is always red. `urgeLimit` (working days, default
/// ``defaultUrgeLimit``) is the deadline of an urge (督办) that names none.
public struct SupervisionPolicy: Sendable, Hashable, Codable {
    /// The rule for every case.
    public var defaultRule: SupervisionRule
    /// Overrides by case type (`caseType` of CaseAccepted).
    public var caseTypes: [CaseType: SupervisionRule]
    /// Overrides by item code (事项编码).
    public var items: [String: SupervisionRule]
    /// Working days an urge (督办, CaseUrged / LetterUrged) without its own `deadline` gives the department:
    /// the deadline is the `urgeLimit`-th working day after the urge day (``Urge/init(urgedOn:limit:calendar:)``).
    public var urgeLimit: WorkingDays

    /// Five working days: no national rule fixes the time to answer an urge; local supervision rules
    /// commonly ask for feedback within three to five working days (督办件反馈), and the longer figure is the
    /// default. Replace it with the region's own rule.
    public static let defaultUrgeLimit = WorkingDays(5)

    public init(defaultRule: SupervisionRule = SupervisionRule(), caseTypes: [CaseType: SupervisionRule] = [:], items: [String: SupervisionRule] = [:],
                urgeLimit: WorkingDays = SupervisionPolicy.defaultUrgeLimit) {
        self.defaultRule = defaultRule
        self.caseTypes = caseTypes
        self.items = items
        self.urgeLimit = urgeLimit
    }

    /// The standard policy: yellow at 80 % used or two days left, no step limits, urges without a deadline
    /// get five working days.
    public static let standard = SupervisionPolicy()

    /// The yellow threshold for a case of `itemCode` and `caseType`.
    public func yellowThreshold(itemCode: String?, caseType: CaseType?) -> YellowThreshold {
        resolve(itemCode, caseType, \.yellow) ?? .standard
    }

    /// The step limits for a case of `itemCode` and `caseType`.
    public func stepLimits(itemCode: String?, caseType: CaseType?) -> StepLimits {
        resolve(itemCode, caseType, \.stepLimits) ?? StepLimits()
    }

    private func resolve<T>(_ itemCode: String?, _ caseType: CaseType?, _ field: KeyPath<SupervisionRule, T?>) -> T? {
        if let code = itemCode, let v = items[code]?[keyPath: field] { return v }
        if let type = caseType, let v = caseTypes[type]?[keyPath: field] { return v }
        return defaultRule[keyPath: field]
    }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey { case defaultRule = "default", caseTypes, items, urgeLimit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        defaultRule = try c.decodeIfPresent(SupervisionRule.self, forKey: .defaultRule) ?? SupervisionRule()
        var types: [CaseType: SupervisionRule] = [:]
        for (key, rule) in try c.decodeIfPresent([String: SupervisionRule].self, forKey: .caseTypes) ?? [:] {
            guard let type = CaseType(rawValue: key) else {
                throw DecodingError.dataCorruptedError(forKey: .caseTypes, in: c, debugDescription: "unknown case type '\(key)'")
            }
            types[type] = rule
        }
        caseTypes = types
        items = try c.decodeIfPresent([String: SupervisionRule].self, forKey: .items) ?? [:]
        urgeLimit = try c.decodeIfPresent(WorkingDays.self, forKey: .urgeLimit) ?? Self.defaultUrgeLimit
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(defaultRule, forKey: .defaultRule)
        try c.encode(Dictionary(uniqueKeysWithValues: caseTypes.map { ($0.key.rawValue, $0.value) }), forKey: .caseTypes)
        try c.encode(items, forKey: .items)
        try c.encode(urgeLimit, forKey: .urgeLimit)
    }

    /// Parses and checks a policy file: `fractionUsed` in (0, 1], `daysLeft` ≥ 0, step limits and `urgeLimit` ≥ 1.
    ///
    /// - Throws: ``ConfigurationError/malformed(_:)`` naming the offending rule.
    public static func decode(_ data: Data, origin: String = "supervision policy") throws(ConfigurationError) -> SupervisionPolicy {
        let policy = try ConfigurationError.decodeJSON(SupervisionPolicy.self, from: data, origin: origin)
        if policy.urgeLimit.count < 1 { throw .malformed("\(origin): urgeLimit must be at least 1 working day, not \(policy.urgeLimit.count)") }
        var rules: [(String, SupervisionRule)] = [("default", policy.defaultRule)]
        rules += policy.caseTypes.map { ("caseTypes.\($0.key.rawValue)", $0.value) }
        rules += policy.items.map { ("items.\($0.key)", $0.value) }
        for (name, rule) in rules {
            if let f = rule.yellow?.fractionUsed, !(f > 0 && f <= 1) {
                throw .malformed("\(origin): \(name).yellow.fractionUsed must be in (0, 1], not \(f)")
            }
            if let d = rule.yellow?.daysLeft, d < 0 {
                throw .malformed("\(origin): \(name).yellow.daysLeft must be ≥ 0, not \(d)")
            }
            for step in CaseStep.allCases {
                if let l = rule.stepLimits?[step], l.count < 1 {
                    throw .malformed("\(origin): \(name).stepLimits.\(step.rawValue) must be at least 1 working day")
                }
            }
        }
        return policy
    }

    /// Reads and checks a policy file (see ``decode(_:origin:)``).
    ///
    /// - Throws: ``ConfigurationError/unreadable(path:reason:)`` or ``ConfigurationError/malformed(_:)``.
    public static func load(contentsOf url: URL) throws(ConfigurationError) -> SupervisionPolicy {
        try decode(try ConfigurationError.read(url), origin: url.lastPathComponent)
    }
}
