import ChanceryDomain

/// Hengdong county (衡东县, 430424): 313 items of 40 approval units and the year's cases.
///
/// How the January–October figures come out exact: every case accepted in that period first gets a natural timeline
/// (early, on time or late; some with a supplement, more of them just before the Spring Festival and National Day).
/// Then as many cases as needed — preferably recent, non-immediate ones — are turned into cases still open on
/// 31 October (materials awaited until November or December, or handling that drags on; some are still open at the
/// year's end), or, should the natural count fall short, open ones are concluded within October. Cases accepted in
/// November and December do not touch the January–October counts. Only then does ``enrich(_:_:)`` add the rest of
/// each case's life (special procedures, upward reports, urges, withdrawals, deliveries, ratings), never moving an
/// acceptance or a conclusion date. The county's letters, consultations and complaints come from
/// ``HengdongInteractionGenerator``, its documents and disclosure requests from ``HengdongDisclosureGenerator``.
struct HengdongGenerator {
    let seed: UInt64
    var region = ReferenceScenario.hengdongRegion

    static let periodEnd = CivilDate.ymd(2025, 10, 31)
    static let yearEnd = CivilDate.ymd(2025, 12, 31)
    /// Cases accepted in November and December.
    static let novemberDecemberCases = 1_200
    /// Applications refused at intake (不予受理) during the year.
    static let refusedCases = 260

    func source(_ department: String) -> String { "/\(region)/departments/\(department)" }

    enum Step: Equatable {
        case submitted, accepted, refused, supplementRequested, supplementReceived
        case handling, review, decisionStep, decided, concluded
        /// 特别程序 of a kind of ``EventCatalog/specialProcedureKinds``, with its limit in working days.
        case specialProcedureStarted(kind: String, limit: Int)
        case specialProcedureEnded(kind: String)
        /// 上报 to the city department; 退回 with the city's result.
        case reportedUpward, returnedFromUpward
        case delivered, withdrawn
        /// 督办 by the county's electronic supervision office.
        case urged
        /// 好差评 with a satisfaction code 1–5; 4 and 5 are rectified (差评整改).
        case rated(Int), badRatingRectified
    }

    struct Case {
        var item: Int
        var timeline: [(Step, CivilDate)]
        var approved: Bool
        var channelOnline: Bool
        var times: [LocalTime] = []
        var number = ""

        var accepted: CivilDate? { date(of: .accepted) }
        var concluded: CivilDate? { date(of: .concluded) }
        var submitted: CivilDate { timeline[0].1 }

        /// The date of the first `step` of the timeline.
        func date(of step: Step) -> CivilDate? { timeline.first { $0.0 == step }?.1 }
        func has(_ step: Step) -> Bool { timeline.contains { $0.0 == step } }
    }

    func generate(into sink: inout EventSink) {
        let items = makeItems()
        var cases = makeCases(items)
        enrich(&cases, items)
        numberAndTime(&cases)
        emitItems(items, changes: catalogChanges(items, cases), into: &sink)
        emitCases(cases, items, into: &sink)
        HengdongInteractionGenerator(seed: seed, items: items, cases: cases.map(caseReference), region: region).generate(into: &sink)
        HengdongDisclosureGenerator(seed: seed, region: region).generate(into: &sink)
    }

    /// What the interaction generator needs of a numbered case.
    func caseReference(_ c: Case) -> HengdongInteractionGenerator.CaseReference {
        .init(subject: "case/\(region)/\(c.number)", item: c.item, accepted: c.accepted)
    }

    // MARK: Items

