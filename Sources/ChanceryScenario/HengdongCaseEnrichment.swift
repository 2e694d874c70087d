import ChanceryDomain

/// The rest of a case's life around the dates that make the figures: every step added here falls between a case's
/// acceptance and its conclusion, or after the conclusion, or ends a case that never concludes in the period — so no
/// acceptance or conclusion date moves and the January–October counts stay exact.
///
/// - Reported upward (上报件): every case of a `reported-upward` item that reached its review goes to the city
///   department after the review and comes back before the decision.
/// - Special procedures (特别程序): hearings, expert reviews, inspections, public notices and extensions between the
///   handling step and the decision, some of them across the Spring Festival and National Day.
/// - Urged (督办): a share of the cases that pass their promised deadline, on a working day after it.
/// - Withdrawn (撤回): cases still waiting for a supplement weeks after the request (accepted, so still counted as
///   accepted, never concluded), and applications withdrawn before acceptance (never counted as accepted).
/// - Delivered (送达) and rated (好差评): a share of the concluded cases; ratings are mostly good, and every bad one
///   (4–5) is rectified (差评整改) within ten working days.
/// - Raw material for the supervisor's irregularities: a few promised cases decided without a review step
///   (StepCompleted `review`). A refusal without a reason cannot be published: the CaseRefused schema requires
///   `reason`.
extension HengdongGenerator {
    /// Promised cases (承诺件) whose review step (审核) is skipped: decided without StepCompleted `review`.
    static let casesWithoutReview = 3
    /// Applications withdrawn before acceptance.
    static let withdrawnBeforeAcceptance = 30

    func enrich(_ cases: inout [Case], _ items: [ScenarioItem]) {
        var rng = SplitMix64(seed: seed, stream: "hengdong.enrichment")
        for i in cases.indices { cases[i].timeline.removeAll { $0.1 > Self.yearEnd } }
        for i in cases.indices where items[cases[i].item].caseType == "reported-upward" { reportUpward(&cases[i], &rng) }
        addSpecialProcedures(&cases, items, &rng)
        skipReviews(&cases, items, &rng)
        for i in cases.indices where rng.chance(0.3) { urgeIfLate(&cases[i], limit: items[cases[i].item].promisedLimit, &rng) }
        withdraw(&cases, &rng)
        for i in cases.indices where cases[i].concluded != nil { deliverAndRate(&cases[i], &rng) }
    }

    /// Inserts `step` on `date` after the steps dated on or before it, but before `barrier` (when given).
    func insert(_ step: Step, on date: CivilDate, into c: inout Case, before barrier: Step? = nil) {
        var index = c.timeline.lastIndex { $0.1 <= date }.map { $0 + 1 } ?? 0
        if let barrier, let b = c.timeline.firstIndex(where: { $0.0 == barrier }) { index = min(index, b) }
        precondition((index == 0 || c.timeline[index - 1].1 <= date) && (index == c.timeline.count || date <= c.timeline[index].1),
                     "\(step) on \(date) breaks the order of \(c.timeline)")
        c.timeline.insert((step, date), at: index)
    }

    /// A uniformly chosen working day in `first...last`, or nil when there is none.
    func workday(in first: CivilDate, _ last: CivilDate, _ rng: inout SplitMix64) -> CivilDate? {
        let days = ScenarioCalendar.workdays(from: first, through: last)
        return days.isEmpty ? nil : rng.pick(days)
    }

    /// After the review the case goes to the city department (上报); it returns on or before the day of the decision.
    /// A case still undecided at the year's end may still be with the city.
    func reportUpward(_ c: inout Case, _ rng: inout SplitMix64) {
        guard let review = c.date(of: .review) else { return }
        insert(.reportedUpward, on: review, into: &c, before: .decisionStep)
        guard let decision = c.date(of: .decisionStep) else {
            if rng.chance(0.5), let back = workday(in: review, Self.yearEnd, &rng) { insert(.returnedFromUpward, on: back, into: &c) }
            return
        }
        insert(.returnedFromUpward, on: workday(in: review, decision, &rng) ?? decision, into: &c, before: .decisionStep)
    }

