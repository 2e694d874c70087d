/// The statutory annual report on government information disclosure (政府信息公开工作年度报告) of one region and year, in
/// the national format in force since 2021 (国办公开办函〔2021〕30号). Figures are computed from the read models
/// (``AnnualReportBuilder``); what the events do not carry comes from the region's ``AnnualReportSupplement``;
/// a figure neither gives is `nil` (printed "—") and a note says why.
///
/// JSON shape (``ReportFormat/json``): `{"region","year","authority","overview","proactiveDisclosure":{…},
/// "requests":{"rows":[{"row":"new","values":{"natural-person":1,…,"total":1}},…]},"challenges":{…},
/// "problemsAndImprovements","otherMatters","notes":[{"code","zh","en"}]}`.
public struct AnnualReport: Sendable, Hashable, Codable {
    /// Division code (行政区划代码).
    public var region: String
    /// The calendar year reported on.
    public var year: Int
    /// The reporting organ (e.g. 珠晖区人民政府), from the supplement; nil when absent.
    public var authority: String?
    /// 一、总体情况 (text, from the supplement).
    public var overview: String?
    /// 二、主动公开政府信息情况.
    public var proactiveDisclosure: ProactiveDisclosure
    /// 三、收到和处理政府信息公开申请情况.
    public var requests: RequestTable
    /// 四、政府信息公开行政复议、行政诉讼情况.
    public var challenges: Challenges
    /// 五、存在的主要问题及改进情况 (text, from the supplement).
    public var problemsAndImprovements: String?
    /// 六、其他需要报告的事项 (text, from the supplement).
    public var otherMatters: String?
    /// Where figures come from and what could not be derived, in both languages.
    public var notes: [ReportNote]

    enum CodingKeys: String, CodingKey {
        case region, year, authority, overview, proactiveDisclosure, requests, challenges, problemsAndImprovements, otherMatters, notes
    }

    /// Absent texts are encoded as `null` (not left out), so every member of the format is always present.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(region, forKey: .region)
        try c.encode(year, forKey: .year)
        try c.encode(authority, forKey: .authority)
        try c.encode(overview, forKey: .overview)
        try c.encode(proactiveDisclosure, forKey: .proactiveDisclosure)
        try c.encode(requests, forKey: .requests)
        try c.encode(challenges, forKey: .challenges)
        try c.encode(problemsAndImprovements, forKey: .problemsAndImprovements)
        try c.encode(otherMatters, forKey: .otherMatters)
        try c.encode(notes, forKey: .notes)
    }
}

/// A note of a report (说明): a stable code and its text in both languages.
public struct ReportNote: Sendable, Hashable, Codable {
    /// Stable id, e.g. `supplement-absent`, `reason-not-derivable`.
    public var code: String
    /// The note in Chinese.
    public var zh: String
    /// The note in English.
    public var en: String

    /// A note with its stable code and both texts.
    public init(code: String, zh: String, en: String) {
        self.code = code
        self.zh = zh
        self.en = en
    }

    /// The note in `language`.
    public func text(_ language: ReportLanguage) -> String { language == .chinese ? zh : en }
}

/// Section 二 (主动公开政府信息情况): the figures of articles 20(1), 20(5), 20(6) and 20(8) of the regulation.
public struct ProactiveDisclosure: Sendable, Hashable, Codable {
    /// Documents issued, repealed and in force this year (本年制发件数, 本年废止件数, 现行有效件数).
    public struct DocumentCounts: Sendable, Hashable, Codable {
        /// 本年制发件数; nil when unknown.
        public var issued: Int?
        /// 本年废止件数; nil when unknown.
        public var repealed: Int?
        /// 现行有效件数; nil when unknown.
        public var inForce: Int?

        /// Counts, nil for unknown.
        public init(issued: Int? = nil, repealed: Int? = nil, inForce: Int? = nil) {
            self.issued = issued
            self.repealed = repealed
            self.inForce = inForce
        }

