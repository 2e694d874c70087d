/// The layout of table 三 of the annual report (收到和处理政府信息公开申请情况), exactly as the national format in force
/// since 2021 prints it (国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》): applicant columns and
/// result rows, with their Chinese labels and an English translation.

/// A column of table 三: who applied (申请人情况).
public struct ApplicantColumn: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Stable id, used as the JSON key: `natural-person`, `commercial-enterprise`, `research-institution`,
    /// `social-welfare-organisation`, `legal-service-agency`, `other-organisation`, `total`.
    public let id: String
    /// The label in Chinese, exactly as the format prints it.
    public let zh: String
    /// The label in English.
    public let en: String
    /// Whether it is one of the five columns under 法人或其他组织.
    public let isOrganisation: Bool

    public var description: String { "\(zh) (\(id))" }

    /// 自然人.
    public static let naturalPerson = ApplicantColumn(id: "natural-person", zh: "自然人", en: "Natural persons", isOrganisation: false)
    /// 法人或其他组织 — 商业企业.
    public static let commercialEnterprise = ApplicantColumn(id: "commercial-enterprise", zh: "商业企业", en: "Commercial enterprises", isOrganisation: true)
    /// 法人或其他组织 — 科研机构.
    public static let researchInstitution = ApplicantColumn(id: "research-institution", zh: "科研机构", en: "Research institutions", isOrganisation: true)
    /// 法人或其他组织 — 社会公益组织.
    public static let socialWelfareOrganisation = ApplicantColumn(id: "social-welfare-organisation", zh: "社会公益组织", en: "Social welfare organisations",
                                                                  isOrganisation: true)
    /// 法人或其他组织 — 法律服务机构.
    public static let legalServiceAgency = ApplicantColumn(id: "legal-service-agency", zh: "法律服务机构", en: "Legal service agencies", isOrganisation: true)
    /// 法人或其他组织 — 其他.
    public static let otherOrganisation = ApplicantColumn(id: "other-organisation", zh: "其他", en: "Others", isOrganisation: true)
    /// 总计.
    public static let total = ApplicantColumn(id: "total", zh: "总计", en: "Total", isOrganisation: false)

    /// The seven columns in the format's order.
    public static let all: [ApplicantColumn] = [naturalPerson, commercialEnterprise, researchInstitution, socialWelfareOrganisation,
                                                legalServiceAgency, otherOrganisation, total]
    /// The five organisation columns (法人或其他组织).
    public static let organisations = all.filter(\.isOrganisation)

    /// The column of an organisation kind as the supplement names it (`commercial-enterprise` …), nil for another id.
    public static func organisation(_ id: String) -> ApplicantColumn? { organisations.first { $0.id == id } }

    /// The label in `language`.
    public func label(_ language: ReportLanguage) -> String { language == .chinese ? zh : en }
}

/// A group of result rows of table 三: (三) 不予公开, (四) 无法提供, (五) 不予处理, (六) 其他处理.
public struct RequestRowGroup: Sendable, Hashable {
    /// The reply outcome of the event `DisclosureRequestAnswered` (`withheld`, `cannot-provide`, `not-processed`, `other`).
    public let outcome: String
    /// The label in Chinese, exactly as the format prints it.
    public let zh: String
    /// The label in English.
    public let en: String
}

