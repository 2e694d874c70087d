import ChanceryDomain

/// What the events say about one disclosure request (依申请公开), as table 三 needs it.
public struct DisclosureRequestFact: Sendable, Hashable {
    /// Stream id, `request/<region>/<number>`.
    public var subject: String
    /// `DisclosureRequestReceived.requesterKind`: `citizen`, `legal-person` or `other`.
    public var requesterKind: String
    /// Day of receipt in the region's time zone.
    public var receivedOn: CivilDate
    /// Day of the reply (`DisclosureRequestAnswered`) in the region's time zone; nil while unanswered.
    public var answeredOn: CivilDate?
    /// `DisclosureRequestAnswered.outcome`.
    public var outcome: String?
    /// `DisclosureRequestAnswered.reasonCode`, when sent.
    public var reasonCode: String?

    /// The facts of one request.
    public init(subject: String, requesterKind: String, receivedOn: CivilDate, answeredOn: CivilDate? = nil, outcome: String? = nil,
                reasonCode: String? = nil) {
        self.subject = subject
        self.requesterKind = requesterKind
        self.receivedOn = receivedOn
        self.answeredOn = answeredOn
        self.outcome = outcome
        self.reasonCode = reasonCode
    }
}

/// Table 三 from the requests' facts (pure).
///
/// Rules (the format's rows; days in the region's time zone):
/// - 一 new: received in the year.
/// - 二 carried over: received before the year, not answered before it.
/// - 三 results: answered in the year — (一) disclosed, (二) partially disclosed (whatever the reason), the reasons of
///   (三)–(六) from the reply's `reasonCode`; a reply of those outcomes without a reason code counts in (七) only.
/// - 四 carried forward: received by the year's end, not answered by it.
/// - Columns: `citizen` → 自然人; `legal-person` and `other` are organisations, whose kind (商业企业, 科研机构, 社会公益组织,
///   法律服务机构, 其他) the events do not carry: it comes from the supplement's `organisationKinds` by subject, else the
///   request counts under 其他 and a note says how many.
/// - Identity (the format's rule for every column): 一 + 二 = 三(七) + 四; data breaking it are refused.
public struct RequestTally: Sendable {
    /// The table.
    public var table: RequestTable
    /// Notes about what could not be derived.
    public var notes: [ReportNote]

    /// - Parameters:
    ///   - facts: every request of the region received or answered by the year's end (others count nowhere).
    ///   - organisationKinds: subject → organisation column id, from the supplement.
    /// - Throws: ``ReportError/identityBroken(column:row:detail:)`` naming the column and the row when the figures do
    ///   not satisfy 一 + 二 = 三(七) + 四 (a reply dated before its receipt, across the year's boundary).
    public init(year: Int, facts: [DisclosureRequestFact], organisationKinds: [String: String] = [:]) throws {
        let first = CivilDate(year: year, month: 1, day: 1), last = CivilDate(year: year, month: 12, day: 31)
        var counts: [RequestRow: [ApplicantColumn: Int]] = [:]
        func add(_ row: RequestRow, _ column: ApplicantColumn) {
            counts[row, default: [:]][column, default: 0] += 1
            counts[row, default: [:]][.total, default: 0] += 1
        }
        var unclassifiedOrganisations = 0
        var missingReasons: [String: Int] = [:]
        for f in facts {
            let column: ApplicantColumn
            if f.requesterKind == "citizen" {
                column = .naturalPerson
            } else if let kind = organisationKinds[f.subject], let c = ApplicantColumn.organisation(kind) {
                column = c
            } else {
                column = .otherOrganisation
                if f.receivedOn <= last && (f.answeredOn == nil || f.answeredOn! >= first) { unclassifiedOrganisations += 1 }
            }
            if f.receivedOn >= first && f.receivedOn <= last { add(.new, column) }
            if f.receivedOn < first && (f.answeredOn == nil || f.answeredOn! >= first) { add(.carriedOver, column) }
            if let answered = f.answeredOn, answered >= first, answered <= last {
                add(.handledTotal, column)
                if let outcome = f.outcome, let row = RequestRow.result(outcome: outcome, reasonCode: f.reasonCode) {
                    add(row, column)
                } else {
                    missingReasons[f.outcome ?? "none", default: 0] += 1
                }
            }
            if f.receivedOn <= last && (f.answeredOn == nil || f.answeredOn! > last) { add(.carriedForward, column) }
        }
        table = RequestTable(rows: RequestRow.all.map { row in
            RequestTable.Line(row: row, values: Dictionary(uniqueKeysWithValues: ApplicantColumn.all.map { ($0.id, counts[row]?[$0] ?? 0) }))
        })
        try Self.checkIdentity(table)
        notes = []
        if unclassifiedOrganisations > 0 {
            notes.append(ReportNote(
                code: "organisation-kind-not-derivable",
                zh: "事件只区分自然人、法人和其他组织，不区分商业企业、科研机构、社会公益组织和法律服务机构；补充材料未指明类别的\(unclassifiedOrganisations)件法人或其他组织的申请计入“其他”列。",
                en: "The events distinguish natural persons, legal persons and other organisations only, not commercial enterprises, research institutions, social welfare organisations or legal service agencies; \(unclassifiedOrganisations) request(s) from organisations whose kind the supplement does not give are counted under “Others”."))
        }
        for (outcome, n) in missingReasons.sorted(by: { $0.key < $1.key }) {
            notes.append(ReportNote(
                code: "reason-not-derivable",
                zh: "\(n)件答复（办理结果 \(outcome)）未载明法定理由代码（reasonCode），无法归入具体情形，只计入“（七）总计”。",
                en: "\(n) repl(ies) with outcome \(outcome) carry no statutory reason code (reasonCode) and cannot be placed in a row; they count in “(7) Total” only."))
        }
    }

    /// Checks 一 + 二 = 三(七) + 四 in every column.
    /// - Throws: ``ReportError/identityBroken(column:row:detail:)`` for the first column that breaks it.
    public static func checkIdentity(_ table: RequestTable) throws {
        for column in ApplicantColumn.all {
            let new = table.value(.new, column), carried = table.value(.carriedOver, column)
            let handled = table.value(.handledTotal, column), forward = table.value(.carriedForward, column)
            guard new + carried == handled + forward else {
                throw ReportError.identityBroken(
                    column: column.description, row: RequestRow.handledTotal.description,
                    detail: "一 \(RequestRow.new.zh) \(new) + 二 \(RequestRow.carriedOver.zh) \(carried) = \(new + carried), but 三 \(RequestRow.handledTotal.zh) \(handled) + 四 \(RequestRow.carriedForward.zh) \(forward) = \(handled + forward)")
            }
        }
    }
}
