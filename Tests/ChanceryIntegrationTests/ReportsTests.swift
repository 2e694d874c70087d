import ChanceryDomain
import ChanceryPostgres
import ChanceryReports
import ChanceryScenario
import ChanceryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The reports over the reference scenario (SCENARIO.md): the annual disclosure report of 2025 for Zhuhui, Hengdong and
/// Hengyang city, cell by cell against figures computed here from the events alone, and Hengdong's circular of June
/// 2025 against the metrics API and the events; the report routes and their errors.
@Suite("Reports over the reference scenario", .serialized, .timeLimit(.minutes(15)))
struct ReportsTests {
    static let year = 2025
    static let month = CalendarMonth("2025-06")!

    @Test("the annual reports and the circular equal figures computed from the events and the metrics API")
    func reports() async throws {
        try await TestCluster.with(seedCatalog: false, configure: { $0.partitions = 32 }) { cluster in
            let events = ReferenceScenario().events()
            try await Self.load(events, into: cluster)
            let db = cluster.node.database
            let builder = AnnualReportBuilder(database: db)

            // Annual reports: every cell of tables 三 and 四 for the three regions with disclosure requests.
            for region in [ReferenceScenario.zhuhuiRegion, ReferenceScenario.hengdongRegion, ReferenceScenario.cityRegion] {
                let report = try await builder.build(region: region, year: Self.year, supplement: nil)
                let expected = Self.expectedRequestTable(events, region: region, year: Self.year)
                for row in RequestRow.all {
                    for column in ApplicantColumn.all {
                        #expect(report.requests.value(row, column) == expected[row.id]?[column.id] ?? 0, "\(region) \(row) \(column)")
                    }
                }
                #expect(report.challenges == Self.expectedChallenges(events, region: region, year: Self.year), "\(region)")
                #expect(report.proactiveDisclosure.licensingDecisions == Self.expectedLicensingDecisions(events, region: region, year: Self.year), "\(region)")
                #expect(report.overview == nil && report.proactiveDisclosure.feesCollected == nil)
                #expect(report.notes.contains { $0.code == "supplement-absent" })
            }
            // SCENARIO.md, Zhuhui: one request from a natural person, disclosed; no reconsideration or lawsuit.
            let zhuhui = try await builder.build(region: ReferenceScenario.zhuhuiRegion, year: Self.year, supplement: nil)
            #expect(zhuhui.requests.value(.new, .naturalPerson) == 1 && zhuhui.requests.value(.new, .total) == 1)
            #expect(zhuhui.requests.value(.disclosed, .naturalPerson) == 1 && zhuhui.requests.value(.handledTotal, .total) == 1)
            #expect(zhuhui.requests.value(.carriedOver, .total) == 0 && zhuhui.requests.value(.carriedForward, .total) == 0)
            #expect(zhuhui.challenges == Challenges())
            #expect(zhuhui.proactiveDisclosure.licensingDecisions == nil)
            // Hengyang city: withheld as process information, upheld on reconsideration, then upheld in court.
            let city = try await builder.build(region: ReferenceScenario.cityRegion, year: Self.year, supplement: nil)
            let process = try #require(RequestRow.withheldReasons.first { $0.id == "withheld.process-information" })
            #expect(city.requests.value(process, .naturalPerson) == 1)
            #expect(city.challenges.reconsideration == .init(upheld: 1) && city.challenges.litigationAfterReconsideration == .init(upheld: 1))
            #expect(city.challenges.litigationDirect == .init())
            // Hengdong: no reconsideration or lawsuit (SCENARIO.md); its requests are counted.
            let hengdong = try await builder.build(region: ReferenceScenario.hengdongRegion, year: Self.year, supplement: nil)
            #expect(hengdong.challenges == Challenges())
            #expect(hengdong.requests.value(.new, .total) > 1)
            // With the example supplement: its texts, "—" for what it does not give.
            let supplement = try AnnualReportSupplement.decode(
                Data(contentsOf: PackageRoot.packageRoot.appendingPathComponent("examples/reports/430405-2025.json")), name: "430405-2025.json")
            let supplemented = try await builder.build(region: ReferenceScenario.zhuhuiRegion, year: Self.year, supplement: supplement)
            #expect(supplemented.authority == "珠晖区人民政府" && supplemented.overview?.contains("471") == true)
            #expect(supplemented.notes.contains { $0.code == "supplement-incomplete" })

            // The circular: the metrics API's figures, and counts recomputed from the events.
            let circular = try await CircularBuilder(database: db).build(region: ReferenceScenario.hengdongRegion, month: Self.month)
            try await cluster.application().test(.router) { client in
                let cases = try #require(try await client.read(
                    "/v1/metrics/cases?groupBy=department&period=month&from=\(Self.month)&to=\(Self.month)&region=430424").json["rows"]?.arrayValue)
                #expect(!cases.isEmpty)
                var performances: [DepartmentPerformance] = []
                for row in cases {
                    let code = try #require(row["departmentCode"]?.stringValue)
                    let line = try #require(circular.departments.first { $0.departmentCode == code }, "\(code)")
                    func n(_ key: String) -> Int { Int(row[key]?.integerValue ?? -1) }
                    #expect(line.accepted == n("accepted") && line.concluded == n("concluded") && line.concludedOnTime == n("concludedOnTime"), "\(code)")
                    #expect(line.concludedEarly == n("concludedEarly") && line.overdueConcluded == n("overdueConcluded"), "\(code)")
                    #expect(line.onTimeRate == row["onTimeRate"]?.doubleValue && line.satisfactionRate == row["satisfactionRate"]?.doubleValue, "\(code)")
                    #expect(line.urged == n("urged") && line.urgesMissed == n("urgesMissed"), "\(code)")
                    #expect(line.rated == n("rated") && line.satisfied == n("satisfied") && line.badRatings == n("badRatings"), "\(code)")
                    #expect(line.badRatingsRectifiedInTime == n("badRatingsRectifiedInTime"), "\(code)")
                    #expect(line.yellowCards == n("yellowCards") && line.redCards == n("redCards"), "\(code)")
                    performances.append(DepartmentPerformance(
                        region: "", departmentCode: code, accepted: n("accepted"), concluded: n("concluded"), concludedOnTime: n("concludedOnTime"),
                        concludedEarly: n("concludedEarly"), rated: n("rated"), satisfied: n("satisfied"), badRatings: n("badRatings"),
                        badRatingsRectifiedInTime: n("badRatingsRectifiedInTime"), yellowCards: n("yellowCards"), redCards: n("redCards")))
                }
                let codes = Set(cases.compactMap { $0["departmentCode"]?.stringValue })
                #expect(circular.departments.filter { $0.accepted + $0.concluded + $0.yellowCards + $0.redCards > 0 }.allSatisfy { codes.contains($0.departmentCode) })
                // The grades: /v1/metrics/ranking's formula over the month's figures.
                for ranked in EfficiencyFormula().rank(performances) {
                    let line = try #require(circular.departments.first { $0.departmentCode == ranked.performance.departmentCode })
                    #expect(line.index == ranked.index && line.grade == ranked.grade, "\(line.departmentCode)")
                }
                #expect(circular.departments.compactMap(\.rank).first == 1)
                // Totals equal the sum of the departments.
                #expect(circular.totals.accepted == cases.reduce(0) { $0 + Int($1["accepted"]?.integerValue ?? 0) })
                #expect(circular.totals.redCards == cases.reduce(0) { $0 + Int($1["redCards"]?.integerValue ?? 0) })
                // Letters: /v1/metrics/interactions' answered and answered in time.
                let letters = try #require(try await client.read("/v1/metrics/interactions?period=month&from=\(Self.month)&to=\(Self.month)&region=430424")
                    .json["rows"]?.arrayValue?.first { $0["kind"] == "letter" })
                let answered = Int(letters["answered"]?.integerValue ?? -1), inTime = Int(letters["answeredInTime"]?.integerValue ?? -1)
                #expect(circular.totals.lettersAnswered == answered && circular.totals.lettersAnsweredLate == answered - inTime)
                #expect(circular.departments.reduce(0) { $0 + $1.lettersAnsweredLate } == answered - inTime)
            }
            // From the events: accepted, concluded and rated per department, and the overdue cases concluded in the month.
            let expected = Self.expectedCircularCounts(events, region: ReferenceScenario.hengdongRegion, month: Self.month)
            #expect(!expected.isEmpty)
            for (code, counts) in expected {
                let line = circular.departments.first { $0.departmentCode == code }
                #expect(line?.accepted == counts.accepted && line?.concluded == counts.concluded && line?.rated == counts.rated, "\(code)")
            }
            #expect(circular.totals.accepted == expected.values.reduce(0) { $0 + $1.accepted })
            let late = circular.overdueCases.filter { $0.state == "concluded-late" }
            #expect(late.count == circular.totals.overdueConcluded)
            #expect(late.allSatisfy { ($0.concludedOn.map { $0 >= Self.month.firstDay && $0 <= Self.month.lastDay }) == true })
            #expect(circular.overdueCases.filter { $0.state == "open-overdue" }.allSatisfy { $0.concludedOn == nil })

            try await Self.routes(cluster)
        }
    }

    /// The routes: public annual report and listing, the dashboard's token requirement, formats, languages and errors.
    static func routes(_ cluster: TestCluster) async throws {
        try await cluster.application().test(.router) { client in
            let html = try await client.read("/reports/annual/430405/2025", token: nil)
            #expect(html.status == .ok && html.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(buffer: html.body)
            #expect(page.contains("三、收到和处理政府信息公开申请情况") && page.contains("（三）不予公开") && page.contains(#"<html lang="zh-CN">"#))
            let en = String(buffer: try await client.read("/reports/annual/430405/2025?lang=en", token: nil).body)
            #expect(en.contains("III. Requests for government information received and handled"))
            let json = try await client.read("/reports/annual/430400/2025?format=json", token: nil)
            #expect(json.json["challenges"]?["reconsideration"]?["upheld"]?.integerValue == 1)
            let csv = try await client.read("/reports/annual/430405/2025?format=csv", token: nil)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && String(buffer: csv.body).contains("一、本年新收政府信息公开申请数量,1,0,0,0,0,0,1"))
            let years = try await client.read("/v1/reports/annual?region=430405", token: nil).json
            #expect(years["regions"]?[0]?["years"]?.arrayValue?.contains(.integer(2025)) == true)
            #expect(try await client.read("/reports/annual/430405/20x5", token: nil).status == .badRequest)
            #expect(try await client.read("/reports/annual/999999/2025", token: nil).status == .notFound)
            #expect(try await client.read("/reports/annual/430405/2025?format=pdf", token: nil).status == .badRequest)
            // The dashboard needs an analyst, auditor or admin.
            #expect(try await client.read("/dashboard/reports/circular?region=430424&month=2025-06", token: nil).status == .unauthorized)
            #expect(try await client.read("/dashboard/reports/circular?region=430424&month=2025-06", token: TestTokens.integrator).status == .forbidden)
            let circular = try await client.read("/dashboard/reports/circular?region=430424&month=2025-06&format=md", token: TestTokens.auditor)
            #expect(circular.status == .ok && String(buffer: circular.body).contains("## 二、部门效能排名"))
            #expect(try await client.read("/dashboard/reports/circular?region=430424&month=2025-6").status == .badRequest)
            #expect(try await client.read("/dashboard/reports/annual?region=430424&year=2025&lang=en").status == .ok)
            // Data that break table 三's identity (a reply dated before its receipt, across the year's end) are refused, naming the cell.
            _ = try await cluster.node.database.execute(
                """
                INSERT INTO disclosure.requests (subject, region, department_code, requester_name, requester_kind, description, received_at, received_on,
                                                 answered_at, outcome)
                VALUES ('request/430405/broken', '430405', 'rsj', '张三', 'citizen', 'x', '2026-01-02T10:00:00+08:00', '2026-01-02',
                        '2025-12-30T10:00:00+08:00', 'disclosed')
                """)
            let broken = try await client.read("/reports/annual/430405/2025", token: nil)
            #expect(broken.status == .unprocessableContent)
            let detail = broken.json["detail"]?.stringValue ?? ""
            #expect(detail.contains("自然人") && detail.contains("（七）总计"), "\(detail)")
        }
    }

    // MARK: Loading

    static func load(_ events: [CloudEvent], into cluster: TestCluster) async throws {
        try await cluster.loadThroughHTTP(events, seconds: 600) {}
    }

    // MARK: Figures from the events alone

    /// The day of an event's time in Asia/Shanghai.
    static func localDay(_ time: String) -> CivilDate {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let fallback = ISO8601DateFormatter()
        let date = parser.date(from: time) ?? fallback.date(from: time)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// Table 三 as row id → column id → count, by the format's rules, from the request events.
    static func expectedRequestTable(_ events: [CloudEvent], region: String, year: Int) -> [String: [String: Int]] {
        struct Request { var kind = ""; var received: CivilDate?; var answered: CivilDate?; var outcome: String?; var reason: String? }
        var requests: [String: Request] = [:]
        for e in events where e.region == region && e.subject.hasPrefix("request/") {
            switch e.type {
            case "gov.disclosure.request.received":
                requests[e.subject, default: Request()].kind = e.data["requesterKind"]?.stringValue ?? ""
                requests[e.subject, default: Request()].received = localDay(e.time)
            case "gov.disclosure.request.answered":
                requests[e.subject, default: Request()].answered = localDay(e.time)
                requests[e.subject, default: Request()].outcome = e.data["outcome"]?.stringValue
                requests[e.subject, default: Request()].reason = e.data["reasonCode"]?.stringValue
            default: break
            }
        }
        var table: [String: [String: Int]] = [:]
        func add(_ row: String, _ column: String) {
            table[row, default: [:]][column, default: 0] += 1
            table[row, default: [:]]["total", default: 0] += 1
        }
        for r in requests.values {
            guard let received = r.received else { continue }
            let column = r.kind == "citizen" ? "natural-person" : "other-organisation"
            let answeredYear = r.answered?.year
            if received.year == year { add("new", column) }
            if received.year < year && (answeredYear == nil || answeredYear! >= year) { add("carried-over", column) }
            if received.year <= year && answeredYear == year {
                add("handled-total", column)
                switch r.outcome {
                case "disclosed"?: add("disclosed", column)
                case "partially-disclosed"?: add("partially-disclosed", column)
                case let outcome?: if let reason = r.reason { add("\(outcome).\(reason)", column) }
                case nil: break
                }
            }
            if received.year <= year && (answeredYear == nil || answeredYear! > year) { add("carried-forward", column) }
        }
        return table
    }

    /// Section 四 from the reconsideration and litigation events.
    static func expectedChallenges(_ events: [CloudEvent], region: String, year: Int) -> Challenges {
        var out = Challenges()
        var reconsidered: Set<String> = []
        var filed: [String: (reconsideration: Bool, litigation: Bool)] = [:]
        var decided: [String: (reconsideration: String?, litigation: String?)] = [:]
        for e in events where e.region == region && e.subject.hasPrefix("request/") && localDay(e.time).year <= year {
            switch e.type {
            case "gov.disclosure.request.reconsideration.filed": reconsidered.insert(e.subject); filed[e.subject, default: (false, false)].reconsideration = true
            case "gov.disclosure.request.litigation.filed": filed[e.subject, default: (false, false)].litigation = true
            case "gov.disclosure.request.reconsideration.decided": decided[e.subject, default: (nil, nil)].reconsideration = e.data["outcome"]?.stringValue
            case "gov.disclosure.request.litigation.decided": decided[e.subject, default: (nil, nil)].litigation = e.data["outcome"]?.stringValue
            default: break
            }
        }
        func count(_ into: inout Challenges.Outcomes, _ outcome: String?) {
            switch outcome {
            case "upheld"?: into.upheld += 1
            case "corrected"?: into.corrected += 1
            case nil: into.pending += 1
            default: into.other += 1
            }
        }
        for (subject, f) in filed {
            if f.reconsideration { count(&out.reconsideration, decided[subject]?.reconsideration) }
            if f.litigation {
                if reconsidered.contains(subject) { count(&out.litigationAfterReconsideration, decided[subject]?.litigation) }
                else { count(&out.litigationDirect, decided[subject]?.litigation) }
            }
        }
        return out
    }

    /// Licensing items' cases decided in the year; nil for a region without cases.
    static func expectedLicensingDecisions(_ events: [CloudEvent], region: String, year: Int) -> Int? {
        var kinds: [String: String] = [:], itemSubjects: [String: String] = [:], caseItems: [String: String] = [:]
        var decided = 0
        var anyCase = false
        for e in events where e.region == region {
            switch e.type {
            case "gov.catalog.item.registered":
                itemSubjects[e.subject] = e.data["itemCode"]?.stringValue
                kinds[e.data["itemCode"]?.stringValue ?? ""] = e.data["itemKind"]?.stringValue
            case "gov.catalog.item.revised":
                if let kind = e.data["itemKind"]?.stringValue, let code = itemSubjects[e.subject] { kinds[code] = kind }
            case "gov.approval.case.submitted":
                anyCase = true
                caseItems[e.subject] = e.data["itemCode"]?.stringValue
            default: break
            }
        }
        for e in events where e.region == region && e.type == "gov.approval.case.decided" && localDay(e.time).year == year {
            if let item = caseItems[e.subject], kinds[item] == "licensing" { decided += 1 }
        }
        return anyCase ? decided : nil
    }

    /// Per department: cases accepted and concluded in the month, and ratings of the cases concluded in it.
    static func expectedCircularCounts(_ events: [CloudEvent], region: String, month: CalendarMonth) -> [String: (accepted: Int, concluded: Int, rated: Int)] {
        var department: [String: String] = [:], rated: Set<String> = [], concludedInMonth: Set<String> = []
        var out: [String: (accepted: Int, concluded: Int, rated: Int)] = [:]
        func inMonth(_ e: CloudEvent) -> Bool { let d = localDay(e.time); return d >= month.firstDay && d <= month.lastDay }
        for e in events where e.region == region && e.subject.hasPrefix("case/") {
            switch e.type {
            case "gov.approval.case.submitted": department[e.subject] = e.data["departmentCode"]?.stringValue
            case "gov.approval.case.accepted" where inMonth(e): out[department[e.subject] ?? "?", default: (0, 0, 0)].accepted += 1
            case "gov.approval.case.concluded" where inMonth(e):
                out[department[e.subject] ?? "?", default: (0, 0, 0)].concluded += 1
                concludedInMonth.insert(e.subject)
            case "gov.approval.case.rated": rated.insert(e.subject)
            default: break
            }
        }
        for subject in concludedInMonth where rated.contains(subject) { out[department[subject] ?? "?", default: (0, 0, 0)].rated += 1 }
        return out
    }
}
