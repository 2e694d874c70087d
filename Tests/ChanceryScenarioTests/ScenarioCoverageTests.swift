import ChanceryDomain
import ChanceryScenario
import Testing

/// SCENARIO.md, "What the scenario exercises": every event type, special procedures across the holidays, letters
/// transferred and extended, bad ratings rectified, the replies-in-time and satisfaction targets.
@Suite("Reference scenario coverage")
struct ScenarioCoverageTests {
    static let byStream: [String: [CloudEvent]] = Dictionary(grouping: scenarioEvents, by: \.subject)

    static func streams(_ kind: String, in region: String? = nil) -> [[CloudEvent]] {
        byStream.filter { $0.key.hasPrefix(kind + "/" + (region.map { $0 + "/" } ?? "")) }.sorted { $0.key < $1.key }.map(\.value)
    }

    @Test("Every catalog type occurs except gov.supervision's, which the supervisor, the consumer runtime and the checkpoint service raise")
    func everyType() {
        let occurring = Set(scenarioEvents.map(\.type))
        let published = Set(EventCatalog.all.map(\.type).filter { !$0.hasPrefix("gov.supervision.") })
        let supervision = Set(EventCatalog.all.map(\.type)).subtracting(published)
        #expect(supervision == [
            "gov.supervision.alert.deadline.warning.raised", "gov.supervision.alert.deadline.breached",
            "gov.supervision.alert.irregularity.flagged", "gov.supervision.alert.record.quarantined", "gov.supervision.alert.resolved",
            "gov.supervision.checkpoint.signed",
        ])
        #expect(occurring == published, "missing \(published.subtracting(occurring).sorted()), unexpected \(occurring.subtracting(published).sorted())")
    }

    @Test("Another seed also follows the lifecycle and catalog rules")
    func otherSeedLifecycle() {
        let violations = lifecycleViolations(ReferenceScenario(seed: 42).events())
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("Special procedures of every kind; some span the Spring Festival, some National Day")
    func specialProcedures() {
        var kinds: Set<String> = [], springFestival = 0, nationalDay = 0, total = 0
        for events in Self.streams("case", in: "430424") {
            var started: (kind: String, day: CivilDate)?
            for e in events {
                if e.type == "gov.approval.case.special.procedure.started" {
                    started = (e.data["specialProcedureKind"]!.stringValue!, shanghaiDate(e))
                } else if e.type == "gov.approval.case.special.procedure.ended", let s = started {
                    #expect(e.data["specialProcedureKind"]?.stringValue == s.kind)
                    let end = shanghaiDate(e)
                    total += 1
                    kinds.insert(s.kind)
                    if s.day < CivilDate(year: 2025, month: 1, day: 28) && end > CivilDate(year: 2025, month: 2, day: 4) { springFestival += 1 }
                    if s.day < CivilDate(year: 2025, month: 10, day: 1) && end > CivilDate(year: 2025, month: 10, day: 8) { nationalDay += 1 }
                    started = nil
                }
            }
            #expect(started == nil, "a special procedure never ends")
        }
        #expect(kinds == ["hearing", "expert-review", "inspection", "public-notice", "extension"])
        #expect(springFestival >= 10 && nationalDay >= 10, "Spring Festival \(springFestival), National Day \(nationalDay)")
        #expect(total > 100)
    }

    @Test("Reported-upward cases go to the city and come back before the decision")
    func reportedUpward() {
        var returned = 0
        for events in Self.streams("case", in: "430424") {
            let types = events.map(\.type)
            guard let up = types.firstIndex(of: "gov.approval.case.reported.upward") else { continue }
            #expect(events[up].data["reportedToRegion"] == "430400")
            guard let back = types.firstIndex(of: "gov.approval.case.returned.from.upward") else { continue }
            returned += 1
            #expect(up < back)
            if let decided = types.firstIndex(of: "gov.approval.case.decided") { #expect(back < decided) }
        }
        #expect(returned > 100)
    }

    @Test("Ratings: satisfaction at least 80%, bad ratings (4–5) all rectified, none rectified that was not bad")
    func ratings() {
        var ratings = 0, satisfied = 0, bad = 0, rectified = 0
        for events in Self.streams("case", in: "430424") {
            guard let rated = events.first(where: { $0.type == "gov.approval.case.rated" }) else {
                #expect(!events.contains { $0.type == "gov.approval.case.bad.rating.rectified" })
                continue
            }
            let code = rated.data["satisfactionCode"]!.integerValue!
            ratings += 1
            if code <= 3 { satisfied += 1 }
            let rectification = events.firstIndex { $0.type == "gov.approval.case.bad.rating.rectified" }
            if code >= 4 {
                bad += 1
                #expect(rectification != nil, "\(rated.subject): bad rating \(code) not rectified")
                if rectification != nil { rectified += 1 }
            } else {
                #expect(rectification == nil)
            }
        }
        let satisfaction = Double(satisfied) / Double(ratings)
        #expect(satisfaction >= ReferenceScenario.expectedFigures.hengdong.minimumSatisfaction, "satisfaction \(satisfaction)")
        #expect(satisfaction < 1 && bad > 20 && rectified == bad, "\(bad) bad of \(ratings), \(rectified) rectified")
    }

    @Test("Cases are delivered, withdrawn (never concluded) and urged (only after their deadline's passing)")
    func deliveredWithdrawnUrged() {
        var delivered = 0, withdrawnAccepted = 0, withdrawnBeforeAcceptance = 0, urged = 0
        for events in Self.streams("case", in: "430424") {
            let types = events.map(\.type)
            if types.contains("gov.approval.case.delivered") { delivered += 1 }
            if types.last == "gov.approval.case.withdrawn" {
                #expect(!types.contains("gov.approval.case.concluded"))
                if types.contains("gov.approval.case.accepted") { withdrawnAccepted += 1 } else { withdrawnBeforeAcceptance += 1 }
            }
            if let urge = events.first(where: { $0.type == "gov.approval.case.urged" }), let accepted = events.first(where: { $0.type == "gov.approval.case.accepted" }) {
                urged += 1
                // Without a supplement the working days from acceptance to the urge exceed the promised limit.
                if !types.contains("gov.approval.case.supplement.requested") {
                    let limit = Int(accepted.data["promisedLimit"]!.integerValue!)
                    #expect(TestCalendar.workdays(after: shanghaiDate(accepted), through: shanghaiDate(urge)) > limit, "\(urge.id)")
                }
            }
        }
        #expect(delivered > 1_000)
        #expect(withdrawnAccepted > 10 && withdrawnBeforeAcceptance > 10, "withdrawn \(withdrawnAccepted) accepted, \(withdrawnBeforeAcceptance) before")
        #expect(urged > 50)
    }

    @Test("Immediate cases (limit 0) mostly conclude the day they are accepted; a few promised cases skip the review")
    func immediateAndSkippedReview() {
        var immediateSameDay = 0, withoutReview = 0
        for events in Self.streams("case", in: "430424") {
            guard let accepted = events.first(where: { $0.type == "gov.approval.case.accepted" }),
                  let concluded = events.first(where: { $0.type == "gov.approval.case.concluded" }) else { continue }
            let steps = Set(events.filter { $0.type == "gov.approval.case.step.completed" }.compactMap { $0.data["step"]?.stringValue })
            if accepted.data["caseType"] == "immediate" {
                #expect(accepted.data["promisedLimit"] == 0)
                if shanghaiDate(accepted) == shanghaiDate(concluded) { immediateSameDay += 1 }
            } else if accepted.data["caseType"] == "promised" && !steps.contains("review") {
                withoutReview += 1
                #expect(steps.contains("decision"))
            }
        }
        #expect(immediateSameDay > 1_000)
        #expect(withoutReview >= 1)
    }

    @Test("Catalogue: items revised then confirmed again; one retired after its last case")
    func catalogue() {
        let items = Self.streams("item", in: "430424")
        let revised = items.filter { $0.contains { $0.type == "gov.catalog.item.revised" } }
        #expect(revised.count >= 3)
        for events in revised { #expect(events.last?.type == "gov.catalog.item.confirmed") }
        let retired = items.filter { $0.last?.type == "gov.catalog.item.retired" }
        #expect(retired.count == 1)
        guard let item = retired.first?.first, let retirement = retired.first?.last else { return }
        let code = item.data["itemCode"]!.stringValue!
        let caseSubjects = Set(scenarioEvents.filter { $0.type == "gov.approval.case.submitted" && $0.data["itemCode"]?.stringValue == code }.map(\.subject))
        #expect(!caseSubjects.isEmpty)
        let lastCaseEvent = scenarioEvents.filter { caseSubjects.contains($0.subject) }.map { try! RFC3339Timestamp(parsing: $0.time) }.max()!
        #expect(lastCaseEvent < (try! RFC3339Timestamp(parsing: retirement.time)))
    }

    @Test("Letters: transferred, returned, escalated, urged, extended; every one replied within its limit")
    func letters() {
        let letters = Self.streams("letter", in: "430424")
        #expect(letters.count > 100)
        var counts: [String: Int] = [:]
        for events in letters {
            for type in Set(events.map(\.type)) { counts[type, default: 0] += 1 }
            let types = events.map(\.type)
            #expect(types.first == "gov.interaction.letter.received" && types.last == "gov.interaction.letter.replied")
            guard let accepted = events.first(where: { $0.type == "gov.interaction.letter.accepted" }) else { continue }
            let limit = Int(accepted.data["replyLimit"]!.integerValue!)
                + Int(events.first { $0.type == "gov.interaction.letter.extension.granted" }?.data["extensionLimit"]?.integerValue ?? 0)
            #expect(TestCalendar.workdays(after: shanghaiDate(accepted), through: shanghaiDate(events.last!)) <= limit, "\(events[0].subject)")
        }
        for type in ["transferred", "returned", "escalated", "urged", "extension.granted"] {
            #expect((counts["gov.interaction.letter." + type] ?? 0) >= 3, "\(type): \(counts)")
        }
        let transferredAndExtended = letters.filter { e in
            e.contains { $0.type == "gov.interaction.letter.transferred" } && e.contains { $0.type == "gov.interaction.letter.extension.granted" }
        }
        #expect(transferredAndExtended.count >= 1)
    }

    @Test("Consultations and complaints: every one answered within its reply limit (target 100%)")
    func repliesInTime() {
        var answered = 0, inTime = 0
        for kind in ["consultation", "complaint"] {
            let streams = Self.streams(kind, in: "430424")
            #expect(streams.count > 20)
            for events in streams {
                #expect(events.count == 2 && events[1].type == "gov.interaction.\(kind).answered")
                answered += 1
                let limit = Int(events[0].data["replyLimit"]!.integerValue!)
                if TestCalendar.workdays(after: shanghaiDate(events[0]), through: shanghaiDate(events[1])) <= limit { inTime += 1 }
            }
        }
        #expect(Double(inTime) / Double(answered) == ReferenceScenario.expectedFigures.hengdong.repliesInTime, "\(inTime) of \(answered)")
    }

    @Test("Disclosure: challenges only on the city's request; Zhuhui and Hengdong have none; Hengdong documents revised and withdrawn")
    func disclosure() {
        let challenges: Set<String> = [
            "gov.disclosure.request.reconsideration.filed", "gov.disclosure.request.reconsideration.decided",
            "gov.disclosure.request.litigation.filed", "gov.disclosure.request.litigation.decided",
        ]
        let challenged = Set(scenarioEvents.filter { challenges.contains($0.type) }.map(\.region))
        #expect(challenged == ["430400"])
        let city = Self.streams("request", in: "430400")
        #expect(city.count == 1)
        let cityTypes = Set(city.flatMap { $0.map(\.type) })
        #expect(cityTypes.isSuperset(of: challenges))
        let hengdongRequests = Self.streams("request", in: "430424").flatMap { $0.map(\.type) }
        for type in ["supplement.requested", "supplement.received", "third.party.consulted", "extended"] {
            #expect(hengdongRequests.contains("gov.disclosure.request." + type))
        }
        let documents = Self.streams("document", in: "430424")
        #expect(documents.contains { $0.contains { $0.type == "gov.disclosure.document.revised" } })
        #expect(documents.contains { $0.last?.type == "gov.disclosure.document.withdrawn" })
        #expect(documents.allSatisfy { $0.first?.type == "gov.disclosure.document.reviewed" })
        // Zhuhui's documents are untouched: published then reported, nothing else (the 471 reports stay exact).
        #expect(Self.streams("document", in: "430405").allSatisfy { $0.map(\.type) == ["gov.disclosure.document.published", "gov.disclosure.document.reported"] })
    }

    @Test("Every event happens in office hours on a working day of 2025")
    func officeHoursEverywhere() {
        for e in scenarioEvents where !e.subject.hasPrefix("item/") {
            let date = shanghaiDate(e)
            #expect(TestCalendar.isWorkday(date) && date.year == 2025, "\(e.id) on \(date)")
            let clock = e.time.dropFirst(11).prefix(5)
            #expect(clock >= "08:30" && clock <= "17:31", "\(e.id) at \(clock)")
        }
    }
}