        enum CodingKeys: String, CodingKey { case issued, repealed, inForce }
        /// Unknown counts are encoded as `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(issued, forKey: .issued)
            try c.encode(repealed, forKey: .repealed)
            try c.encode(inForce, forKey: .inForce)
        }
    }
    /// 规章 (article 20(1)).
    public var regulations: DocumentCounts
    /// 行政规范性文件 (article 20(1)).
    public var normativeDocuments: DocumentCounts
    /// 行政许可 本年处理决定数量 (article 20(5)).
    public var licensingDecisions: Int?
    /// 行政处罚 本年处理决定数量 (article 20(6)).
    public var punishmentDecisions: Int?
    /// 行政强制 本年处理决定数量 (article 20(6)).
    public var coercionDecisions: Int?
    /// 行政事业性收费 本年收费金额, in units of 10,000 yuan (万元) (article 20(8)).
    public var feesCollected: Double?

    enum CodingKeys: String, CodingKey {
        case regulations, normativeDocuments, licensingDecisions, punishmentDecisions, coercionDecisions, feesCollected
    }
    /// Unknown figures are encoded as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(regulations, forKey: .regulations)
        try c.encode(normativeDocuments, forKey: .normativeDocuments)
        try c.encode(licensingDecisions, forKey: .licensingDecisions)
        try c.encode(punishmentDecisions, forKey: .punishmentDecisions)
        try c.encode(coercionDecisions, forKey: .coercionDecisions)
        try c.encode(feesCollected, forKey: .feesCollected)
    }
}

/// Table 三: one figure per row and applicant column. A cell is never unknown: every request has an applicant and a
/// state; a reply whose statutory reason cannot be derived counts in (七) 总计 only (and a note says so).
public struct RequestTable: Sendable, Hashable, Codable {
    /// One row of figures: column id → count.
    public struct Line: Sendable, Hashable, Codable {
        /// The row of the format.
        public var row: RequestRow
        /// Applicant column id (``ApplicantColumn/id``) → count.
        public var values: [String: Int]

        enum CodingKeys: String, CodingKey { case row, values }
        /// A row of figures.
        public init(row: RequestRow, values: [String: Int]) {
            self.row = row
            self.values = values
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let id = try c.decode(String.self, forKey: .row)
            guard let row = RequestRow.all.first(where: { $0.id == id }) else {
                throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "unknown row \(id)"))
            }
            self.row = row
            values = try c.decode([String: Int].self, forKey: .values)
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(row.id, forKey: .row)
            try c.encode(values, forKey: .values)
        }
    }
    /// Every row of ``RequestRow/all``, in order.
    public var rows: [Line]

    /// The figure of `row` in `column` (0 when absent).
    public func value(_ row: RequestRow, _ column: ApplicantColumn) -> Int {
        rows.first { $0.row == row }?.values[column.id] ?? 0
    }
}

/// Section 四: administrative reconsideration (行政复议) and litigation (行政诉讼) over disclosure replies.
public struct Challenges: Sendable, Hashable, Codable {
    /// 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
    public struct Outcomes: Sendable, Hashable, Codable {
        /// 结果维持.
        public var upheld: Int
        /// 结果纠正.
        public var corrected: Int
        /// 其他结果.
        public var other: Int
        /// 尚未审结 (undecided at the year's end).
        public var pending: Int
        /// 总计: the sum of the four.
        public var total: Int { upheld + corrected + other + pending }

        /// Counts by outcome.
        public init(upheld: Int = 0, corrected: Int = 0, other: Int = 0, pending: Int = 0) {
            self.upheld = upheld
            self.corrected = corrected
            self.other = other
            self.pending = pending
        }

        enum CodingKeys: String, CodingKey { case upheld, corrected, other, pending, total }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(upheld: try c.decode(Int.self, forKey: .upheld), corrected: try c.decode(Int.self, forKey: .corrected),
                      other: try c.decode(Int.self, forKey: .other), pending: try c.decode(Int.self, forKey: .pending))
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(upheld, forKey: .upheld)
            try c.encode(corrected, forKey: .corrected)
            try c.encode(other, forKey: .other)
            try c.encode(pending, forKey: .pending)
            try c.encode(total, forKey: .total)
        }
        /// In the format's order: upheld, corrected, other, pending, total.
        public var figures: [Int] { [upheld, corrected, other, pending, total] }
    }
    /// 行政复议.
    public var reconsideration: Outcomes
    /// 行政诉讼 — 未经复议直接起诉.
    public var litigationDirect: Outcomes
    /// 行政诉讼 — 复议后起诉.
    public var litigationAfterReconsideration: Outcomes

    /// The three groups of section 四.
    public init(reconsideration: Outcomes = .init(), litigationDirect: Outcomes = .init(), litigationAfterReconsideration: Outcomes = .init()) {
        self.reconsideration = reconsideration
        self.litigationDirect = litigationDirect
        self.litigationAfterReconsideration = litigationAfterReconsideration
    }
}
