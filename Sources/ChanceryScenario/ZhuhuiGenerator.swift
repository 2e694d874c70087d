import ChanceryDomain

/// Zhuhui district (珠晖区, 430405): proactive disclosure, the item catalogue clean-up and one disclosure request.
struct ZhuhuiGenerator {
    let seed: UInt64
    let region = ReferenceScenario.zhuhuiRegion

    func source(_ department: String) -> String { "/\(region)/departments/\(department)" }

    func generate(into sink: inout EventSink) {
        generateItems(into: &sink)
        generateDocuments(into: &sink)
        generateRequest(into: &sink)
    }

    // MARK: Item catalogue clean-up (事项清理), 19 October – 13 November

    func generateItems(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "zhuhui.items")
        let owners = ScenarioTables.zhuhuiDepartments.filter { $0.items > 0 }
        var items: [ScenarioItem] = []
        for (di, dept) in owners.enumerated() {
            // Non-licensing approvals appear once each; licensing bases fill the rest with variants.
            let nonLicensing = dept.bases.filter { $0.1 == "N" }
            let licensing = dept.bases.filter { $0.1 == "L" }
            var names: [(String, Character)] = nonLicensing
            outer: for variant in ScenarioTables.variants {
                for base in licensing {
                    if names.count >= dept.items { break outer }
                    names.append((base.0 + variant, "L"))
                }
            }
            precondition(names.count == dept.items, "not enough item names for \(dept.code)")
            for (k, (name, kind)) in names.enumerated() {
                let code = region + ScenarioTables.kindPrefix(kind) + ScenarioText.pad(di + 1, 2) + ScenarioText.pad(k + 1, 3)
                items.append(ScenarioItem(code: code, name: name, kind: ScenarioTables.kindCode(kind), department: dept,
                                          caseType: "promised", promisedLimit: 0, statutoryLimit: 0))
            }
        }
        // Case types: 16 reported-upward (上报件), 1 joint (联办件), the rest promised or immediate.
        let order = rng.shuffled(Array(items.indices))
        for (rank, i) in order.enumerated() {
            switch rank {
            case 0..<16:
                items[i].caseType = "reported-upward"
                items[i].promisedLimit = rng.pick([10, 15, 20])
                items[i].statutoryLimit = max(items[i].promisedLimit, rng.pick([20, 30]))
            case 16:
                items[i].caseType = "joint"
                items[i].promisedLimit = 15
                items[i].statutoryLimit = 20
            default:
                if rng.chance(0.22) {
                    items[i].caseType = "immediate"
                    items[i].promisedLimit = 0
                    items[i].statutoryLimit = rng.pick([0, 20])
                } else {
                    items[i].promisedLimit = rng.pick([1, 3, 5, 5, 7, 10, 10, 15])
                    items[i].statutoryLimit = max(items[i].promisedLimit, rng.pick([20, 20, 30]))
                }
            }
        }
        // Registered on Friday 17 October; each department confirms all its items on one day, the first on
        // Sunday 19 October (the clean-up's start) and the last on Thursday 13 November.
        let registration = CivilDate.ymd(2025, 10, 17)
        let first = CivilDate.ymd(2025, 10, 19), last = CivilDate.ymd(2025, 11, 13)
        let middle = ScenarioCalendar.workdays(from: first.adding(days: 1), through: last.adding(days: -1))
        var confirmationDays = [first, last]
        for _ in 0..<(owners.count - 2) { confirmationDays.append(rng.pick(middle)) }
        confirmationDays.sort()
        let confirmationOrder = rng.shuffled(owners.map(\.code))
        var confirmationDay: [String: CivilDate] = [:]
        for (k, code) in confirmationOrder.enumerated() { confirmationDay[code] = confirmationDays[k] }
        var confirmer: [String: String] = [:]
        for code in confirmationOrder { confirmer[code] = ScenarioText.personName(&rng) }