/// A row of table 三.
public struct RequestRow: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Stable id, used as the JSON key: `new`, `carried-over`, `disclosed`, `partially-disclosed`,
    /// `<outcome>.<reasonCode>` for a statutory reason (e.g. `withheld.state-secret`), `handled-total`, `carried-forward`.
    public let id: String
    /// The label in Chinese, exactly as the format prints it.
    public let zh: String
    /// The label in English.
    public let en: String
    /// The group the row belongs to (its left-hand label in the printed table), nil for a row of its own.
    public let group: RequestRowGroup?

    public var description: String { (group.map { $0.zh + " " } ?? "") + zh + " (\(id))" }

    enum CodingKeys: String, CodingKey { case id }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
    }
    public init(from decoder: any Decoder) throws {
        let id = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .id)
        guard let row = RequestRow.all.first(where: { $0.id == id }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown row \(id)"))
        }
        self = row
    }

    init(id: String, zh: String, en: String, group: RequestRowGroup? = nil) {
        self.id = id
        self.zh = zh
        self.en = en
        self.group = group
    }

    /// The label in `language`.
    public func label(_ language: ReportLanguage) -> String { language == .chinese ? zh : en }

    /// （三）不予公开 and its 8 reasons.
    public static let withheldGroup = RequestRowGroup(outcome: "withheld", zh: "（三）不予公开", en: "(3) Withheld")
    /// （四）无法提供 and its 3 reasons.
    public static let cannotProvideGroup = RequestRowGroup(outcome: "cannot-provide", zh: "（四）无法提供", en: "(4) Cannot be provided")
    /// （五）不予处理 and its 5 reasons.
    public static let notProcessedGroup = RequestRowGroup(outcome: "not-processed", zh: "（五）不予处理", en: "(5) Not processed")
    /// （六）其他处理 and its 3 reasons.
    public static let otherGroup = RequestRowGroup(outcome: "other", zh: "（六）其他处理", en: "(6) Otherwise handled")

    /// 一、本年新收政府信息公开申请数量.
    public static let new = RequestRow(id: "new", zh: "一、本年新收政府信息公开申请数量", en: "I. New requests received this year")
    /// 二、上年结转政府信息公开申请数量.
    public static let carriedOver = RequestRow(id: "carried-over", zh: "二、上年结转政府信息公开申请数量", en: "II. Requests carried over from the previous year")
    /// The heading row 三 (no figures of its own).
    public static let resultsHeadingZh = "三、本年度办理结果"
    /// The heading row 三 in English.
    public static let resultsHeadingEn = "III. Results of handling this year"
    /// （一）予以公开.
    public static let disclosed = RequestRow(id: "disclosed", zh: "（一）予以公开", en: "(1) Disclosed")
    /// （二）部分公开 (whatever the reason).
    public static let partiallyDisclosed = RequestRow(id: "partially-disclosed", zh: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                                                      en: "(2) Partially disclosed (a request handled by separating parts counts here only, in no other row)")
    /// The 8 reasons of （三）不予公开, ids `withheld.<reasonCode>`.
    public static let withheldReasons: [RequestRow] = [
        ("state-secret", "1.属于国家秘密", "1. State secret"),
        ("prohibited-by-law", "2.其他法律行政法规禁止公开", "2. Disclosure prohibited by other laws and administrative regulations"),
        ("endangers-security-stability", "3.危及“三安全一稳定”", "3. Would endanger national, public, economic security or social stability"),
        ("third-party-rights", "4.保护第三方合法权益", "4. Protection of a third party's lawful rights and interests"),
        ("internal-affairs", "5.属于三类内部事务信息", "5. Internal affairs information (three kinds)"),
        ("process-information", "6.属于四类过程性信息", "6. Process information (four kinds)"),
        ("law-enforcement-files", "7.属于行政执法案卷", "7. Administrative law-enforcement files"),
        ("administrative-inquiry", "8.属于行政查询事项", "8. Administrative inquiry matters"),
    ].map { RequestRow(id: "withheld.\($0.0)", zh: $0.1, en: $0.2, group: withheldGroup) }
    /// The 3 reasons of （四）无法提供, ids `cannot-provide.<reasonCode>`.
    public static let cannotProvideReasons: [RequestRow] = [
        ("not-held", "1.本机关不掌握相关政府信息", "1. This organ does not hold the information"),
        ("would-need-creation", "2.没有现成信息需要另行制作", "2. No existing information; it would have to be created"),
        ("unclear-after-supplement", "3.补正后申请内容仍不明确", "3. Still unclear after correction"),
    ].map { RequestRow(id: "cannot-provide.\($0.0)", zh: $0.1, en: $0.2, group: cannotProvideGroup) }
    /// The 5 reasons of （五）不予处理, ids `not-processed.<reasonCode>`.
    public static let notProcessedReasons: [RequestRow] = [
        ("petition-complaint", "1.信访举报投诉类申请", "1. Petitions, reports and complaints"),
        ("repeated-request", "2.重复申请", "2. Repeated request"),
        ("publications", "3.要求提供公开出版物", "3. Request for public publications"),
        ("excessive-requests", "4.无正当理由大量反复申请", "4. Numerous repeated requests without justification"),
        ("confirmation-request", "5.要求行政机关确认或重新出具已获取信息", "5. Request to confirm or reissue information already obtained"),
    ].map { RequestRow(id: "not-processed.\($0.0)", zh: $0.1, en: $0.2, group: notProcessedGroup) }
    /// The 3 reasons of （六）其他处理, ids `other.<reasonCode>`.
    public static let otherReasons: [RequestRow] = [
        ("not-supplemented", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "1. The applicant did not correct the request in time without justification; the organ no longer handles it"),
        ("fee-unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
         "2. The applicant did not pay the fee notified in time; the organ no longer handles the request"),
        ("other", "3.其他", "3. Other"),
    ].map { RequestRow(id: "other.\($0.0)", zh: $0.1, en: $0.2, group: otherGroup) }
    /// （七）总计: every reply of the year.
    public static let handledTotal = RequestRow(id: "handled-total", zh: "（七）总计", en: "(7) Total")
    /// 四、结转下年度继续办理.
    public static let carriedForward = RequestRow(id: "carried-forward", zh: "四、结转下年度继续办理", en: "IV. Carried forward to next year")

    /// The result rows (三), in the format's order, (七) 总计 last.
    public static let results: [RequestRow] = [disclosed, partiallyDisclosed] + withheldReasons + cannotProvideReasons + notProcessedReasons
        + otherReasons + [handledTotal]
    /// Every row with figures, in the format's order.
    public static let all: [RequestRow] = [new, carriedOver] + results + [carriedForward]

    /// The row of a reply outcome and statutory reason code (`DisclosureRequestAnswered`'s `outcome` and `reasonCode`):
    /// `disclosed` and `partially-disclosed` have their own rows whatever the reason; the other outcomes need a reason
    /// of their group; nil when the reason is absent or not of the outcome's group (then no row can be derived).
    public static func result(outcome: String, reasonCode: String?) -> RequestRow? {
        switch outcome {
        case "disclosed": return disclosed
        case "partially-disclosed": return partiallyDisclosed
        default:
            guard let reasonCode else { return nil }
            return all.first { $0.id == "\(outcome).\(reasonCode)" }
        }
    }
}
