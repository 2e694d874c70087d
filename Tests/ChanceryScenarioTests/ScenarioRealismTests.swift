import ChanceryDomain
import ChanceryScenario
import Testing

/// China's 2025 working days (State Council notice 国办发明电〔2024〕12号), for checking the scenario's realism only.
enum TestCalendar {
    static let holidays: Set<CivilDate> = {
        var s: Set<CivilDate> = []
        for (m, d, n) in [(1, 1, 1), (1, 28, 8), (4, 4, 3), (5, 1, 5), (5, 31, 3), (10, 1, 8)] {
            for i in 0..<n { s.insert(CivilDate(year: 2025, month: m, day: d).adding(days: i)) }
        }
        return s
    }()
    static let adjusted: Set<CivilDate> = [
        CivilDate(year: 2025, month: 1, day: 26), CivilDate(year: 2025, month: 2, day: 8), CivilDate(year: 2025, month: 4, day: 27),
        CivilDate(year: 2025, month: 9, day: 28), CivilDate(year: 2025, month: 10, day: 11),
    ]
    static func isWorkday(_ d: CivilDate) -> Bool { adjusted.contains(d) || (!holidays.contains(d) && d.isoWeekday <= 5) }
    /// Working days after `from` up to and including `to`.
    static func workdays(after from: CivilDate, through to: CivilDate) -> Int {
        var n = 0
        var x = from
        while x < to {
            x = x.adding(days: 1)
            if isWorkday(x) { n += 1 }
        }
        return n
    }
}

@Suite("Reference scenario realism")
struct ScenarioRealismTests {
    struct CaseSummary {
        var types: [String] = []
        var accepted: CivilDate?
        var promised = 0
        var statutory = 0
        var caseType = ""
        var requested: CivilDate?
        var received: CivilDate?
        var concluded: CivilDate?
        var refusalReason: String?
        var decision: String?
    }

    static let cases: [String: CaseSummary] = {
        var cases: [String: CaseSummary] = [:]
        for e in scenarioEvents where e.subject.hasPrefix("case/") {
            var c = cases[e.subject] ?? CaseSummary()
            c.types.append(e.type)
            let date = shanghaiDate(e)
            switch e.type {
            case "gov.approval.case.accepted":
                c.accepted = date
                c.promised = Int(e.data["promisedLimit"]!.integerValue!)
                c.statutory = Int(e.data["statutoryLimit"]!.integerValue!)
                c.caseType = e.data["caseType"]!.stringValue!
            case "gov.approval.case.supplement.requested": c.requested = date
            case "gov.approval.case.supplement.received": c.received = date
            case "gov.approval.case.concluded": c.concluded = date
            case "gov.approval.case.refused": c.refusalReason = e.data["reason"]?.stringValue
            case "gov.approval.case.decided": c.decision = e.data["decision"]?.stringValue
            default: break
            }
            cases[e.subject] = c
        }
        return cases
    }()

    @Test("Cases conclude early, on time and late; supplements pause the clock, some across the holidays")
    func mix() {
        var promisedTotal = 0, promisedEarly = 0
        var early = 0, onTime = 0, late = 0, withSupplement = 0, springFestival = 0, nationalDay = 0
        for c in Self.cases.values {
            guard let accepted = c.accepted, let concluded = c.concluded else { continue }
            var used: Int
            if let q = c.requested, let r = c.received {
                used = TestCalendar.workdays(after: accepted, through: q) + TestCalendar.workdays(after: r, through: concluded)
                withSupplement += 1
                if q < CivilDate(year: 2025, month: 1, day: 28) && r > CivilDate(year: 2025, month: 2, day: 4) { springFestival += 1 }
                if q < CivilDate(year: 2025, month: 10, day: 1) && r > CivilDate(year: 2025, month: 10, day: 8) { nationalDay += 1 }
            } else {
                used = TestCalendar.workdays(after: accepted, through: concluded)
            }
            if used < c.promised { early += 1 } else if used == c.promised { onTime += 1 } else { late += 1 }
            if c.promised > 0 {
                promisedTotal += 1
                if used < c.promised { promisedEarly += 1 }
            }
        }
        let total = early + onTime + late
        // Immediate cases (limit 0) conclude on time at best; of the others most conclude early.
        #expect(Double(promisedEarly) / Double(promisedTotal) > 0.6, "early \(promisedEarly) of \(promisedTotal)")
        #expect(early + onTime > 5 * late, "early \(early), on time \(onTime), late \(late) of \(total)")
        #expect(onTime > late && late > 100, "on time \(onTime), late \(late)")
        #expect(withSupplement > 300)
        #expect(springFestival > 10 && nationalDay > 10, "across Spring Festival \(springFestival), National Day \(nationalDay)")
    }

    @Test("Lifecycles: accepted cases follow the steps; refusals give a reason; limits are consistent")
    func lifecycles() {
        var refused = 0, disapproved = 0, openAtYearEnd = 0, novemberDecember = 0, immediateSameDay = 0, immediate = 0
        for c in Self.cases.values {
            #expect(c.types.first == "gov.approval.case.submitted")
            if c.types.count > 1 && c.types[1] == "gov.approval.case.refused" {
                refused += 1
                #expect(c.types.count == 2 && c.refusalReason?.isEmpty == false)
                continue
            }
            guard let accepted = c.accepted else { continue }  // refused after the year's end: still pending
            #expect(c.types[1] == "gov.approval.case.accepted")
            #expect(c.promised <= c.statutory)
            if accepted > CivilDate(year: 2025, month: 10, day: 31) { novemberDecember += 1 }
            if c.decision == "disapproved" { disapproved += 1 }
            if c.concluded == nil { openAtYearEnd += 1 }
            if c.caseType == "immediate" {
                #expect(c.promised == 0)
                immediate += 1
                if c.concluded == accepted { immediateSameDay += 1 }
            }
            if c.concluded != nil {
                // After the conclusion only delivery, rating and a bad rating's rectification follow.
                let afterwards: Set<String> = ["gov.approval.case.delivered", "gov.approval.case.rated", "gov.approval.case.bad.rating.rectified"]
                #expect(Array(c.types.filter { !afterwards.contains($0) }.suffix(2)) == ["gov.approval.case.decided", "gov.approval.case.concluded"])
                let steps = c.types.filter { $0 == "gov.approval.case.step.completed" }.count
                #expect(steps >= 2)
            }
        }
        #expect(refused > 100)
        #expect(disapproved > 100)
        #expect(openAtYearEnd > 0)
        #expect(novemberDecember > 1_000)
        #expect(Double(immediateSameDay) / Double(immediate) > 0.9)
        #expect(Set(Self.cases.values.map(\.caseType)).isSuperset(of: ["immediate", "promised", "reported-upward", "joint"]))
    }

    @Test("Case events happen in office hours on working days")
    func officeHours() throws {
        for e in scenarioEvents where e.subject.hasPrefix("case/") || e.subject.hasPrefix("document/") {
            let date = shanghaiDate(e)
            #expect(TestCalendar.isWorkday(date), "\(e.id) on \(date)")
            let clock = e.time.dropFirst(11).prefix(5)
            #expect(clock >= "08:30" && clock <= "17:31", "\(e.id) at \(clock)")
            #expect(date.year == 2025)
        }
    }
}