    /// Special procedures between the handling step and the decision: some spanning each of the two long holidays,
    /// the others through the year.
    func addSpecialProcedures(_ cases: inout [Case], _ items: [ScenarioItem], _ rng: inout SplitMix64) {
        func eligible(_ c: Case) -> (handling: CivilDate, decision: CivilDate)? {
            guard items[c.item].caseType != "immediate", items[c.item].caseType != "reported-upward",
                  let handling = c.date(of: .handling), let decision = c.date(of: .decisionStep) else { return nil }
            return (handling, decision)
        }
        var taken: Set<Int> = []
        for holiday in Self.holidays {
            let spanning = cases.indices.filter { i in
                guard let e = eligible(cases[i]) else { return false }
                return e.handling < holiday.start && e.decision > holiday.end
                    && ScenarioCalendar.workdays(after: holiday.end, through: e.decision) >= 2
            }
            for i in rng.shuffled(spanning).prefix(Self.specialProceduresPerHoliday) {
                let (h, d) = eligible(cases[i])!
                let start = workday(in: h, holiday.start.adding(days: -1), &rng)!
                let end = workday(in: ScenarioCalendar.adding(workdays: 1, to: holiday.end), min(d, ScenarioCalendar.adding(workdays: 12, to: holiday.end)), &rng)!
                addProcedure(rng.pick(["public-notice", "expert-review", "hearing", "extension", "inspection"]), start, end, to: &cases[i])
                taken.insert(i)
            }
        }
        let others = cases.indices.filter { i in
            guard !taken.contains(i), let e = eligible(cases[i]) else { return false }
            return ScenarioCalendar.workdays(after: e.handling, through: e.decision) >= 4
        }
        for i in rng.shuffled(others).prefix(Self.otherSpecialProcedures) {
            let (h, d) = eligible(cases[i])!
            let span = ScenarioCalendar.workdays(after: h, through: d)
            let start = ScenarioCalendar.adding(workdays: rng.int(in: 0...1), to: h)
            let end = ScenarioCalendar.adding(workdays: rng.int(in: 2...min(span - 1, 10)), to: start)
            let kind = rng.pick([("inspection", 0.4), ("expert-review", 0.2), ("public-notice", 0.2), ("extension", 0.12), ("hearing", 0.08)])
            addProcedure(kind, start, min(end, d), to: &cases[i])
        }
    }

    /// Special procedures that span a long holiday (per holiday) and others through the year.
    static let specialProceduresPerHoliday = 24
    static let otherSpecialProcedures = 150

    func addProcedure(_ kind: String, _ start: CivilDate, _ end: CivilDate, to c: inout Case) {
        precondition(start < end, "a special procedure ends after it starts")
        let limit = max(ScenarioCalendar.workdays(after: start, through: end), kind == "public-notice" ? 10 : 5)
        insert(.specialProcedureStarted(kind: kind, limit: limit), on: start, into: &c, before: .decisionStep)
        insert(.specialProcedureEnded(kind: kind), on: end, into: &c, before: .decisionStep)
    }

    /// A few promised cases concluded in the year skip their review (审核) step: the supervisor's raw material for a
    /// skipped-step irregularity. (Immediate cases have no review step by design.)
    func skipReviews(_ cases: inout [Case], _ items: [ScenarioItem], _ rng: inout SplitMix64) {
        let candidates = cases.indices.filter { i in
            let c = cases[i]
            return items[c.item].caseType == "promised" && c.concluded != nil && c.has(.review)
                && !c.timeline.contains { if case .specialProcedureStarted = $0.0 { true } else { false } }
        }
        for i in rng.shuffled(candidates).prefix(Self.casesWithoutReview) { cases[i].timeline.removeAll { $0.0 == .review } }
    }

