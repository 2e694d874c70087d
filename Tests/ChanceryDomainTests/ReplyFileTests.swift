import ChanceryDomain
import Foundation
import Testing

// The one fold of a stream that owes a reply (ReplyFile) and the typed events it folds: table tests on the CN calendar.
// Working days are counted by hand from the 2025 State Council holiday notice (National Day 10-01 … 10-08 off, Sunday
// 09-28 and Saturday 10-11 worked).

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

/// Folds `events` (glossary name, data, day) from nothing; every name must decode.
private func fold(_ events: [(String, JSONValue, String)], rules: ReplyFile.Rules = .init()) throws -> ReplyFile? {
    try events.reduce(nil as ReplyFile?) { file, e in
        let event = try #require(ReplyEvent(name: e.0, data: e.1), "\(e.0) decodes")
        return ReplyFile.evolve(file, event, on: day(e.2), calendar: cn, rules: rules)
    }
}

@Suite("Reply file: the one fold of a request, letter, consultation or complaint")
struct ReplyFileTests {
    @Test func everyCataloguedReplyTypeDecodesAndNothingElse() {
        let kinds: Set<String> = ["request", "letter", "consultation", "complaint"]
        let types = EventCatalog.all.filter { kinds.contains($0.streamKind) }
        #expect(types.count == 22)
        for type in types {
            #expect(ReplyEvent(name: type.name, data: [:])?.name == type.name, "\(type.name)")
        }
        for type in EventCatalog.all where !kinds.contains(type.streamKind) {
            #expect(ReplyEvent(name: type.name, data: [:]) == nil, "\(type.name)")
        }
        #expect(ReplyEvent(name: "LetterUrged", data: ["deadline": "2025-02-30"]) == .letterUrged(deadline: nil))
        #expect(ReplyEvent(name: "ComplaintAnswered", data: ["substantiated": true]) == .inquiryAnswered(kind: .complaint, substantiated: true))
        // every document and item type decodes into its own typed value, and its name round-trips
        for type in EventCatalog.all where type.streamKind == "document" {
            #expect(DocumentEvent(name: type.name, data: [:])?.name == type.name, "\(type.name)")
        }
        for type in EventCatalog.all where type.streamKind == "item" {
            #expect(ItemEvent(name: type.name, data: [:])?.name == type.name, "\(type.name)")
        }
    }

