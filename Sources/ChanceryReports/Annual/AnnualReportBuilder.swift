import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Computes the annual report of a region and year from the read models (``AnnualReport``).
///
/// Sources: table 三 from `disclosure.requests` and the `reasonCode` of each reply in `audit.events`; section 四 from
/// the reconsideration and litigation events in `audit.events`; 行政许可 decisions from `approval.cases`
/// (CaseDecided dated in the year, items of kind `licensing`) when the region has cases in Chancery; everything else
/// from the supplement. Days are counted in the region's time zone.
public struct AnnualReportBuilder: Sendable {
    let database: PostgresClient

    /// A builder over the read models of `database`.
    public init(database: PostgresClient) {
        self.database = database
    }

    /// - Throws: ``ReportError/noData(_:)`` when the region has no disclosure request, document or case at all;
    ///   ``ReportError/identityBroken(column:row:detail:)`` when the data break table 三's identity;
    ///   ``ReportError/invalidSupplement(_:)`` when the supplement is of another region or year; database errors.
    public func build(region: String, year: Int, supplement: AnnualReportSupplement?) async throws -> AnnualReport {
        try supplement?.check(region: region, year: year, name: "the supplement")
        let zone = RegionCalendars.shared.timeZoneIdentifier(for: region)
        let last = CivilDate(year: year, month: 12, day: 31)
        guard try await hasData(region: region) else {
            throw ReportError.noData("region \(region) has no disclosure request, published document or case in the read models")
        }
        let facts = try await requestFacts(region: region, through: last, zone: zone)
        let tally = try RequestTally(year: year, facts: facts, organisationKinds: supplement?.organisationKinds ?? [:])
        let challenges = ChallengeTally.tally(year: year, facts: try await challengeFacts(region: region, zone: zone))
        var notes: [ReportNote] = []
        let licensing = try await licensingDecisions(region: region, year: year, zone: zone)
        var proactive = ProactiveDisclosure(regulations: supplement?.regulations ?? .init(), normativeDocuments: supplement?.normativeDocuments ?? .init(),
                                            licensingDecisions: licensing ?? supplement?.licensingDecisions,
                                            punishmentDecisions: supplement?.punishmentDecisions, coercionDecisions: supplement?.coercionDecisions,
                                            feesCollected: supplement?.feesCollected)
        if licensing == nil && proactive.licensingDecisions == nil {
            notes.append(ReportNote(code: "licensing-not-derivable",
                                    zh: "本区域的办件不在本系统办理，行政许可处理决定数量无法从事件得出，补充材料也未提供。",
                                    en: "This region's cases are not handled in Chancery: licensing decisions cannot be counted from the events, and the supplement gives none."))
        }
        if licensing != nil {
            proactive.licensingDecisions = licensing
            notes.append(ReportNote(code: "licensing-from-cases",
                                    zh: "行政许可处理决定数量为本年作出审批决定（CaseDecided）的行政许可事项办件数。",
                                    en: "Licensing decisions are the cases of licensing items decided (CaseDecided) during the year."))
        }
        if supplement == nil {
            notes.append(ReportNote(code: "supplement-absent",
                                    zh: "未提供本年度补充材料：第一、五、六部分文字，规章和行政规范性文件件数，行政处罚、行政强制决定数量和行政事业性收费金额无法从事件得出，以“—”表示。",
                                    en: "No supplement for this year: the texts of sections I, V and VI, the counts of regulations and normative documents, administrative punishments and coercions, and the fees collected cannot be derived from the events and are shown as “—”."))
        } else {
            let missing = [("规章", "regulations", supplement?.regulations == nil), ("行政规范性文件", "normative documents", supplement?.normativeDocuments == nil),
                           ("行政处罚", "administrative punishments", supplement?.punishmentDecisions == nil),
                           ("行政强制", "administrative coercions", supplement?.coercionDecisions == nil),
                           ("行政事业性收费", "fees collected", supplement?.feesCollected == nil)].filter(\.2)
            if !missing.isEmpty {
                notes.append(ReportNote(code: "supplement-incomplete",
                                        zh: "补充材料未提供：\(missing.map(\.0).joined(separator: "、"))，以“—”表示。",
                                        en: "The supplement does not give: \(missing.map(\.1).joined(separator: ", ")); shown as “—”."))
            }
        }
        notes.append(ReportNote(code: "requests-from-events",
                                zh: "第三、四部分的数据由政府信息公开申请事件（DisclosureRequest*、Reconsideration*、Litigation*）按本地日期统计。",
                                en: "Sections III and IV are counted from the disclosure request events (DisclosureRequest*, Reconsideration*, Litigation*) by local date."))
        notes += tally.notes
        return AnnualReport(region: region, year: year, authority: supplement?.authority, overview: supplement?.overview,
                            proactiveDisclosure: proactive, requests: tally.table, challenges: challenges,
                            problemsAndImprovements: supplement?.problemsAndImprovements, otherMatters: supplement?.otherMatters, notes: notes)
    }

    private func hasData(region: String) async throws -> Bool {
        let rows = try await database.query(
            """
            SELECT EXISTS (SELECT 1 FROM disclosure.requests WHERE region = \(region)) OR EXISTS (SELECT 1 FROM disclosure.documents WHERE region = \(region))
                OR EXISTS (SELECT 1 FROM approval.cases WHERE region = \(region))
            """)
        return try rows.first?.decode(Bool.self, at: 0) ?? false
    }

