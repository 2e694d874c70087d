import ChanceryDomain
import Foundation
import Testing
@testable import ChanceryReports

/// The renderers: Markdown, CSV and JSON shapes, HTML escaping and both languages.
@Suite struct RendererTests {
    static func annual(overview: String? = "全年<script>alert(1)</script>工作 | 顺利") throws -> AnnualReport {
        let facts = [DisclosureRequestFact(subject: "request/430405/2025-001", requesterKind: "citizen", receivedOn: CivilDate("2025-04-01")!,
                                           answeredOn: CivilDate("2025-04-15")!, outcome: "disclosed")]
        return AnnualReport(region: "430405", year: 2025, authority: "珠晖区人民政府", overview: overview,
                            proactiveDisclosure: ProactiveDisclosure(regulations: .init(), normativeDocuments: .init(issued: 2, repealed: 0, inForce: 31),
                                                                     licensingDecisions: nil, punishmentDecisions: 5, coercionDecisions: nil, feesCollected: 12.5),
                            requests: try RequestTally(year: 2025, facts: facts).table, challenges: Challenges(reconsideration: .init(upheld: 1)),
                            problemsAndImprovements: nil, otherMatters: "第一段\n\n第二段", notes: [ReportNote(code: "x", zh: "说明一", en: "Note one")])
    }

    static let circular = Circular(
        region: "430424", month: CalendarMonth("2025-06")!, formula: EfficiencyFormula(),
        departments: [{
            var l = DepartmentLine.blank("zwfw")
            l.departmentName = "政务<服务>中心, \"窗口\""
            l.accepted = 10; l.concluded = 8; l.concludedOnTime = 7; l.overdueConcluded = 1; l.onTimeRate = 0.875
            l.index = 88.5; l.rank = 1; l.grade = .good
            return l
        }()],
        totals: { var l = DepartmentLine.blank("total"); l.accepted = 10; l.concluded = 8; return l }(),
        overdueCases: [OverdueCase(subject: "case/430424/1", caseNumber: "2025-000001", departmentCode: "zwfw", itemCode: "X1", itemName: "许可",
                                   acceptedOn: CivilDate("2025-05-01"), deadline: CivilDate("2025-05-20"), concludedOn: CivilDate("2025-06-03"),
                                   workingDaysUsed: 22, promisedLimit: 20, state: "concluded-late")],
        notes: [])

    @Test("HTML escapes every text and carries the language, the format's labels and the A4 print CSS")
    func html() throws {
        let renderer = try ReportRenderer()
        let zh = try renderer.render(try Self.annual(), as: .html, language: .chinese,
                                     links: [ReportLink(label: "English", href: "/reports/annual/430405/2025?lang=en&x=<1>", hreflang: "en")])
        #expect(zh.contains(#"<html lang="zh-CN">"#))
        #expect(zh.contains("全年&lt;script&gt;alert(1)&lt;/script&gt;工作"))
        #expect(!zh.contains("<script>"))
        #expect(zh.contains("lang=en&amp;x=&lt;1&gt;"))
        #expect(zh.contains("<h2>三、收到和处理政府信息公开申请情况</h2>"))
        #expect(zh.contains(#"<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>"#))
        #expect(zh.contains(#"<th scope="rowgroup" rowspan="8">（三）不予公开</th>"#))
        #expect(zh.contains("@page { size: A4; margin"))
        #expect(zh.contains("<p>第一段</p>") && zh.contains("<p>第二段</p>"))
        let en = try renderer.render(try Self.annual(), as: .html, language: .english)
        #expect(en.contains(#"<html lang="en">"#))
        #expect(en.contains("III. Requests for government information received and handled"))
        #expect(!en.contains("<nav"))
        let circular = try renderer.render(Self.circular, as: .html, language: .chinese)
        #expect(circular.contains("政务&lt;服务&gt;中心, &quot;窗口&quot;"))
        #expect(circular.contains("size: A4 landscape"))
        #expect(circular.contains("87.50%"))
        #expect(circular.contains("良好"))
    }

