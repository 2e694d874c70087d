import ChanceryDomain

/// Hengdong county's interaction channels (gov.interaction) during 2025:
///
/// - the mailboxes of the Party secretary and the county head (书记/县长信箱), run by the county government office:
///   letters received, accepted, transferred to a unit (some returned by a unit that is not responsible and
///   transferred again), escalated to a county leader, urged by the county's inspection office, extended once, and
///   replied — all within the reply limit (15 working days, or 30 with the extension);
/// - consultations (咨询) and complaints (投诉) about approval items, all answered within their reply limits (3 and
///   5 working days): the 100% replies-in-time target of SCENARIO.md. Some complaints name the case they are about.
struct HengdongInteractionGenerator {
    /// What this generator needs of a numbered case.
    struct CaseReference {
        var subject: String
        var item: Int
        var accepted: CivilDate?
    }

    let seed: UInt64
    let items: [ScenarioItem]
    let cases: [CaseReference]
    var region = ReferenceScenario.hengdongRegion

    static let letters = 150
    static let consultations = 360
    static let complaints = 48
    /// Reply limits in working days: letters (extended once by the same), consultations, complaints.
    static let letterReplyLimit = 15
    static let consultationReplyLimit = 3
    static let complaintReplyLimit = 5
    /// The county government office (县人民政府办公室), which runs the mailboxes and the consultation desk.
    static let office = (code: "zfb", name: "衡东县人民政府办公室")

    func source(_ department: String) -> String { "/\(region)/departments/\(department)" }

    func generate(into sink: inout EventSink) {
        generateLetters(into: &sink)
        generateConsultations(into: &sink)
        generateComplaints(into: &sink)
    }

    /// Dated events (dates non-decreasing) with office times assigned.
    func timed(_ events: [(CivilDate, String, JSONValue)], _ rng: inout SplitMix64) -> [(LocalTime, String, JSONValue)] {
        zip(ScenarioText.times(for: events.map(\.0), &rng), events).map { ($0, $1.1, $1.2) }
    }

    // MARK: Mailbox letters (书记/县长信箱)