    @Test func aRequestStopsForACorrectionAndIsAnsweredInTimeAfterItsExtension() throws {
        // received Friday 09-19 (order 711: 20 working days → 10-23 without a pause); correction requested 09-22, received
        // 09-26: the count starts again the day after; extended by 20; third party consulted.
        let file = try #require(try fold([
            ("DisclosureRequestReceived", ["departmentCode": "zfb", "requesterName": "张三", "requesterKind": "natural-person",
                                           "description": "…"], "2025-09-19"),
            ("DisclosureSupplementRequested", ["correction": "写明文件名称"], "2025-09-22"),
            ("DisclosureSupplementReceived", [:], "2025-09-26"),
            ("DisclosureRequestExtended", ["extensionLimit": 20, "reason": "复杂"], "2025-10-20"),
            ("ThirdPartyConsulted", ["thirdPartyName": "某公司"], "2025-10-21"),
            ("DisclosureRequestAnswered", ["outcome": "disclosed", "note": "已公开"], "2025-11-20"),
        ]))
        #expect(file.kind == "request")
        #expect(file.departmentCode == "zfb" && file.responsibleUnit == "zfb")
        #expect(file.extensionLimit == WorkingDays(20))
        #expect(file.thirdPartyConsultations == 1)
        #expect(file.outcome == "disclosed")
        #expect(file.answeredOn == day("2025-11-20"))
        guard case .request(let clock) = file.clock else { Issue.record("not a request clock"); return }
        #expect(clock.supplementReceivedOn == day("2025-09-26"))
        #expect(file.answeredInTime(calendar: cn) == clock.answeredInTime(answeredOn: day("2025-11-20"), calendar: cn))
        #expect(file.answeredInTime(calendar: cn) == true)
        // a second answer is refused by the rules and changes nothing
        let again = ReplyFile.evolve(file, .requestAnswered(outcome: "not-disclosed", note: nil), on: day("2025-11-21"), calendar: cn, rules: .init())
        #expect(again == file)
        #expect(!ReplyFile.allows(.requestAnswered(outcome: nil, note: nil), after: file))
    }

    @Test func aLetterIsHeldByTheDepartmentItWasTransferredToUntilReturnedAndItsUrgeIsMetByTheReply() throws {
        let received: [(String, JSONValue, String)] = [
            ("LetterReceived", ["mailbox": "xzxx", "title": "路灯", "writerName": "李四", "content": "…"], "2025-09-29"),
            ("LetterAccepted", ["replyLimit": 10], "2025-09-29"),
            ("LetterTransferred", ["toDepartmentCode": "zjj", "replyLimit": 12], "2025-09-30"),
        ]
        let transferred = try #require(try fold(received))
        #expect(transferred.departmentCode == "zjj" && transferred.responsibleUnit == "zjj")
        #expect(transferred.replyLimit == WorkingDays(12) && transferred.clock.limit == WorkingDays(12))
        #expect(transferred.transfers == 1)
        // returned: no department holds it, its mailbox answers for it; urged with the policy's 5 working days
        let urged = try #require(try fold(received + [("LetterReturned", ["reason": "非本部门职责"], "2025-10-09"),
                                                      ("LetterUrged", ["urgedBy": "监察室"], "2025-10-10")]))
        #expect(urged.departmentCode == nil && urged.responsibleUnit == "xzxx")
        #expect(urged.returns == 1 && urged.urges == 1)
        // 10-10 + 5 working days: 10-11 (Saturday, worked), 10-13, 10-14, 10-15, 10-16
        #expect(urged.urge?.deadline == day("2025-10-16"))
        #expect(urged.urgeMet == false)
        // a transfer within the window meets it; an escalation after it does not
        let met = try #require(ReplyFile.evolve(urged, .letterTransferred(toDepartmentCode: "jtj", replyLimit: nil), on: day("2025-10-16"),
                                                calendar: cn, rules: .init()))
        #expect(met.urgeMet && met.transfers == 2 && met.departmentCode == "jtj")
        let late = try #require(ReplyFile.evolve(urged, .letterEscalated, on: day("2025-10-17"), calendar: cn, rules: .init()))
        #expect(!late.urgeMet && late.escalations == 1)
        // the reply closes it: answered, published, and nothing follows
        let replied = try #require(ReplyFile.evolve(met, .letterReplied(published: true), on: day("2025-10-20"), calendar: cn, rules: .init()))
        #expect(replied.answeredOn == day("2025-10-20") && replied.published == true)
        if case .letter(let s) = replied.lifecycle { #expect(s.status == .replied) } else { Issue.record("not a letter") }
        #expect(!ReplyFile.allows(.letterUrged(deadline: nil), after: replied))
    }

    @Test func aConsultationTakesItsOwnLimitAComplaintTheConfiguredOne() throws {
        let consultation = try #require(try fold([
            ("ConsultationReceived", ["departmentCode": "scjg", "itemCode": "ITEM-1", "question": "？", "replyLimit": 3], "2025-09-26"),
        ]))
        #expect(consultation.kind == "consultation" && consultation.itemCode == "ITEM-1" && consultation.replyLimit == WorkingDays(3))
        // 09-26 + 3: 09-28 (Sunday, worked), 09-29, 09-30
        #expect(consultation.clock.deadline(calendar: cn) == day("2025-09-30"))
        let rules = ReplyFile.Rules(interactionLimits: InteractionLimits(letter: WorkingDays(15), consultation: WorkingDays(5), complaint: WorkingDays(7),
                                                                         rectification: WorkingDays(10)))
        let complaint = try #require(try fold([
            ("ComplaintReceived", ["departmentCode": "scjg", "content": "…", "caseSubject": "case/430424/1"], "2025-09-26"),
            ("ComplaintAnswered", ["answer": "…", "substantiated": false], "2025-09-30"),
        ], rules: rules))
        #expect(complaint.kind == "complaint" && complaint.replyLimit == nil && complaint.clock.limit == WorkingDays(7))
        #expect(complaint.substantiated == false && complaint.answeredInTime(calendar: cn) == true)
        // a consultation's answer does not apply to a complaint
        #expect(!ReplyFile.allows(.inquiryAnswered(kind: .consultation, substantiated: nil), after: complaint))
    }

    @Test func onlyAReceivedEventOpensAFileAndTheFileRoundTripsThroughJSON() throws {
        #expect(ReplyFile.evolve(nil, .letterAccepted(replyLimit: nil), on: day("2025-09-29"), calendar: cn, rules: .init()) == nil)
        #expect(!ReplyFile.allows(.requestAnswered(outcome: nil, note: nil), after: nil))
        let file = try #require(try fold([
            ("LetterReceived", ["mailbox": "xzxx", "title": "t", "writerName": "w", "content": "c"], "2025-09-29"),
            ("LetterAccepted", [:], "2025-09-29"), ("LetterUrged", ["urgedBy": "监察室", "deadline": "2025-10-15"], "2025-09-30"),
        ]))
        let decoded = try JSONDecoder().decode(ReplyFile.self, from: JSONEncoder().encode(file))
        #expect(decoded == file)
        #expect(decoded.urge?.deadline == day("2025-10-15"))
    }
}