    func makeItems() -> [ScenarioItem] {
        var rng = SplitMix64(seed: seed, stream: "hengdong.items")
        var items: [ScenarioItem] = []
        for (di, dept) in ScenarioTables.hengdongDepartments.enumerated() {
            var names: [(String, Character)] = []
            outer: for variant in ScenarioTables.variants {
                for base in dept.bases {
                    if names.count >= dept.items { break outer }
                    names.append((base.0 + variant, base.1))
                }
            }
            precondition(names.count == dept.items, "not enough item names for \(dept.code)")
            for (k, (name, kind)) in names.enumerated() {
                let code = region + ScenarioTables.kindPrefix(kind) + ScenarioText.pad(di + 1, 2) + ScenarioText.pad(k + 1, 3)
                var item = ScenarioItem(code: code, name: name, kind: ScenarioTables.kindCode(kind), department: dept,
                                        caseType: "promised", promisedLimit: 5, statutoryLimit: 20)
                let immediateShare = kind == "P" || kind == "O" ? 0.6 : 0.2
                let r = rng.double()
                if r < immediateShare {
                    item.caseType = "immediate"
                    item.promisedLimit = 0
                    item.statutoryLimit = rng.pick([0, 0, 5, 20])
                } else if r < immediateShare + 0.09 {
                    item.caseType = "reported-upward"
                    item.promisedLimit = rng.pick([10, 15, 20])
                    item.statutoryLimit = max(item.promisedLimit, rng.pick([20, 30, 45]))
                } else if r < immediateShare + 0.12 {
                    item.caseType = "joint"
                    item.promisedLimit = rng.pick([10, 15])
                    item.statutoryLimit = max(item.promisedLimit, rng.pick([20, 30]))
                } else {
                    item.promisedLimit = rng.pick([(1, 0.10), (2, 0.08), (3, 0.18), (5, 0.25), (7, 0.12), (10, 0.15), (15, 0.08), (20, 0.04)])
                    item.statutoryLimit = max(item.promisedLimit, rng.pick([(20, 0.7), (30, 0.15), (45, 0.08), (60, 0.07)]))
                }
                items.append(item)
            }
        }
        return items
    }

    /// The whole catalogue is loaded on the first working day, 2 January, before the windows open at 08:30; `changes`
    /// (revisions, re-confirmations, a retirement) follow in each item's stream.
    func emitItems(_ items: [ScenarioItem], changes: [Int: [(LocalTime, String, JSONValue)]], into sink: inout EventSink) {
        let confirmer = confirmers()
        let day = CivilDate.ymd(2025, 1, 2)
        for (i, item) in items.enumerated() {
            let code = item.department.code
            sink.append(subject: "item/\(region)/\(item.code)", source: source(code), region: region, events: [
                (LocalTime(date: day, second: 8 * 3600 + 2 * i), "gov.catalog.item.registered", item.registeredData),
                (LocalTime(date: day, second: 8 * 3600 + 15 * 60 + 2 * i), "gov.catalog.item.confirmed", [
                    "departmentCode": .string(code), "confirmedBy": .string(confirmer[code]!),
                ]),
            ] + (changes[i] ?? []))
        }
    }

    /// The person who confirms the items of each unit (by department code).
    func confirmers() -> [String: String] {
        var rng = SplitMix64(seed: seed, stream: "hengdong.confirmers")
        var confirmer: [String: String] = [:]
        for dept in ScenarioTables.hengdongDepartments { confirmer[dept.code] = ScenarioText.personName(&rng) }
        return confirmer
    }

    // MARK: Cases