    func generateLetters(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.letters")
        let departments = ScenarioTables.hengdongDepartments
        let days = ScenarioCalendar.workdays(from: .ymd(2025, 1, 2), through: .ymd(2025, 11, 28))
        let received = (0..<Self.letters).map { _ in rng.pick(days) }.sorted()
        // Each letter draws its own fate; the first ones are guaranteed each kind of handling.
        for (n, day) in received.enumerated() {
            let topic = rng.pick(Self.letterTopics)
            let town = rng.pick(Self.towns)
            let writer = ScenarioText.personName(&rng)
            var events: [(CivilDate, String, JSONValue)] = []
            let consent = rng.chance(0.6)
            var receivedData: [String: JSONValue] = [
                "mailbox": .string(rng.chance(0.4) ? "secretary" : "county-head"), "writerName": .string(writer),
                "title": .string(topic.title.replacingTown(with: town)), "content": .string(topic.content.replacingTown(with: town)),
                "letterKind": .string(topic.kind), "publishConsent": .bool(consent),
            ]
            if rng.chance(0.9) { receivedData["writerPhone"] = .string(ScenarioText.mobile(&rng)) }
            events.append((day, "gov.interaction.letter.received", .object(receivedData)))
            let accepted = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.6), (1, 0.4)]), to: day)
            events.append((accepted, "gov.interaction.letter.accepted", [
                "handler": .string(Self.office.name), "replyLimit": .integer(Int64(Self.letterReplyLimit)),
            ]))
            var limit = Self.letterReplyLimit
            var current = accepted
            func next(_ workdays: Int) -> CivilDate {
                current = max(current, ScenarioCalendar.adding(workdays: workdays, to: accepted))
                return current
            }
            let returned = n == 1 || rng.chance(0.08)
            let escalated = n == 2 || rng.chance(0.06)
            let urged = n == 3 || rng.chance(0.1)
            let extended = n == 4 || n == 3 || rng.chance(0.12)
            if escalated {
                events.append((next(1), "gov.interaction.letter.escalated", [
                    "escalatedTo": .string(rng.pick(["县委书记", "县长", "分管副县长"])), "reason": "来信反映问题涉及多个部门职责，呈请县领导批示",
                ]))
            }
            let handler = departments.first { $0.code == topic.department }!
            var replier = Self.office.code
            if n == 0 || returned || rng.chance(0.7) {
                if returned {
                    let wrong = rng.pick(departments.filter { $0.code != handler.code })
                    events.append((next(1), "gov.interaction.letter.transferred", transfer(to: wrong, limit: 10)))
                    events.append((next(2), "gov.interaction.letter.returned", [
                        "reason": .string("来信反映事项不属于本单位职责范围，建议转\(handler.name)办理"), "byDepartmentCode": .string(wrong.code),
                    ]))
                }
                events.append((next(returned ? 3 : 1), "gov.interaction.letter.transferred", transfer(to: handler, limit: 10)))
                replier = handler.code
            }
            if urged {
                events.append((next(rng.int(in: 8...11)), "gov.interaction.letter.urged", [
                    "urgedBy": "衡东县人民政府督查室", "reason": "该信件即将到期，请承办单位抓紧办理并按时答复",
                    "deadline": .string(ScenarioCalendar.adding(workdays: limit, to: accepted).description),
                ]))
            }
            if extended {
                events.append((next(rng.int(in: 12...14)), "gov.interaction.letter.extension.granted", [
                    "extensionLimit": .integer(Int64(Self.letterReplyLimit)), "reason": "来信反映问题涉及历史遗留问题，需多部门会商并现场调查，申请延期答复",
                ]))
                limit += Self.letterReplyLimit
            }
            let reply = next(extended ? rng.int(in: 16...limit) : rng.int(in: 3...limit))
            precondition(ScenarioCalendar.workdays(after: accepted, through: reply) <= limit, "a letter is replied in time")
            events.append((reply, "gov.interaction.letter.replied", [
                "reply": .string(topic.reply.replacingTown(with: town)), "repliedBy": .string(replier), "published": .bool(consent),
            ]))
            let number = "2025-" + ScenarioText.pad(n + 1, 4)
            sink.append(subject: "letter/\(region)/\(number)", source: source(Self.office.code), region: region, events: timed(events, &rng))
        }
    }

    func transfer(to department: ScenarioTables.Department, limit: Int) -> JSONValue {
        [
            "toDepartmentCode": .string(department.code), "toDepartmentName": .string(department.name),
            "instruction": "请按职责认真调查处理，并在规定时限内答复来信人", "replyLimit": .integer(Int64(limit)),
        ]
    }

    // MARK: Consultations (咨询) and complaints (投诉) about approval items

    func generateConsultations(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.consultations")
        let days = ScenarioCalendar.workdays(from: .ymd(2025, 1, 2), through: .ymd(2025, 12, 24))
        let received = (0..<Self.consultations).map { _ in rng.pick(days) }.sorted()
        for (n, day) in received.enumerated() {
            let item = rng.pick(items)
            let question = rng.pick(Self.questions)
            var data: [String: JSONValue] = [
                "question": .string(question.0 + item.name + question.1), "departmentCode": .string(item.department.code),
                "itemCode": .string(item.code), "askerName": .string(ScenarioText.personName(&rng)),
                "channel": .string(rng.pick(["online", "phone", "window"])), "replyLimit": .integer(Int64(Self.consultationReplyLimit)),
            ]
            if rng.chance(0.7) { data["askerPhone"] = .string(ScenarioText.mobile(&rng)) }
            let answered = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.5), (1, 0.3), (2, 0.15), (3, 0.05)]), to: day)
            let events: [(CivilDate, String, JSONValue)] = [
                (day, "gov.interaction.consultation.received", .object(data)),
                (answered, "gov.interaction.consultation.answered", [
                    "answer": .string("您好！办理" + item.name + "的申请材料、办理流程和承诺时限（"
                        + (item.promisedLimit == 0 ? "即办" : "\(item.promisedLimit)个工作日") + "）已在湖南省政务服务网衡东县站点公布，"
                        + "可全程网上申报，也可到县政务服务中心\(item.department.name)窗口办理。"),
                    "answeredBy": .string(item.department.name),
                ]),
            ]
            sink.append(subject: "consultation/\(region)/2025-" + ScenarioText.pad(n + 1, 4), source: source(item.department.code),
                        region: region, events: timed(events, &rng))
        }
    }

    func generateComplaints(into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.complaints")
        let accepted = cases.filter { $0.accepted.map { $0 <= .ymd(2025, 12, 10) } ?? false }
        var complaints: [(CivilDate, CaseReference)] = (0..<Self.complaints).map { _ in
            let c = rng.pick(accepted)
            return (ScenarioCalendar.adding(workdays: rng.int(in: 1...8), to: c.accepted!), c)
        }
        complaints.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.subject < $1.1.subject }
        for (n, (day, c)) in complaints.enumerated() {
            let item = items[c.item]
            let complaint = rng.pick(Self.complaintTopics)
            var data: [String: JSONValue] = [
                "content": .string("本人申办" + item.name + "，" + complaint.content), "departmentCode": .string(item.department.code),
                "complainantName": .string(ScenarioText.personName(&rng)), "itemCode": .string(item.code),
                "caseSubject": .string(c.subject), "channel": .string(rng.pick(["online", "phone", "12345"])),
                "replyLimit": .integer(Int64(Self.complaintReplyLimit)),
            ]
            if rng.chance(0.85) { data["complainantPhone"] = .string(ScenarioText.mobile(&rng)) }
            let answered = ScenarioCalendar.adding(workdays: rng.int(in: 1...Self.complaintReplyLimit), to: day)
            let substantiated = rng.chance(0.4)
            let events: [(CivilDate, String, JSONValue)] = [
                (day, "gov.interaction.complaint.received", .object(data)),
                (answered, "gov.interaction.complaint.answered", [
                    "answer": .string(substantiated ? complaint.substantiated : complaint.unsubstantiated), "substantiated": .bool(substantiated),
                    "answeredBy": .string(item.department.name),
                ]),
            ]
            sink.append(subject: "complaint/\(region)/2025-" + ScenarioText.pad(n + 1, 4), source: source(item.department.code),
                        region: region, events: timed(events, &rng))
        }
    }
}

private extension String {
    /// The text with each `※` (the township placeholder of the letter tables) replaced by `town`.
    func replacingTown(with town: String) -> String {
        String(flatMap { $0 == "※" ? Array(town) : [$0] })
    }
}