    @Test("Markdown: one table per section, escaped cells, notes")
    func markdown() throws {
        let md = try ReportRenderer().render(try Self.annual(), as: .markdown, language: .chinese)
        #expect(md.hasPrefix("# 珠晖区人民政府2025年政府信息公开工作年度报告\n"))
        #expect(md.contains("全年\\<script\\>alert(1)\\</script\\>工作 \\| 顺利"))
        #expect(md.contains("\n| 项目 | 自然人 | 法人或其他组织: 商业企业 |"))
        #expect(md.contains("\n| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"))
        #expect(md.contains("\n| 行政复议 | 1 | 0 | 0 | 0 | 1 |\n"))
        #expect(md.contains("\n| 第二十条第（八）项 | 行政事业性收费 | 本年收费金额（单位：万元） | 12.5 |\n"))
        #expect(md.contains("（补充材料未提供）"))
        #expect(md.contains("\n1. 说明一\n"))
        // Every table row has as many cells as its header.
        for line in md.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.replacingOccurrences(of: "\\|", with: "").split(separator: "|", omittingEmptySubsequences: false).count
            #expect([6, 8, 10].contains(cells), "\(line)")  // 4, 6 or 8 columns, between pipes
        }
        let en = try ReportRenderer().render(Self.circular, as: .markdown, language: .english)
        #expect(en.contains("| 1 | 政务\\<服务\\>中心, \"窗口\"（zwfw） | 10 | 8 | 7 | 87.50% |"))
        #expect(en.contains("| 2025-000001 |"))
    }

    @Test("CSV: caption, header and rows per table, RFC 4180 quoting, a BOM, CRLF")
    func csv() throws {
        let csv = try ReportRenderer().render(try Self.annual(), as: .csv, language: .chinese)
        #expect(csv.hasPrefix("\u{FEFF}主动公开政府信息情况\r\n条款,信息内容,指标,数值\r\n"))
        let blocks = csv.dropFirst().components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        #expect(blocks.count == 3)
        let requests = blocks[1].components(separatedBy: "\r\n")
        #expect(requests[0] == "收到和处理政府信息公开申请情况")
        #expect(requests.count == 2 + RequestRow.all.count)
        #expect(requests[2] == "一、本年新收政府信息公开申请数量,1,0,0,0,0,0,1")
        let circular = try ReportRenderer().render(Self.circular, as: .csv, language: .chinese)
        #expect(circular.contains(#","政务<服务>中心, ""窗口""（zwfw）",10,8,7,87.50%,"#))
        #expect(CSVWriter.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVWriter.field("-3") == "-3")
    }

    @Test("JSON: the model, numbers as numbers, unknown figures null")
    func json() throws {
        let text = try ReportRenderer().render(try Self.annual(), as: .json, language: .english)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["region"] as? String == "430405")
        #expect(object["year"] as? Int == 2025)
        let proactive = try #require(object["proactiveDisclosure"] as? [String: Any])
        #expect(proactive["punishmentDecisions"] as? Int == 5)
        #expect(proactive["licensingDecisions"] == nil || proactive["licensingDecisions"] is NSNull)
        let rows = try #require((object["requests"] as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(rows.count == 25)
        #expect(rows.first?["row"] as? String == "new")
        #expect((rows.first?["values"] as? [String: Int])?["natural-person"] == 1)
        let reconsideration = try #require((object["challenges"] as? [String: Any])?["reconsideration"] as? [String: Int])
        #expect(reconsideration == ["upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1])
        let decoded = try JSONDecoder().decode(AnnualReport.self, from: Data(text.utf8))
        #expect(decoded == (try Self.annual()))
        let circular = try ReportRenderer().render(Self.circular, as: .json, language: .chinese)
        #expect(circular.contains(#""month":"2025-06""#))
        #expect(circular.contains(#""grade":"good""#))
    }
}