    /// The promised deadline of `c` in the generator's calendar (the supplement's pause excluded), or nil for an
    /// immediate case or one still waiting for its supplement.
    func deadline(of c: Case, limit: Int) -> CivilDate? {
        guard limit > 0, let accepted = c.accepted else { return nil }
        guard let requested = c.date(of: .supplementRequested) else { return ScenarioCalendar.adding(workdays: limit, to: accepted) }
        guard let received = c.date(of: .supplementReceived) else { return nil }
        let before = ScenarioCalendar.workdays(after: accepted, through: requested)
        if before >= limit { return ScenarioCalendar.adding(workdays: limit, to: accepted) }
        return ScenarioCalendar.adding(workdays: limit - before, to: received)
    }

    /// Urges (督办) a case that passed its deadline while still open, one to three working days after it.
    func urgeIfLate(_ c: inout Case, limit: Int, _ rng: inout SplitMix64) {
        guard let deadline = deadline(of: c, limit: limit), c.has(.handling) else { return }
        let end = c.concluded ?? Self.yearEnd
        guard end > deadline, !c.has(.withdrawn) else { return }
        let day = min(ScenarioCalendar.adding(workdays: rng.int(in: 1...3), to: deadline), end)
        guard day > deadline, day >= c.timeline.first(where: { $0.0 == .handling })!.1 else { return }
        insert(.urged, on: day, into: &c, before: .decisionStep)
    }

    /// Withdrawals (撤回): applicants who never sent the requested supplement withdraw after four to six weeks; a few
    /// applications are withdrawn before their acceptance (new cases, so the accepted count does not change).
    func withdraw(_ cases: inout [Case], _ rng: inout SplitMix64) {
        for i in cases.indices where cases[i].timeline.last?.0 == .supplementRequested && rng.chance(0.6) {
            let day = ScenarioCalendar.adding(workdays: rng.int(in: 20...30), to: cases[i].timeline.last!.1)
            if day <= Self.yearEnd { cases[i].timeline.append((.withdrawn, day)) }
        }
        let days = ScenarioCalendar.workdays(from: .ymd(2025, 1, 2), through: .ymd(2025, 12, 24))
        for _ in 0..<Self.withdrawnBeforeAcceptance {
            let submitted = rng.pick(days)
            let withdrawn = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.4), (1, 0.4), (2, 0.2)]), to: submitted)
            cases.append(Case(item: rng.pick(cases).item, timeline: [(.submitted, submitted), (.withdrawn, withdrawn)],
                              approved: false, channelOnline: rng.chance(0.8)))
        }
    }

    /// Delivery of the result (送达) for two in five concluded cases; a rating (好差评) for about one in seven, mostly
    /// very satisfied; bad ratings are rectified within ten working days, all within the year.
    func deliverAndRate(_ c: inout Case, _ rng: inout SplitMix64) {
        var last = c.timeline.last!.1
        if rng.chance(0.4) {
            let day = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.6), (1, 0.25), (2, 0.1), (3, 0.05)]), to: last)
            if day <= Self.yearEnd {
                c.timeline.append((.delivered, day))
                last = day
            }
        }
        guard rng.chance(0.15) else { return }
        let rated = ScenarioCalendar.adding(workdays: rng.pick([(0, 0.7), (1, 0.2), (3, 0.1)]), to: last)
        guard rated <= Self.yearEnd else { return }
        var code = rng.pick([(1, 0.72), (2, 0.15), (3, 0.06), (4, 0.045), (5, 0.025)])
        let rectified = ScenarioCalendar.adding(workdays: rng.int(in: 2...10), to: rated)
        if code >= 4 && rectified > Self.yearEnd { code = 3 }
        c.timeline.append((.rated(code), rated))
        if code >= 4 { c.timeline.append((.badRatingRectified, rectified)) }
    }
}
