import ChanceryDomain

extension Circular {
    /// The circular laid out for printing (A4 landscape), in `language`.
    public func document(_ language: ReportLanguage) -> ReportDocument {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let title = zh ? "\(month.year)年\(month.month)月电子监察效能通报（行政区划\(region)）"
            : "Electronic supervision circular, \(month) (region \(region))"
        let f = formula
        let formulaText = zh
            ? "效能指数（0–100）= 按时办结率×\(Figure.amount(f.onTimeWeight)) + 提前办结率×\(Figure.amount(f.earlyWeight)) + 满意率×\(Figure.amount(f.satisfactionWeight)) + 差评按时整改率×\(Figure.amount(f.rectificationWeight)) + 无牌率×\(Figure.amount(f.cardFreeWeight))（黄牌按\(Figure.amount(f.yellowCardWeight))张红牌计），无分母的项目不计并按比例放大其余权重。等次：\(Figure.amount(f.excellentFrom))分及以上优秀，\(Figure.amount(f.goodFrom))分及以上良好，\(Figure.amount(f.passFrom))分及以上合格，其余不合格。"
            : "Efficiency index (0–100) = on-time rate × \(Figure.amount(f.onTimeWeight)) + early rate × \(Figure.amount(f.earlyWeight)) + satisfaction rate × \(Figure.amount(f.satisfactionWeight)) + bad ratings rectified in time × \(Figure.amount(f.rectificationWeight)) + card-free rate × \(Figure.amount(f.cardFreeWeight)) (a yellow card counts as \(Figure.amount(f.yellowCardWeight)) red card); a component without a denominator is left out and the other weights scaled up. Grades: \(Figure.amount(f.excellentFrom)) and above excellent, \(Figure.amount(f.goodFrom)) good, \(Figure.amount(f.passFrom)) pass, below fail."
        let ranked = departments.filter { $0.rank != nil }.count
        let summary = zh
            ? "本月全区（县）受理办件\(totals.accepted)件，办结\(totals.concluded)件，其中按时办结\(totals.concludedOnTime)件（按时办结率\(Figure.percent(totals.onTimeRate))），超期办结\(totals.overdueConcluded)件；亮黄牌\(totals.yellowCards)张、红牌\(totals.redCards)张；督办\(totals.urged)件，督办未落实\(totals.urgesMissed)件；信件答复\(totals.lettersAnswered)件，其中超期答复\(totals.lettersAnsweredLate)件；收到评价\(totals.rated)个（满意率\(Figure.percent(totals.satisfactionRate))），差评\(totals.badRatings)个。参加排名的部门\(ranked)个。"
            : "This month the region accepted \(totals.accepted) cases and concluded \(totals.concluded), \(totals.concludedOnTime) of them on time (on-time rate \(Figure.percent(totals.onTimeRate))) and \(totals.overdueConcluded) late; \(totals.yellowCards) yellow and \(totals.redCards) red cards; \(totals.urged) cases urged, \(totals.urgesMissed) urges missed; \(totals.lettersAnswered) letters answered, \(totals.lettersAnsweredLate) of them late; \(totals.rated) ratings (satisfaction \(Figure.percent(totals.satisfactionRate))), \(totals.badRatings) bad. \(ranked) departments ranked."
        return ReportDocument(
            languageTag: zh ? "zh-CN" : "en", title: title,
            subtitle: zh ? "统计期间：\(month.firstDay)至\(month.lastDay)" : "Period: \(month.firstDay) to \(month.lastDay)",
            sections: [
                ReportSection(heading: t("一、总体情况", "I. Overview"), paragraphs: [summary]),
                ReportSection(heading: t("二、部门效能排名", "II. Departments ranked by efficiency"), paragraphs: [formulaText],
                              tables: [rankingTable(language)]),
                ReportSection(heading: t("三、超期办件点名", "III. Overdue cases by name"),
                              paragraphs: overdueCases.isEmpty ? [t("本月无超期办件。", "No overdue case this month.")] : [],
                              tables: overdueCases.isEmpty ? [] : [overdueTable(language)]),
            ],
            notesHeading: t("说明", "Notes"), notes: notes.map { $0.text(language) }, landscape: true,
            linksLabel: t("其他语言和格式", "Other languages and formats"))
    }

