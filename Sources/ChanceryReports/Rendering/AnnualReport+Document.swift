extension AnnualReport {
    /// The report laid out as the national format prints it (国办公开办函〔2021〕30号), in `language`.
    public func document(_ language: ReportLanguage) -> ReportDocument {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let missing = t("（补充材料未提供）", "(not given by the supplement)")
        let title: String
        switch (authority, zh) {
        case (let who?, true): title = "\(who)\(year)年政府信息公开工作年度报告"
        case (nil, true): title = "\(year)年政府信息公开工作年度报告（行政区划\(region)）"
        case (let who?, false): title = "\(who): annual report on government information disclosure, \(year)"
        case (nil, false): title = "Annual report on government information disclosure, \(year) (region \(region))"
        }
        return ReportDocument(
            languageTag: zh ? "zh-CN" : "en",
            title: title,
            subtitle: zh ? "行政区划代码 \(region) · \(year)年1月1日至12月31日" : "Division code \(region) · 1 January to 31 December \(year)",
            sections: [
                ReportSection(heading: t("一、总体情况", "I. Overview"), paragraphs: Figure.paragraphs(overview, missing: missing)),
                ReportSection(heading: t("二、主动公开政府信息情况", "II. Proactive disclosure of government information"),
                              tables: [proactiveTable(language)]),
                ReportSection(heading: t("三、收到和处理政府信息公开申请情况", "III. Requests for government information received and handled"),
                              tables: [requestTable(language)]),
                ReportSection(heading: t("四、政府信息公开行政复议、行政诉讼情况",
                                         "IV. Administrative reconsideration and litigation over government information disclosure"),
                              tables: [challengeTable(language)]),
                ReportSection(heading: t("五、存在的主要问题及改进情况", "V. Main problems and improvements"),
                              paragraphs: Figure.paragraphs(problemsAndImprovements, missing: missing)),
                ReportSection(heading: t("六、其他需要报告的事项", "VI. Other matters to report"),
                              paragraphs: Figure.paragraphs(otherMatters, missing: missing)),
            ],
            notesHeading: t("说明", "Notes"),
            notes: notes.map { $0.text(language) },
            landscape: false,
            linksLabel: t("其他语言和格式", "Other languages and formats"))
    }

    func proactiveTable(_ language: ReportLanguage) -> ReportTable {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let p = proactiveDisclosure
        let content = t("信息内容", "Information")
        let decisions = t("本年处理决定数量", "Decisions this year")
        let article = { (n: String, en: String) in t("第二十条第（\(n)）项", "Article 20(\(en))") }
        let documents: [(String, ProactiveDisclosure.DocumentCounts)] = [(t("规章", "Regulations (规章)"), p.regulations),
                                                                         (t("行政规范性文件", "Administrative normative documents"), p.normativeDocuments)]
        let counts = [t("本年制发件数", "Issued this year"), t("本年废止件数", "Repealed this year"), t("现行有效件数", "In force")]
        var body: [ReportRow] = [ReportRow([.column(article("一", "1"), columns: 4)]),
                                 ReportRow([ReportCell.column(content)] + counts.map { ReportCell.column($0) })]
        for (label, c) in documents {
            let figures: [ReportCell] = [c.issued, c.repealed, c.inForce].map { ReportCell.data(Figure.count($0)) }
            body.append(ReportRow([ReportCell.row(label)] + figures))
        }
        body += [ReportRow([.column(article("五", "5"), columns: 4)]), ReportRow([.column(content), .column(decisions, columns: 3)]),
                 ReportRow([.row(t("行政许可", "Administrative licensing")), .data(Figure.count(p.licensingDecisions), columns: 3)]),
                 ReportRow([.column(article("六", "6"), columns: 4)]), ReportRow([.column(content), .column(decisions, columns: 3)]),
                 ReportRow([.row(t("行政处罚", "Administrative punishment")), .data(Figure.count(p.punishmentDecisions), columns: 3)]),
                 ReportRow([.row(t("行政强制", "Administrative coercion")), .data(Figure.count(p.coercionDecisions), columns: 3)]),
                 ReportRow([.column(article("八", "8"), columns: 4)]),
                 ReportRow([.column(content), .column(t("本年收费金额（单位：万元）", "Amount collected this year (10,000 yuan)"), columns: 3)]),
                 ReportRow([.row(t("行政事业性收费", "Administrative and institutional fees")), .data(Figure.amount(p.feesCollected), columns: 3)])]
        var rows: [[String]] = []
        for (label, c) in documents {
            for (name, value) in zip(counts, [c.issued, c.repealed, c.inForce]) { rows.append([article("一", "1"), label, name, Figure.count(value)]) }
        }
        rows.append([article("五", "5"), t("行政许可", "Administrative licensing"), decisions, Figure.count(p.licensingDecisions)])
        rows.append([article("六", "6"), t("行政处罚", "Administrative punishment"), decisions, Figure.count(p.punishmentDecisions)])
        rows.append([article("六", "6"), t("行政强制", "Administrative coercion"), decisions, Figure.count(p.coercionDecisions)])
        rows.append([article("八", "8"), t("行政事业性收费", "Administrative and institutional fees"), t("本年收费金额（单位：万元）", "Amount collected this year (10,000 yuan)"),
                     Figure.amount(p.feesCollected)])
        return ReportTable(caption: t("主动公开政府信息情况", "Proactive disclosure"), head: [], body: body,
                           columns: [t("条款", "Article"), content, t("指标", "Figure"), t("数值", "Value")], rows: rows)
    }

    func requestTable(_ language: ReportLanguage) -> ReportTable {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let organisations = t("法人或其他组织", "Legal persons or other organisations")
        let head = [
            ReportRow([.column(t("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                                 "(In every column: item I plus item II equals item III plus item IV)"), columns: 3, rows: 3),
                       .column(t("申请人情况", "Applicants"), columns: 7)]),
            ReportRow([.column(ApplicantColumn.naturalPerson.label(language), rows: 2), .column(organisations, columns: 5),
                       .column(ApplicantColumn.total.label(language), rows: 2)]),
            ReportRow(ApplicantColumn.organisations.map { .column($0.label(language)) }),
        ]
        func figures(_ row: RequestRow) -> [ReportCell] { ApplicantColumn.all.map { ReportCell.data(String(requests.value(row, $0))) } }
        var body: [ReportRow] = [ReportRow([ReportCell.row(RequestRow.new.label(language), columns: 3)] + figures(.new)),
                                 ReportRow([ReportCell.row(RequestRow.carriedOver.label(language), columns: 3)] + figures(.carriedOver))]
        var previousGroup: RequestRowGroup?
        for (i, row) in RequestRow.results.enumerated() {
            var cells: [ReportCell] = []
            if i == 0 { cells.append(.row(t(RequestRow.resultsHeadingZh, RequestRow.resultsHeadingEn), rows: RequestRow.results.count)) }
            if let group = row.group {
                if group != previousGroup {
                    let size = RequestRow.results.filter { $0.group == group }.count
                    cells.append(.row(zh ? group.zh : group.en, rows: size))
                }
                cells.append(.row(row.label(language)))
            } else {
                cells.append(.row(row.label(language), columns: 2))
            }
            previousGroup = row.group
            body.append(ReportRow(cells + figures(row), total: row == .handledTotal))
        }
        body.append(ReportRow([ReportCell.row(RequestRow.carriedForward.label(language), columns: 3)] + figures(.carriedForward)))
        let columns = [t("项目", "Item")] + ApplicantColumn.all.map { $0.isOrganisation ? "\(organisations): \($0.label(language))" : $0.label(language) }
        let rows = RequestRow.all.map { row -> [String] in
            var label = row.label(language)
            if let g = row.group { label = (zh ? g.zh : g.en) + " " + label }
            if RequestRow.results.contains(row) { label = t(RequestRow.resultsHeadingZh, RequestRow.resultsHeadingEn) + " " + label }
            return [label] + ApplicantColumn.all.map { String(requests.value(row, $0)) }
        }
        return ReportTable(caption: t("收到和处理政府信息公开申请情况", "Requests received and handled"), head: head, body: body, columns: columns, rows: rows)
    }

    func challengeTable(_ language: ReportLanguage) -> ReportTable {
        let zh = language == .chinese
        func t(_ chinese: String, _ english: String) -> String { zh ? chinese : english }
        let outcomeLabels = [t("结果维持", "Upheld"), t("结果纠正", "Corrected"), t("其他结果", "Other result"), t("尚未审结", "Pending"), t("总计", "Total")]
        let reconsideration = t("行政复议", "Administrative reconsideration")
        let direct = t("未经复议直接起诉", "Sued without reconsideration"), after = t("复议后起诉", "Sued after reconsideration")
        let head = [
            ReportRow([.column(reconsideration, columns: 5), .column(t("行政诉讼", "Administrative litigation"), columns: 10)]),
            ReportRow(outcomeLabels.map { ReportCell.column($0, rows: 2) } + [ReportCell.column(direct, columns: 5), ReportCell.column(after, columns: 5)]),
            ReportRow((outcomeLabels + outcomeLabels).map { ReportCell.column($0) }),
        ]
        let c = challenges
        let figures: [Int] = c.reconsideration.figures + c.litigationDirect.figures + c.litigationAfterReconsideration.figures
        let body = [ReportRow(figures.map { ReportCell.data(String($0)) })]
        let litigation = t("行政诉讼", "Administrative litigation")
        let rows = [[reconsideration] + c.reconsideration.figures.map(String.init),
                    ["\(litigation) \(direct)"] + c.litigationDirect.figures.map(String.init),
                    ["\(litigation) \(after)"] + c.litigationAfterReconsideration.figures.map(String.init)]
        return ReportTable(caption: t("政府信息公开行政复议、行政诉讼情况", "Reconsideration and litigation"), head: head, body: body,
                           columns: [t("类别", "Kind")] + outcomeLabels, rows: rows)
    }
}