    func makeCases(_ items: [ScenarioItem]) -> [Case] {
        var rng = SplitMix64(seed: seed, stream: "hengdong.cases")
        let figures = ReferenceScenario.expectedFigures.hengdong
        // Item popularity: a heavy-tailed (Zipf) share over a random ranking. (Only +, *, / and sqrt on doubles
        // here: they are correctly rounded everywhere, unlike pow and log, so the scenario is the same on any platform.)
        let ranks = rng.shuffled(Array(1...items.count))
        var cumulative: [Double] = []
        var total = 0.0
        for r in ranks {
            total += 1.0 / Double(r)
            cumulative.append(total)
        }
        func pickItem() -> Int {
            let x = rng.double() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }

        var cases: [Case] = []
        cases.reserveCapacity(figures.casesAccepted + Self.novemberDecemberCases + Self.refusedCases)
        // Accepted cases, January–October and November–December, spread over the working days.
        let periods: [(ClosedRange<CivilDate>, Int)] = [
            (CivilDate.ymd(2025, 1, 2)...Self.periodEnd, figures.casesAccepted),
            (CivilDate.ymd(2025, 11, 1)...Self.yearEnd, Self.novemberDecemberCases),
        ]
        for (range, count) in periods {
            let days = ScenarioCalendar.workdays(from: range.lowerBound, through: range.upperBound)
            let weights = days.map { day -> Double in
                var w = 0.85 + 0.3 * rng.double()
                switch day.isoWeekday {
                case 1: w *= 1.25
                case 5: w *= 0.9
                case 6, 7: w *= 0.6  // adjusted working days (调休)
                default: break
                }
                if day.month == 2 && day.day <= 14 { w *= 1.2 }  // the rush after the Spring Festival
                if (3...6).contains(day.month) { w *= 1.1 }
                return w
            }
            let perDay = ScenarioText.apportion(count, weights: weights)
            for (day, n) in zip(days, perDay) {
                for _ in 0..<n {
                    let item = pickItem()
                    cases.append(naturalCase(item: item, itemInfo: items[item], accepted: day, &rng))
                }
            }
        }
        balance(&cases, items, &rng)
        // Applications refused at intake (不予受理), within five working days.
        let allDays = ScenarioCalendar.workdays(from: .ymd(2025, 1, 2), through: Self.yearEnd)
        for _ in 0..<Self.refusedCases {
            let submitted = rng.pick(allDays)
            let refused = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.5), (1, 0.3), (2, 0.15), (4, 0.05)]), to: submitted)
            var c = Case(item: pickItem(), timeline: [(.submitted, submitted), (.refused, refused)], approved: false,
                         channelOnline: rng.chance(0.65))
            if refused > Self.yearEnd { c.timeline.removeLast() }
            cases.append(c)
        }
        return cases
    }

    /// The submission date: mostly the day of acceptance, sometimes a working day or two before.
    func submission(for accepted: CivilDate, _ rng: inout SplitMix64) -> CivilDate {
        let back = rng.pick([(0, 0.65), (1, 0.30), (2, 0.05)])
        var d = accepted
        for _ in 0..<back {
            var x = d.adding(days: -1)
            while !ScenarioCalendar.isWorkday(x) { x = x.adding(days: -1) }
            if x < CivilDate.ymd(2025, 1, 2) { break }
            d = x
        }
        return d
    }

    /// Spring Festival and National Day: a supplement requested shortly before waits until after the holiday.
    static let holidays: [(start: CivilDate, end: CivilDate)] = [
        (.ymd(2025, 1, 28), .ymd(2025, 2, 4)),
        (.ymd(2025, 10, 1), .ymd(2025, 10, 8)),
    ]

    func naturalCase(item index: Int, itemInfo item: ScenarioItem, accepted: CivilDate, _ rng: inout SplitMix64) -> Case {
        let submitted = submission(for: accepted, &rng)
        let limit = item.promisedLimit
        var used: Int  // working days used, excluding a supplement's pause
        var supplement: (at: Int, received: CivilDate)?
        if limit == 0 {
            used = rng.chance(0.97) ? 0 : rng.int(in: 1...2)
        } else {
            let late = item.caseType == "reported-upward" ? 0.18 : item.caseType == "joint" ? 0.12 : 0.07
            let onTime = 0.14
            let u = rng.double()
            if u < late {
                used = limit + 1 + rng.int(in: 0...4) + (rng.chance(0.3) ? rng.int(in: 0...15) : 0)
            } else if u < late + onTime {
                used = limit
            } else {
                let x = rng.double()
                used = Int(Double(limit) * x * x.squareRoot())  // skewed towards quick conclusions
            }
            let beforeHoliday = Self.holidays.first { h in
                accepted < h.start && ScenarioCalendar.workdays(after: accepted, through: h.start) <= 6
            }
            if rng.chance(beforeHoliday == nil ? 0.07 : 0.35) {
                let at = rng.int(in: 0...min(used, 3))
                let requested = ScenarioCalendar.adding(workdays: at, to: accepted)
                let received: CivilDate
                if let h = beforeHoliday, requested < h.start {
                    received = ScenarioCalendar.adding(workdays: rng.int(in: 1...5), to: h.end)
                } else {
                    received = ScenarioCalendar.workday(onOrAfter: requested.adding(days: rng.int(in: 1...15)))
                }
                supplement = (at, received)
            }
        }
        return Case(item: index, timeline: timeline(item: item, submitted: submitted, accepted: accepted, used: used, supplement: supplement),
                    approved: rng.chance(0.96), channelOnline: rng.chance(0.65))
    }

    /// The dated steps of a case that uses `used` working days, with an optional supplement requested on working
    /// day `at` and received on `received` (the clock restarts the day after).
    func timeline(item: ScenarioItem, submitted: CivilDate, accepted: CivilDate, used: Int,
                  supplement: (at: Int, received: CivilDate)?) -> [(Step, CivilDate)] {
        var t: [(Step, CivilDate)] = [(.submitted, submitted), (.accepted, accepted)]
        var base = 0
        var restart = accepted
        if let s = supplement {
            t.append((.supplementRequested, ScenarioCalendar.adding(workdays: s.at, to: accepted)))
            t.append((.supplementReceived, s.received))
            base = s.at
            restart = s.received
        }
        func day(_ position: Int) -> CivilDate { ScenarioCalendar.adding(workdays: max(0, position - base), to: restart) }
        let remaining = used - base
        if item.caseType == "immediate" {
            t.append((.handling, day(used)))
        } else {
            let handling = base + (remaining >= 2 ? max(1, remaining / 4) : 0)
            let review = max(handling, base + remaining * 2 / 3)
            t.append((.handling, day(handling)))
            t.append((.review, day(review)))
        }
        t.append((.decisionStep, day(used)))
        t.append((.decided, day(used)))
        t.append((.concluded, day(used)))
        return t
    }

    /// Makes exactly the expected number of January–October cases conclude by 31 October.
    func balance(_ cases: inout [Case], _ items: [ScenarioItem], _ rng: inout SplitMix64) {
        let target = ReferenceScenario.expectedFigures.hengdong.casesConcluded
        let inPeriod = cases.indices.filter { cases[$0].accepted.map { $0 <= Self.periodEnd } ?? false }
        let concludedInPeriod = inPeriod.filter { cases[$0].concluded.map { $0 <= Self.periodEnd } ?? false }
        let start = CivilDate.ymd(2025, 1, 1).daysSinceEpoch
        // The k highest of uniform × weight: heavier (later) cases are likelier picks.
        func sample(_ pool: [Int], _ k: Int, weight: (Int) -> Double) -> [Int] {
            let keyed = pool.map { i -> (Double, Int) in (rng.double() * weight(i), i) }
            return keyed.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }.prefix(k).map(\.1)
        }
        if concludedInPeriod.count > target {
            let excess = concludedInPeriod.count - target
            let nonImmediate = concludedInPeriod.filter { items[cases[$0].item].caseType != "immediate" }
            let pool = nonImmediate.count >= excess ? nonImmediate : concludedInPeriod
            let picked = sample(pool, excess) { i in
                let d = Double(cases[i].accepted!.daysSinceEpoch - start + 20)
                return d * d
            }
            for i in picked { stall(&cases[i], items[cases[i].item], &rng) }
        } else if concludedInPeriod.count < target {
            let open = inPeriod.filter { i in !(cases[i].concluded.map { $0 <= Self.periodEnd } ?? false) }
            precondition(open.count >= target - concludedInPeriod.count, "not enough open cases to balance the scenario")
            let picked = sample(open, target - concludedInPeriod.count) { i in
                let d = Double(Self.periodEnd.daysSinceEpoch - cases[i].accepted!.daysSinceEpoch + 5)
                return d * d
            }
            for i in picked {
                let c = cases[i]
                let accepted = c.accepted!
                let room = ScenarioCalendar.workdays(after: accepted, through: Self.periodEnd)
                let used = rng.int(in: 0...min(room, max(items[c.item].promisedLimit, 0)))
                cases[i].timeline = timeline(item: items[c.item], submitted: c.submitted, accepted: accepted, used: used, supplement: nil)
            }
        }
    }

    /// Turns a case into one still open on 31 October: materials awaited until November or December, or handling that
    /// drags on; some are still open at the end of the year.
    func stall(_ c: inout Case, _ item: ScenarioItem, _ rng: inout SplitMix64) {
        let accepted = c.accepted!
        let november = ScenarioCalendar.workdays(from: .ymd(2025, 11, 3), through: .ymd(2025, 12, 19))
        if rng.chance(0.5) {
            // Supplement requested within three working days; the applicant answers in November or December, or not at all.
            let at = rng.int(in: 0...3)
            let requested = ScenarioCalendar.adding(workdays: at, to: accepted)
            let received = max(rng.chance(0.7) ? rng.pick(november) : CivilDate.ymd(2026, 3, 2),
                               ScenarioCalendar.adding(workdays: 1, to: max(requested, .ymd(2025, 11, 3))))
            let used = at + rng.int(in: 0...max(item.promisedLimit - at, 0))
            c.timeline = timeline(item: item, submitted: c.submitted, accepted: accepted, used: used, supplement: (at, received))
        } else {
            // Handling starts, then the case waits (site inspection, opinions of other departments) and concludes late.
            let handling = ScenarioCalendar.adding(workdays: rng.int(in: 0...2), to: accepted)
            let concluded = max(rng.chance(0.75) ? rng.pick(november) : CivilDate.ymd(2026, 3, 2),
                                ScenarioCalendar.adding(workdays: 2, to: max(handling, .ymd(2025, 11, 3))))
            var review = concluded.adding(days: -rng.int(in: 1...6))
            while !ScenarioCalendar.isWorkday(review) { review = review.adding(days: -1) }
            review = max(review, handling)
            c.timeline = [(.submitted, c.submitted), (.accepted, accepted), (.handling, handling), (.review, review),
                          (.decisionStep, concluded), (.decided, concluded), (.concluded, concluded)]
        }
        c.timeline.removeAll { $0.1 > Self.yearEnd }
    }

    /// Truncates at the year's end, assigns office times, and numbers the cases by submission time.
    func numberAndTime(_ cases: inout [Case]) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.times")
        for i in cases.indices {
            cases[i].timeline.removeAll { $0.1 > Self.yearEnd }
            cases[i].times = ScenarioText.times(for: cases[i].timeline.map(\.1), &rng)
        }
        let order = cases.indices.sorted { a, b in
            let ka = cases[a].times[0].key, kb = cases[b].times[0].key
            return ka != kb ? ka < kb : a < b
        }
        for (n, i) in order.enumerated() { cases[i].number = "2025-" + ScenarioText.pad(n + 1, 6) }
        cases = order.map { cases[$0] }
    }

    func emitCases(_ cases: [Case], _ items: [ScenarioItem], into sink: inout EventSink) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.people")
        var extras = SplitMix64(seed: seed, stream: "hengdong.case.extras")
        // Staff of each unit: window clerks (承办), a reviewer (审核) and a leader who decides (审批).
        var staff: [String: [String]] = [:]
        for dept in ScenarioTables.hengdongDepartments {
            staff[dept.code] = (0..<4).map { _ in ScenarioText.personName(&rng) }
        }
        for c in cases {
            let item = items[c.item]
            let dept = item.department.code
            let people = staff[dept]!
            var submittedData: [String: JSONValue] = [
                "caseNumber": .string(c.number), "itemCode": .string(item.code), "departmentCode": .string(dept),
                "channel": .string(c.channelOnline ? "online" : "window"),
            ]
            if rng.chance(0.18) {
                submittedData["applicantName"] = .string(ScenarioText.companyName(&rng, county: "衡东县"))
                if rng.chance(0.9) { submittedData["applicantIdNumber"] = .string(ScenarioText.creditCode(&rng, region: region)) }
            } else {
                submittedData["applicantName"] = .string(ScenarioText.personName(&rng))
                if rng.chance(0.85) { submittedData["applicantIdNumber"] = .string(ScenarioText.residentID(&rng, region: region)) }
            }
            if rng.chance(0.75) { submittedData["applicantPhone"] = .string(ScenarioText.mobile(&rng)) }
            let materials = rng.pick(ScenarioTables.supplementMaterials)
            let clerk = people[rng.int(in: 0...1)]

            var events: [(LocalTime, String, JSONValue)] = []
            for (k, (step, _)) in c.timeline.enumerated() {
                let time = c.times[k]
                switch step {
                case .submitted:
                    events.append((time, "gov.approval.case.submitted", .object(submittedData)))
                case .accepted:
                    events.append((time, "gov.approval.case.accepted", [
                        "caseType": .string(item.caseType), "promisedLimit": .integer(Int64(item.promisedLimit)),
                        "statutoryLimit": .integer(Int64(item.statutoryLimit)), "handler": .string(clerk),
                    ]))
                case .refused:
                    events.append((time, "gov.approval.case.refused", ["reason": .string(rng.pick(ScenarioTables.refusalReasons))]))
                case .supplementRequested:
                    events.append((time, "gov.approval.case.supplement.requested", ["materials": .string(materials)]))
                case .supplementReceived:
                    events.append((time, "gov.approval.case.supplement.received", ["materials": .string(materials)]))
                case .handling:
                    events.append((time, "gov.approval.case.step.completed", [
                        "step": "handling", "handler": .string(clerk), "opinion": "材料齐全，符合法定形式，同意受理并转审核",
                    ]))
                case .review:
                    events.append((time, "gov.approval.case.step.completed", [
                        "step": "review", "handler": .string(people[2]),
                        "opinion": .string(c.approved ? rng.pick(ScenarioTables.approvalOpinions) : "经审查不符合法定条件，建议不予批准"),
                    ]))
                case .decisionStep:
                    events.append((time, "gov.approval.case.step.completed", [
                        "step": "decision", "handler": .string(people[3]), "opinion": .string(c.approved ? "同意" : "不予批准"),
                    ]))
                case .decided:
                    events.append((time, "gov.approval.case.decided", c.approved
                        ? ["decision": "approved"]
                        : ["decision": "disapproved", "reason": .string(rng.pick(ScenarioTables.disapprovalReasons))]))
                case .concluded:
                    let digits = c.number.filter { $0 != "-" }
                    events.append((time, "gov.approval.case.concluded", [
                        "resultCode": .string((c.approved ? "HDXK" : "HDBY") + digits),
                    ]))
                default:
                    events.append(extraEvent(step, at: time, of: c, item: item, people: people, &extras))
                }
            }
            sink.append(subject: "case/\(region)/\(c.number)", source: source(dept), region: region, events: events)
        }
    }
}