    static func gradeLabel(_ grade: EfficiencyGrade?, _ language: ReportLanguage) -> String {
        guard let grade else { return Figure.unknown }
        switch (grade, language) {
        case (.excellent, .chinese): return "优秀"
        case (.good, .chinese): return "良好"
        case (.pass, .chinese): return "合格"
        case (.fail, .chinese): return "不合格"
        case (.excellent, .english): return "Excellent"
        case (.good, .english): return "Good"
        case (.pass, .english): return "Pass"
        case (.fail, .english): return "Fail"
        }
    }

    func rankingTable(_ language: ReportLanguage) -> ReportTable {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let columns = [t("排名", "Rank"), t("部门", "Department"), t("受理", "Accepted"), t("办结", "Concluded"), t("按时办结", "On time"),
                       t("按时办结率", "On-time rate"), t("超期办结", "Concluded late"), t("黄牌", "Yellow cards"), t("红牌", "Red cards"),
                       t("督办", "Urged"), t("督办未落实", "Urges missed"), t("信件答复", "Letters answered"), t("信件超期答复", "Letters answered late"),
                       t("评价", "Ratings"), t("满意率", "Satisfaction"), t("差评", "Bad ratings"), t("差评按时整改", "Rectified in time"),
                       t("效能指数", "Index"), t("等次", "Grade")]
        func name(_ line: DepartmentLine) -> String {
            if line.departmentCode == "total" { return t("合计", "Total") }
            if line.departmentCode.isEmpty { return t("未转办信件", "Letters not transferred") }
            return line.departmentName.map { "\($0)（\(line.departmentCode)）" } ?? line.departmentCode
        }
        func values(_ l: DepartmentLine) -> [String] {
            [l.rank.map(String.init) ?? Figure.unknown, name(l), String(l.accepted), String(l.concluded), String(l.concludedOnTime),
             Figure.percent(l.onTimeRate), String(l.overdueConcluded), String(l.yellowCards), String(l.redCards), String(l.urged), String(l.urgesMissed),
             String(l.lettersAnswered), String(l.lettersAnsweredLate), String(l.rated), Figure.percent(l.satisfactionRate), String(l.badRatings),
             String(l.badRatingsRectifiedInTime), Figure.index(l.index), Self.gradeLabel(l.grade, language)]
        }
        var totalsValues = values(totals)
        totalsValues[0] = ""
        let rows = departments.map(values) + [totalsValues]
        let body = rows.enumerated().map { i, v in
            ReportRow([ReportCell.data(v[0]), ReportCell.row(v[1])] + v.dropFirst(2).map { ReportCell.data($0) }, total: i == rows.count - 1)
        }
        return ReportTable(caption: t("部门效能排名", "Departments ranked"), head: [ReportRow(columns.map { ReportCell.column($0) })], body: body,
                           columns: columns, rows: rows)
    }

    func overdueTable(_ language: ReportLanguage) -> ReportTable {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let names = Dictionary(departments.map { ($0.departmentCode, $0.departmentName) }, uniquingKeysWith: { a, _ in a })
        let columns = [t("办件编号", "Case number"), t("部门", "Department"), t("事项", "Item"), t("受理日期", "Accepted"), t("承诺期限", "Deadline"),
                       t("办结日期", "Concluded"), t("用时（工作日）", "Working days used"), t("情形", "State")]
        let rows = overdueCases.map { c -> [String] in
            let department = (names[c.departmentCode] ?? nil).map { "\($0)（\(c.departmentCode)）" } ?? c.departmentCode
            let state = c.state == "concluded-late" ? t("超期办结", "Concluded late") : t("超期未办结", "Open and overdue")
            return [c.caseNumber, department, c.itemName.map { "\($0)（\(c.itemCode)）" } ?? c.itemCode, c.acceptedOn?.description ?? Figure.unknown,
                    c.deadline?.description ?? Figure.unknown, c.concludedOn?.description ?? Figure.unknown, Figure.count(c.workingDaysUsed), state]
        }
        let body = rows.map { v in ReportRow([ReportCell.row(v[0])] + v.dropFirst().map { ReportCell.data($0) }) }
        return ReportTable(caption: t("超期办件", "Overdue cases"), head: [ReportRow(columns.map { ReportCell.column($0) })], body: body, columns: columns, rows: rows)
    }
}
