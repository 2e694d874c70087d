import ChanceryDomain

/// The events of the steps added by ``HengdongGenerator/enrich(_:_:)`` and the catalogue's changes during the year.
extension HengdongGenerator {
    /// The county's electronic supervision office (电子监察室), which urges late cases (督办).
    static let supervisionOffice = "衡东县政务服务中心电子监察室"

    /// The event of an added step of `c` (special procedures, upward reports, delivery, withdrawal, urging, rating).
    func extraEvent(_ step: Step, at time: LocalTime, of c: Case, item: ScenarioItem, people: [String],
                    _ rng: inout SplitMix64) -> (LocalTime, String, JSONValue) {
        switch step {
        case .specialProcedureStarted(let kind, let limit):
            let texts = Self.specialProcedureTexts[kind]!
            return (time, "gov.approval.case.special.procedure.started", [
                "specialProcedureKind": .string(kind), "specialProcedureReason": .string(texts.reason),
                "specialProcedureLimit": .integer(Int64(limit)), "approvedBy": .string(people[3]),
            ])
        case .specialProcedureEnded(let kind):
            return (time, "gov.approval.case.special.procedure.ended", [
                "specialProcedureKind": .string(kind), "specialProcedureResult": .string(Self.specialProcedureTexts[kind]!.result),
            ])
        case .reportedUpward:
            return (time, "gov.approval.case.reported.upward", [
                "reportedTo": .string(Self.cityCounterpart(of: item.department)), "reportedToRegion": .string(ReferenceScenario.cityRegion),
                "reason": "该事项须报市级主管部门审批，县级已完成初审，现报送审批",
            ])
        case .returnedFromUpward:
            return (time, "gov.approval.case.returned.from.upward", c.approved
                ? ["upwardResult": "approved", "opinion": "经审查，同意县级初审意见，请按程序办结"]
                : ["upwardResult": "disapproved", "opinion": "经审查，申请不符合法定条件，不予批准，请依法告知申请人"])
        case .delivered:
            let method = rng.pick([("electronic", 0.45), ("window", 0.35), ("mail", 0.2)])
            var data: [String: JSONValue] = ["deliveryMethod": .string(method)]
            if method == "mail" { data["trackingNumber"] = .string("11" + ScenarioText.pad(rng.int(in: 0...99_999_999_999), 11)) }
            return (time, "gov.approval.case.delivered", .object(data))
        case .withdrawn:
            let reason = c.accepted == nil
                ? rng.pick(["申请人材料准备不全，申请撤回，待补齐后重新申报", "申请人项目计划调整，主动申请撤回", "申请人误选申报事项，申请撤回后重新申报"])
                : "申请人未在规定期限内补正材料，书面申请撤回"
            return (time, "gov.approval.case.withdrawn", ["reason": .string(reason)])
        case .urged:
            let deadline = ScenarioCalendar.adding(workdays: 3, to: time.date)
            return (time, "gov.approval.case.urged", [
                "urgedBy": .string(Self.supervisionOffice),
                "reason": .string("该办件已超过承诺办结时限（\(item.promisedLimit)个工作日），请承办单位加快办理并书面说明超期原因"),
                "deadline": .string(deadline.description),
            ])
        case .rated(let code):
            var data: [String: JSONValue] = [
                "satisfactionCode": .integer(Int64(code)),
                "channel": .string(rng.pick(["window-device", "online", "app", "sms"])),
            ]
            if code >= 4 { data["comment"] = .string(rng.pick(Self.badRatingComments)) }
            else if rng.chance(0.2) { data["comment"] = .string(rng.pick(["办事效率高，服务态度好", "一次办好，很方便", "窗口人员耐心细致"])) }
            return (time, "gov.approval.case.rated", .object(data))
        case .badRatingRectified:
            return (time, "gov.approval.case.bad.rating.rectified", [
                "rectification": .string(rng.pick(Self.rectifications)),
                "followUpSatisfactionCode": .integer(Int64(rng.pick([(1, 0.3), (2, 0.5), (3, 0.2)]))),
            ])
        default:
            preconditionFailure("\(step) is emitted by emitCases")
        }
    }

