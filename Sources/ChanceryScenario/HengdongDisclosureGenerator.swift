import ChanceryDomain

/// Hengdong county's disclosure streams (gov.disclosure) during 2025, none of which touches a published figure:
///
/// - documents of the county government and its units, each reviewed for confidentiality (保密审查) before it is
///   published, a share reported to the city portal (直报); some revised (and reported again when they had been),
///   a few withdrawn. One draft is first found not publishable and is published after a second review. (The county's
///   ten thousand portal items of SCENARIO.md are not generated: no figure is checked on them.)
/// - disclosure requests (依申请公开) answered within the statutory 20 working days: one needs a correction (补正),
///   one a third party's opinion (征求第三方意见), one an extension (延期答复). As SCENARIO.md says, Hengdong has no
///   reconsideration or lawsuit; those happen on a request to Hengyang city (``HengyangCityGenerator``).
struct HengdongDisclosureGenerator {
    let seed: UInt64
    var region = ReferenceScenario.hengdongRegion

    static let documents = 60
    static let revised = 6
    static let withdrawn = 3

    func source(_ department: String) -> String { "/\(region)/departments/\(department)" }

    func generate(into sink: inout EventSink) {
        generateDocuments(into: &sink)
        generateRequests(into: &sink)
    }

    func generateDocuments(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.documents")
        let units = ScenarioTables.hengdongDepartments
        let days = ScenarioCalendar.workdays(from: .ymd(2025, 1, 6), through: .ymd(2025, 11, 28))
        let publication = (0..<Self.documents).map { _ in rng.pick(days) }.sorted()
        let revisedDocuments = Set(rng.shuffled(Array(1..<Self.documents)).prefix(Self.revised + Self.withdrawn))
        let withdrawnDocuments = Set(revisedDocuments.sorted().prefix(Self.withdrawn))
        for (k, day) in publication.enumerated() {
            let (category, title, department) = document(&rng, units: units)
            let reviewer = ScenarioText.personName(&rng)
            var events: [(CivilDate, String, JSONValue)] = []
            let reviewed = day
            if k == 0 {
                // A draft with personal data: not publishable until the names are removed.
                events.append((reviewed, "gov.disclosure.document.reviewed", [
                    "conclusion": "not-publishable", "title": .string(title), "reviewer": .string(reviewer),
                    "note": "文中附件含有群众身份证号码等个人信息，不得公开，退回起草单位处理",
                ]))
                events.append((ScenarioCalendar.adding(workdays: 2, to: reviewed), "gov.disclosure.document.reviewed", [
                    "conclusion": "publishable", "title": .string(title), "reviewer": .string(reviewer), "note": "个人信息已删除，同意公开",
                ]))
            } else {
                let partial = rng.chance(0.1)
                events.append((reviewed, "gov.disclosure.document.reviewed", partial
                    ? ["conclusion": "partially-publishable", "title": .string(title), "reviewer": .string(reviewer), "note": "删除涉及个人隐私的内容后公开"]
                    : ["conclusion": "publishable", "title": .string(title), "reviewer": .string(reviewer)]))
            }
            let published = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.6), (1, 0.4)]), to: events.last!.0)
            events.append((published, "gov.disclosure.document.published", [
                "title": .string(title), "category": .string(category), "departmentCode": .string(department),
                "indexNumber": .string("\(region)-\(department)-2025-" + ScenarioText.pad(k + 1, 4)),
            ]))
            let reported = rng.chance(0.4)
            if reported {
                events.append((ScenarioCalendar.adding(workdays: rng.int(in: 0...1), to: published), "gov.disclosure.document.reported", [
                    "reportedTo": .string(ReferenceScenario.cityDirectReportingSystem),
                ]))
            }
            let later = ScenarioCalendar.adding(workdays: rng.int(in: 3...15), to: events.last!.0)
            if withdrawnDocuments.contains(k) {
                events.append((later, "gov.disclosure.document.withdrawn", [
                    "reason": .string(rng.pick(["信息已过时效，予以撤回", "经复查发现含有不宜公开的内部信息，予以撤回", "该文件已被新文件替代，予以撤回"])),
                ]))
            } else if revisedDocuments.contains(k) {
                events.append((later, "gov.disclosure.document.revised", [
                    "reason": "更正文中数据和联系电话错误", "title": .string(title + "（更正）"),
                ]))
                if reported {
                    events.append((ScenarioCalendar.adding(workdays: 1, to: later), "gov.disclosure.document.reported", [
                        "reportedTo": .string(ReferenceScenario.cityDirectReportingSystem),
                    ]))
                }
            }
            let times = ScenarioText.times(for: events.map(\.0), &rng)
            sink.append(subject: "document/\(region)/2025-" + ScenarioText.pad(k + 1, 4), source: source(department), region: region,
                        events: zip(times, events).map { ($0, $1.1, $1.2) })
        }
    }

    /// A document's category, title and publishing department.
    func document(_ rng: inout SplitMix64, units: [ScenarioTables.Department]) -> (String, String, String) {
        let unit = rng.pick(units)
        switch rng.int(in: 0...5) {
        case 0: return ("notices", "衡东县人民政府办公室关于" + rng.pick(["做好2025年防汛抗旱工作", "2025年国庆节、中秋节放假安排", "开展安全生产大排查大整治"]) + "的通知", "zfb")
        case 1: return ("work-updates", unit.name + rng.pick(["开展“高效办成一件事”宣传活动", "召开2025年度工作部署会", "深入企业开展走访服务"]), unit.code)
        case 2: return ("business-work", unit.name + rng.pick(["行政许可事项办理情况公示", "“双随机、一公开”抽查结果公示"]), unit.code)
        case 3: return ("fiscal-information", unit.name + rng.pick(["2025年部门预算公开", "2024年部门决算公开"]), unit.code)
        case 4: return ("plans", unit.name + "2025年工作要点", unit.code)
        default: return ("statistics", "衡东县2025年\(rng.int(in: 1...10))月主要经济指标", "zfb")
        }
    }

    func generateRequests(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.requests")
        func person() -> JSONValue { .string(ScenarioText.personName(&rng)) }
        let requests: [(String, [(CivilDate, String, JSONValue)])] = [
            ("zrzy", [
                (.ymd(2025, 3, 11), "gov.disclosure.request.received", [
                    "requesterName": person(), "requesterKind": "citizen", "departmentCode": "zrzy", "channel": "online",
                    "description": "申请公开本村土地征收相关文件",
                ]),
                (.ymd(2025, 3, 14), "gov.disclosure.request.supplement.requested", [
                    "correction": "请明确所申请的征收项目名称、批复年份及文件名称", "dueDate": "2025-03-25",
                ]),
                (.ymd(2025, 3, 20), "gov.disclosure.request.supplement.received", ["correction": "申请公开杨林镇2024年度第三批次建设用地征收补偿安置方案"]),
                (.ymd(2025, 4, 9), "gov.disclosure.request.answered", [
                    "outcome": "disclosed", "note": "已向申请人提供征收补偿安置方案及公告复印件",
                ]),
            ]),
            ("sthj", [
                (.ymd(2025, 5, 19), "gov.disclosure.request.received", [
                    "requesterName": person(), "requesterKind": "citizen", "departmentCode": "sthj", "channel": "mail",
                    "description": "申请公开村旁砖厂技改项目环境影响报告表及批复",
                ]),
                (.ymd(2025, 5, 22), "gov.disclosure.request.third.party.consulted", [
                    "thirdPartyName": .string(ScenarioText.companyName(&rng, county: "衡东县")), "thirdPartyKind": "legal-person",
                    "matter": "报告表中的生产工艺和原料配比是否涉及商业秘密",
                ]),
                (.ymd(2025, 6, 13), "gov.disclosure.request.answered", [
                    "outcome": "partially-disclosed", "reasonCode": "third-party-rights",
                    "reason": "第三方认为生产工艺部分涉及商业秘密，不同意公开，该部分不予公开",
                    "note": "已提供环评批复及删除生产工艺内容后的报告表",
                ]),
            ]),
            ("zjj", [
                (.ymd(2025, 7, 7), "gov.disclosure.request.received", [
                    "requesterName": person(), "requesterKind": "citizen", "departmentCode": "zjj", "channel": "in-person",
                    "description": "申请公开城关镇老旧小区改造项目的房屋征收补偿决定及评估报告",
                ]),
                (.ymd(2025, 7, 31), "gov.disclosure.request.extended", [
                    "reason": "所申请信息涉及多个年度档案，需调档核查，经机构负责人同意延期答复", "extensionLimit": 20,
                ]),
                (.ymd(2025, 8, 26), "gov.disclosure.request.answered", [
                    "outcome": "disclosed", "note": "已向申请人提供房屋征收补偿决定及分户评估报告",
                ]),
            ]),
            ("czj", [
                (.ymd(2025, 9, 15), "gov.disclosure.request.received", [
                    "requesterName": person(), "requesterKind": "citizen", "departmentCode": "czj", "channel": "online",
                    "description": "申请公开2019年县财政局党组会议纪要",
                ]),
                (.ymd(2025, 9, 26), "gov.disclosure.request.answered", [
                    "outcome": "cannot-provide", "reasonCode": "not-held", "reason": "经检索，本机关未制作该年度党组会议纪要的公开文本",
                ]),
            ]),
        ]
        for (n, (department, dated)) in requests.enumerated() {
            let times = ScenarioText.times(for: dated.map(\.0), &rng)
            sink.append(subject: "request/\(region)/2025-" + ScenarioText.pad(n + 1, 3), source: source(department), region: region,
                        events: zip(times, dated).map { ($0, $1.1, $1.2) })
        }
    }
}