        var perDayIndex: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let registered = LocalTime(date: registration, second: 9 * 3600 + i * 150)
            let code = item.department.code
            let n = perDayIndex[code, default: 0]
            perDayIndex[code] = n + 1
            let confirmed = LocalTime(date: confirmationDay[code]!, second: 9 * 3600 + 20 * 60 + n * 240)
            sink.append(subject: "item/\(region)/\(item.code)", source: source(code), region: region, events: [
                (registered, "gov.catalog.item.registered", item.registeredData),
                (confirmed, "gov.catalog.item.confirmed", [
                    "departmentCode": .string(code), "confirmedBy": .string(confirmer[code]!),
                ]),
            ])
        }
    }

    // MARK: Proactive disclosure (主动公开) and direct reporting (直报)

    func generateDocuments(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "zhuhui.documents")
        let figures = ReferenceScenario.expectedFigures.zhuhui
        let departments = ScenarioTables.zhuhuiDepartments
        var categories: [String] = []
        for category in EventCatalog.disclosureCategories {
            categories += Array(repeating: category, count: figures.documentsByCategory[category] ?? 0)
        }
        categories = rng.shuffled(categories)
        // Publication days over the year's working days, up to 24 December so that every report falls in 2025.
        let days = ScenarioCalendar.workdays(from: .ymd(2025, 1, 2), through: .ymd(2025, 12, 24))
        var publicationDays = (0..<categories.count).map { _ in rng.pick(days) }
        publicationDays.sort()

        let overviewOrder = rng.shuffled(departments.map(\.code))
        let workOrder = rng.shuffled(departments.map(\.code))
        let approvalUnits = departments.filter { $0.items > 0 }.map(\.code)
        var overviewCount = 0, workCount = 0, normativeCount = 0
        func name(_ code: String) -> String { departments.first { $0.code == code }!.name }
        func anyDepartment() -> String { rng.pick(departments).code }

        for (k, category) in categories.enumerated() {
            var department: String
            var title: String
            var documentNumber: String?
            switch category {
            case "overview":
                // First an overview of every department (机构职能), then updates of them.
                if overviewCount < overviewOrder.count {
                    department = overviewOrder[overviewCount]
                    title = "\(name(department))机构职能"
                } else {
                    department = rng.chance(0.5) ? "zfb" : anyDepartment()
                    title = name(department) + rng.pick(["领导信息", "内设机构及职责", "办公地址及联系方式", "权责清单"])
                }
                overviewCount += 1
            case "notices":
                department = rng.chance(0.5) ? "zfb" : anyDepartment()
                title = "关于" + rng.pick(Self.noticeTopics) + "的通知"
            case "work-updates":
                department = workOrder[workCount % workOrder.count]
                workCount += 1
                title = name(department) + rng.pick(Self.workUpdates)
            case "normative-documents":
                department = "zfb"
                normativeCount += 1
                documentNumber = "珠政发〔2025〕\(normativeCount)号"
                title = "珠晖区人民政府关于印发《" + rng.pick(Self.normativeTopics) + "》的通知"
            case "plans":
                let r = rng.double()
                department = r < 0.4 ? "fgj" : r < 0.7 ? "zfb" : anyDepartment()
                title = name(department) + rng.pick(["2025年工作计划", "2025年工作要点", "“十五五”规划编制工作方案", "2025年上半年工作总结"])
            case "business-work":
                department = rng.pick(approvalUnits)
                title = name(department) + rng.pick(["行政许可事项办理情况公示", "“双随机、一公开”抽查结果公示", "政务服务事项办事指南更新", "行政处罚决定信息公开"])
            case "major-construction":
                department = "fgj"
                title = "珠晖区2025年重大建设项目名单及进展情况"
            case "fiscal-information":
                department = "czj"
                title = rng.pick(["珠晖区2025年区级预算公开", "珠晖区2024年区级决算公开", "珠晖区2025年“三公”经费预算说明", "珠晖区政府债务限额及余额情况"])
            case "emergency-management":
                department = "yjj"
                title = rng.pick(["珠晖区防汛抗旱应急预案", "珠晖区突发事件总体应急预案（修订）"])
            case "statistics":
                department = "tjj"
                title = "珠晖区2025年\(rng.int(in: 1...11))月主要经济指标"
            case "personnel":
                department = rng.chance(0.6) ? "rsj" : "zfb"
                title = rng.pick(["珠晖区2025年事业单位公开招聘工作人员公告", "拟任职干部任前公示", "公开招聘人员拟聘用名单公示", "干部任免通知"])
            default:
                department = anyDepartment()
                title = name(department) + rng.pick(["政府信息公开工作年度报告", "政府信息公开指南", "意见征集结果反馈"])
            }
            let number = "2025-" + ScenarioText.pad(k + 1, 4)
            let published = publicationDays[k]
            let r = rng.double()
            let reportedDay = r < 0.75 ? published : ScenarioCalendar.adding(workdays: r < 0.95 ? 1 : 2, to: published)
            let times = ScenarioText.times(for: [published, reportedDay], &rng)
            var data: [String: JSONValue] = [
                "title": .string(title), "category": .string(category), "departmentCode": .string(department),
            ]
            if let documentNumber { data["documentNumber"] = .string(documentNumber) }
            sink.append(subject: "document/\(region)/\(number)", source: source(department), region: region, events: [
                (times[0], "gov.disclosure.document.published", .object(data)),
                (times[1], "gov.disclosure.document.reported", ["reportedTo": .string(ReferenceScenario.cityDirectReportingSystem)]),
            ])
        }
    }

    // MARK: The year's one disclosure request (依申请公开)

    func generateRequest(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "zhuhui.request")
        let received = LocalTime(date: .ymd(2025, 5, 12), second: 10 * 3600 + 20 * 60)
        let answered = LocalTime(date: .ymd(2025, 5, 23), second: 15 * 3600 + 40 * 60)
        sink.append(subject: "request/\(region)/2025-001", source: source("rsj"), region: region, events: [
            (received, "gov.disclosure.request.received", [
                "requesterName": .string(ScenarioText.personName(&rng)),
                "requesterKind": "citizen",
                "description": "本人系企业退休职工，申请公开衡阳市关于下岗失业人员养老保险缴费问题的文件",
                "departmentCode": "rsj",
                "channel": "in-person",
            ]),
            (answered, "gov.disclosure.request.answered", [
                "outcome": "disclosed",
                "note": "所申请文件已在区社会保障服务大厅张贴公开，已告知申请人到社保大厅查阅",
            ]),
        ])
    }

    static let noticeTopics = [
        "做好2025年春节期间安全生产工作", "开展2025年度城乡居民医疗保险集中参保缴费", "做好清明节期间森林防火工作",
        "调整区政务服务中心窗口工作时间", "开展城镇燃气安全专项排查整治", "做好2025年防汛抗旱工作", "2025年国庆节、中秋节放假安排",
        "开展“双随机、一公开”联合抽查", "征集2026年区重点民生实事项目意见", "开展第二十五个全国中小学生安全教育日活动",
    ]

    static let workUpdates = [
        "召开2025年度工作部署会", "开展安全生产大检查", "深入企业开展走访服务", "开展政务服务“好差评”回访",
        "推进“高效办成一件事”改革", "开展防汛应急演练", "开展政策宣讲进社区活动", "召开党风廉政建设工作会议",
        "开展优化营商环境专项督查", "组织业务能力提升培训", "开展“我为群众办实事”活动", "推进重点项目建设",
    ]

    static let normativeTopics = [
        "珠晖区政府投资项目管理办法", "珠晖区城市管理考核办法", "珠晖区促进民营经济发展若干措施", "珠晖区农村集体资产管理办法",
        "珠晖区行政规范性文件管理规定", "珠晖区政务服务“一网通办”实施办法",
    ]
}