    /// Every request of `region` received or answered by `last`, with its reply's reason code (a reply dated before its
    /// receipt is kept, so that table 三's identity check sees it).
    func requestFacts(region: String, through last: CivilDate, zone: String) async throws -> [DisclosureRequestFact] {
        let rows = try await database.query(
            """
            SELECT r.subject, r.requester_kind, coalesce(r.received_on, (r.received_at AT TIME ZONE \(zone))::date)::text,
                   (r.answered_at AT TIME ZONE \(zone))::date::text, r.outcome,
                   (SELECT e.event -> 'data' ->> 'reasonCode' FROM audit.events e
                    WHERE e.subject = r.subject AND e.type = 'gov.disclosure.request.answered' ORDER BY e.sequence DESC LIMIT 1)
            FROM disclosure.requests r
            WHERE r.region = \(region) AND (coalesce(r.received_on, (r.received_at AT TIME ZONE \(zone))::date) <= \(last.description)::date
                                     OR (r.answered_at AT TIME ZONE \(zone))::date <= \(last.description)::date)
            ORDER BY r.subject
            """)
        return try rows.map { row in
            DisclosureRequestFact(subject: try row.decode(String.self, at: 0), requesterKind: try row.decode(String.self, at: 1),
                                  receivedOn: CivilDate(try row.decode(String.self, at: 2))!,
                                  answeredOn: try row.decode(String?.self, at: 3).flatMap { CivilDate($0) },
                                  outcome: try row.decode(String?.self, at: 4), reasonCode: try row.decode(String?.self, at: 5))
        }
    }

    /// The reconsiderations and lawsuits of the region's requests, from their events.
    func challengeFacts(region: String, zone: String) async throws -> [ChallengeFact] {
        let rows = try await database.query(
            """
            SELECT subject, type, (time AT TIME ZONE \(zone))::date::text, event -> 'data' ->> 'outcome' FROM audit.events
            WHERE region = \(region) AND subject LIKE 'request/%'
              AND type IN ('gov.disclosure.request.reconsideration.filed', 'gov.disclosure.request.reconsideration.decided',
                           'gov.disclosure.request.litigation.filed', 'gov.disclosure.request.litigation.decided')
            ORDER BY subject, sequence
            """)
        var facts: [String: ChallengeFact] = [:]
        for row in rows {
            let subject = try row.decode(String.self, at: 0)
            let day = CivilDate(try row.decode(String.self, at: 2))
            let outcome = try row.decode(String?.self, at: 3)
            var f = facts[subject] ?? ChallengeFact(subject: subject)
            switch try row.decode(String.self, at: 1) {
            case "gov.disclosure.request.reconsideration.filed": f.reconsiderationFiledOn = day
            case "gov.disclosure.request.reconsideration.decided": f.reconsiderationDecidedOn = day; f.reconsiderationOutcome = outcome
            case "gov.disclosure.request.litigation.filed": f.litigationFiledOn = day
            default: f.litigationDecidedOn = day; f.litigationOutcome = outcome
            }
            facts[subject] = f
        }
        return facts.keys.sorted().map { facts[$0]! }
    }

    /// Cases of licensing items decided in the year; nil when the region has no case in Chancery at all.
    func licensingDecisions(region: String, year: Int, zone: String) async throws -> Int? {
        let rows = try await database.query(
            """
            SELECT EXISTS (SELECT 1 FROM approval.cases WHERE region = \(region)),
                   (SELECT count(*) FROM approval.cases c JOIN catalog.items i ON i.region = c.region AND i.item_code = c.item_code
                    WHERE c.region = \(region) AND i.item_kind = 'licensing' AND c.decided_at IS NOT NULL
                      AND extract(year FROM c.decided_at AT TIME ZONE \(zone)) = \(year))
            """)
        guard let row = rows.first, try row.decode(Bool.self, at: 0) else { return nil }
        return Int(try row.decode(Int64.self, at: 1))
    }

    /// The years an annual report can be produced for, per region: from the first to the last year with a disclosure
    /// request received, a document published or a case submitted (local dates), and every year with a supplement.
    public func availableYears(region: String?, supplements: AnnualReportSupplements) async throws -> [(region: String, years: [Int])] {
        let rows = try await database.query(
            """
            SELECT region, min(t), max(t) FROM (
              SELECT region, received_at AS t FROM disclosure.requests UNION ALL
              SELECT region, published_at FROM disclosure.documents UNION ALL
              SELECT region, submitted_at FROM approval.cases
            ) x WHERE \(region)::text IS NULL OR region = \(region) GROUP BY region ORDER BY region
            """)
        var years: [String: Set<Int>] = [:]
        for row in rows {
            let r = try row.decode(String.self, at: 0)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: RegionCalendars.shared.timeZoneIdentifier(for: r)) ?? TimeZone(identifier: "UTC")!
            let lo = calendar.component(.year, from: try row.decode(Date.self, at: 1))
            let hi = calendar.component(.year, from: try row.decode(Date.self, at: 2))
            years[r, default: []].formUnion(lo...hi)
        }
        for key in supplements.keys where region == nil || key.region == region {
            years[key.region, default: []].insert(key.year)
        }
        return years.keys.sorted().map { ($0, years[$0]!.sorted()) }
    }
}