    /// The city department a county unit reports upward to (衡东县X局 → 衡阳市X局).
    static func cityCounterpart(of department: ScenarioTables.Department) -> String {
        department.name.hasPrefix("衡东县") ? "衡阳市" + department.name.dropFirst(3) : "衡阳市行政审批服务局"
    }

    static let specialProcedureTexts: [String: (reason: String, result: String)] = [
        "hearing": ("申请事项直接关系他人重大利益，依利害关系人申请组织听证", "听证会已依法举行，听证笔录作为作出决定的依据"),
        "expert-review": ("申请事项技术性强，依法组织专家评审", "专家评审通过，出具书面评审意见"),
        "inspection": ("需对申请人经营场所及设施进行现场核查", "现场核查完毕，核查结果符合要求"),
        "public-notice": ("依法需向社会公示，公示期满无异议后作出决定", "公示期满，未收到异议"),
        "extension": ("情况复杂，经本机关负责人批准延长审查期限", "在延长期限内完成审查"),
    ]

    static let badRatingComments = [
        "办理时间太长，多次催问才办好", "窗口工作人员态度生硬", "要求重复提交材料，跑了好几趟", "网上申报系统操作复杂，咨询电话无人接听",
    ]

    static let rectifications = [
        "已电话回访申请人说明情况并致歉；对窗口工作人员进行批评教育，组织服务礼仪培训",
        "已核实情况，优化内部流转环节，压缩审查时间，并向申请人反馈整改结果",
        "已梳理材料清单，取消重复提交的材料，在办事指南中明确告知，申请人表示认可",
        "已安排专人值守咨询电话，并对网上申报页面进行优化，回访申请人表示满意",
    ]

    // MARK: The catalogue during the year

    /// Items revised and confirmed again (ItemRevised, ItemConfirmed), and one item cancelled after its last case
    /// (ItemRetired): events of each item's stream by item index, after its registration and first confirmation.
    func catalogChanges(_ items: [ScenarioItem], _ cases: [Case]) -> [Int: [(LocalTime, String, JSONValue)]] {
        var rng = SplitMix64(seed: seed, stream: "hengdong.catalog.changes")
        let confirmer = confirmers()
        var changes: [Int: [(LocalTime, String, JSONValue)]] = [:]
        // The item whose cases end earliest is cancelled on the first working day of the following month.
        var lastDay: [Int: CivilDate] = [:]
        for c in cases { lastDay[c.item] = max(lastDay[c.item] ?? c.timeline.last!.1, c.timeline.last!.1) }
        let (retired, last) = lastDay.min { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }!
        let firstOfMonth = CivilDate.ymd(last.year, last.month, 1).adding(days: 32)
        let retirement = ScenarioCalendar.workday(onOrAfter: .ymd(firstOfMonth.year, firstOfMonth.month, 1))
        precondition(retirement <= Self.yearEnd, "the retired item's last case ends too late in the year")
        changes[retired] = [(LocalTime(date: retirement, second: 9 * 3600), "gov.catalog.item.retired", [
            "retirementKind": "cancelled",
            "reason": "根据《湖南省人民政府关于取消和调整一批行政权力事项的决定》，该事项予以取消",
            "effectiveDate": .string(retirement.description),
        ])]
        // Revisions: the legal basis updated after the provincial regulation on the business environment.
        let revised = rng.shuffled(items.indices.filter { $0 != retired }).prefix(Self.revisedItems)
        let days = ScenarioCalendar.workdays(from: .ymd(2025, 3, 3), through: .ymd(2025, 9, 30))
        for i in revised.sorted() {
            let item = items[i]
            let day = rng.pick(days)
            let confirmed = ScenarioCalendar.adding(workdays: rng.int(in: 1...5), to: day)
            let times = ScenarioText.times(for: [day, confirmed], &rng)
            changes[i] = [
                (times[0], "gov.catalog.item.revised", [
                    "reason": "依据《湖南省优化营商环境规定》更新设定依据，精简申请材料",
                    "legalBasis": .string(item.legalBasis + "；《湖南省优化营商环境规定》"),
                ]),
                (times[1], "gov.catalog.item.confirmed", [
                    "departmentCode": .string(item.department.code), "confirmedBy": .string(confirmer[item.department.code]!),
                ]),
            ]
        }
        return changes
    }

    /// Items whose legal basis is revised during the year.
    static let revisedItems = 6
}
