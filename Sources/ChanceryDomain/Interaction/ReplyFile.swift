/// Everything the consumers know about one stream that owes a reply — a disclosure request (`request/<region>/<number>`),
/// a mailbox letter (`letter/…`), a consultation (`consultation/…`) or a complaint (`complaint/…`) — folded from its
/// events in one place: its lifecycle position (the same ``AggregateState`` the gateway's stream heads keep), its reply
/// clock (``ReplyClock``: State Council order 711 or 492 for a request, the event's or the configured limit for the
/// others), who holds it, a letter's transfers, escalations, returns and latest urge (督办), and the answer. The
/// projector writes `disclosure.requests` and `interaction.*` from it; the supervisor watches it (``ReplyFile`` plus its
/// own record of the alerts it raised); neither folds these events itself.
///
/// Pure: the caller gives each event's day (the date of its `time` in the region's time zone) and the region's calendar.
/// Stored as JSON (`reply_file` columns): synthesized coding with these member names; members added later must decode
/// when absent.
public struct ReplyFile: Sendable, Hashable, Codable {
    /// The rules a reply file needs beside its events: the same as a case file's (the urge limit and the configured
    /// reply limits).
    public typealias Rules = CaseFile.Rules

    /// The lifecycle position: `.request`, `.letter`, `.consultation` or `.complaint`.
    public var lifecycle: AggregateState
    /// The reply clock, opened by the first event.
    public var clock: ReplyClock
    /// The department that answers: a request's, consultation's or complaint's `departmentCode`; for a letter the
    /// department it was last transferred to, nil while none holds it (its mailbox answers then).
    public var departmentCode: String?
    /// A letter's mailbox (信箱).
    public var mailbox: String?
    /// The catalogued item a consultation or complaint is about.
    public var itemCode: String?
    /// The day of the first event.
    public var receivedOn: CivilDate
    /// The day of the answer (DisclosureRequestAnswered, LetterReplied, ConsultationAnswered, ComplaintAnswered).
    public var answeredOn: CivilDate?
    /// The reply limit the events named (a letter's acceptance or latest transfer, a consultation's or complaint's
    /// `replyLimit`), working days; nil when the configured limit applies.
    public var replyLimit: WorkingDays?
    /// The extension granted (a request's DisclosureRequestExtended, a letter's LetterExtensionGranted), working days.
    public var extensionLimit: WorkingDays?
    /// A letter's transfers (转办), escalations (呈办) and returns (退回).
    public var transfers: Int
    public var escalations: Int
    public var returns: Int
    /// A letter's latest urge: its day and deadline (nil when it names none and no calendar covers the region), and
    /// whether the letter was transferred, escalated, extended or replied to within its window (``Urge``).
    public var urgedOn: CivilDate?
    public var urge: Urge?
    public var urgeMet: Bool
    /// A request's answer outcome, and the outcomes of a reconsideration and a lawsuit about it.
    public var outcome: String?
    public var reconsiderationOutcome: String?
    public var litigationOutcome: String?
    /// Whether a letter's reply was published; whether a complaint was found substantiated.
    public var published: Bool?
    public var substantiated: Bool?

    /// The stream kind: `request`, `letter`, `consultation` or `complaint`.
    public var kind: String { lifecycle.streamKind }

    /// The unit that answers for it: its department, else a letter's mailbox (whose office answers a letter it keeps).
    public var responsibleUnit: String { departmentCode ?? mailbox ?? "unassigned" }

    /// How many times a letter was urged.
    public var urges: Int {
        if case .letter(let s) = lifecycle { return s.urgeCount }
        return 0
    }

    /// How many third parties a request's office consulted.
    public var thirdPartyConsultations: Int {
        if case .request(let s) = lifecycle { return s.thirdPartyConsultations }
        return 0
    }

    /// Whether the answer came by the deadline on `calendar`; nil while unanswered.
    public func answeredInTime(calendar: WorkingDayCalendar) -> Bool? {
        guard let answeredOn else { return nil }
        switch clock {
        case .request(let c): return c.answeredInTime(answeredOn: answeredOn, calendar: calendar)
        case .interaction(let c): return c.answeredInTime(answeredOn: answeredOn, calendar: calendar)
        }
    }

    /// The file opened by `event` on `day`; nil when `event` does not start a stream.
    private init?(opening event: ReplyEvent, on day: CivilDate, rules: Rules) {
        func interaction(_ kind: InteractionKind, _ limit: WorkingDays?) -> ReplyClock {
            .interaction(limit.map { InteractionClock(kind: kind, startedOn: day, limit: $0) }
                         ?? InteractionClock(kind: kind, startedOn: day, limits: rules.interactionLimits))
        }
        switch event {
        case .requestReceived(let departmentCode, _, _, _):
            self.init(lifecycle: .request(DisclosureRequestState(status: .received)), clock: .request(DisclosureRequestClock(receivedOn: day)),
                      departmentCode: departmentCode, receivedOn: day)
        case .letterReceived(let mailbox, _, _, _, let replyLimit):
            self.init(lifecycle: .letter(LetterState(status: .received)), clock: interaction(.letter, replyLimit), mailbox: mailbox, receivedOn: day)
        case .inquiryReceived(let kind, let departmentCode, let itemCode, _, _, let replyLimit):
            let state = InteractionState(status: .received)
            self.init(lifecycle: kind == .consultation ? .consultation(state) : .complaint(state), clock: interaction(kind, replyLimit),
                      departmentCode: departmentCode, itemCode: itemCode, receivedOn: day, replyLimit: replyLimit)
        default:
            return nil
        }
    }

    private init(lifecycle: AggregateState, clock: ReplyClock, departmentCode: String? = nil, mailbox: String? = nil, itemCode: String? = nil,
                 receivedOn: CivilDate, replyLimit: WorkingDays? = nil) {
        self.lifecycle = lifecycle
        self.clock = clock
        self.departmentCode = departmentCode
        self.mailbox = mailbox
        self.itemCode = itemCode
        self.receivedOn = receivedOn
        self.replyLimit = replyLimit
        transfers = 0
        escalations = 0
        returns = 0
        urgeMet = false
    }

    /// A file rebuilt from what a version before the file kept (the supervisor's reply clocks before migration 0023):
    /// the counts of transfers, escalations and returns, which it did not keep, start at zero.
    public init(legacy lifecycle: AggregateState, clock: ReplyClock, departmentCode: String?, mailbox: String?, itemCode: String?,
                receivedOn: CivilDate, answeredOn: CivilDate?, urge: Urge?, urgeMet: Bool) {
        self.init(lifecycle: lifecycle, clock: clock, departmentCode: departmentCode, mailbox: mailbox, itemCode: itemCode, receivedOn: receivedOn)
        self.answeredOn = answeredOn
        self.urge = urge
        self.urgedOn = urge?.urgedOn
        self.urgeMet = urgeMet
    }

    /// Folds `event`, dated `day` in the region, into the file. An event the lifecycle rules refuse (possible only for a
    /// record produced around the gateway) leaves the file unchanged, as it leaves the stream head's state.
    ///
    /// - Parameters:
    ///   - calendar: the region's working-day calendar; without one, a letter's urge that names no deadline has none.
    /// - Returns: nil when `event` cannot start a file (`file` is nil and it is not a `…Received`).
    public static func evolve(_ file: ReplyFile?, _ event: ReplyEvent, on day: CivilDate, calendar: WorkingDayCalendar?, rules: Rules) -> ReplyFile? {
        guard var f = file else { return ReplyFile(opening: event, on: day, rules: rules) }
        guard let lifecycle = evolveLifecycle(f.lifecycle, event) else { return f }
        f.lifecycle = lifecycle
        switch (event, f.clock) {
        case (.requestSupplementRequested, .request(var c)):
            c.requestSupplement(on: day)
            f.clock = .request(c)
        case (.requestSupplementReceived, .request(var c)):
            c.receiveSupplement(on: day)
            f.clock = .request(c)
        case (.thirdPartyConsulted, .request(var c)):
            c.consultThirdParty(on: day)
            f.clock = .request(c)
        case (.requestExtended(let limit), .request(var c)):
            c.extend(by: limit ?? .zero)
            f.clock = .request(c)
            f.extensionLimit = limit
        case (.requestAnswered(let outcome, _), _):
            f.outcome = outcome
        case (.reconsiderationDecided(let outcome), _):
            f.reconsiderationOutcome = outcome
        case (.litigationDecided(let outcome), _):
            f.litigationOutcome = outcome
        case (.letterAccepted(let limit?), .interaction(var c)):
            c.limit = limit
            f.clock = .interaction(c)
            f.replyLimit = limit
        case (.letterTransferred(let to, let limit), _):
            f.transfers += 1
            f.departmentCode = to
            if let limit, case .interaction(var c) = f.clock {
                c.limit = limit
                f.clock = .interaction(c)
                f.replyLimit = limit
            }
        case (.letterEscalated, _):
            f.escalations += 1
        case (.letterReturned, _):
            f.returns += 1
            f.departmentCode = nil
        case (.letterUrged(let deadline), _):
            f.urgedOn = day
            f.urge = deadline.map { Urge(urgedOn: day, deadline: $0) } ?? calendar.map { Urge(urgedOn: day, limit: rules.urgeLimit, calendar: $0) }
            f.urgeMet = false
        case (.letterExtensionGranted(let limit), .interaction(var c)):
            c.extend(by: limit ?? .zero)
            f.clock = .interaction(c)
            f.extensionLimit = limit
        case (.letterReplied(let published), _):
            f.published = published
        case (.inquiryAnswered(_, let substantiated), _):
            f.substantiated = substantiated
        default:
            break
        }
        if event.isAnswer, f.answeredOn == nil { f.answeredOn = day }
        if event.meetsUrge, let urge = f.urge, urge.isMet(byActionOn: day) { f.urgeMet = true }
        return f
    }

    /// Whether `event` may follow `file` (nil: no event yet) under the lifecycle rules; ``evolve`` ignores an event that
    /// may not.
    public static func allows(_ event: ReplyEvent, after file: ReplyFile?) -> Bool {
        guard let file else {
            switch event {
            case .requestReceived, .letterReceived, .inquiryReceived: return true
            default: return false
            }
        }
        return evolveLifecycle(file.lifecycle, event) != nil
    }

    /// The lifecycle after `event`, nil when the rules refuse it.
    private static func evolveLifecycle(_ state: AggregateState, _ event: ReplyEvent) -> AggregateState? {
        switch state {
        case .request(let s):
            guard DisclosureRequestLifecycle.violatedRule(event, given: s) == nil else { return nil }
            return DisclosureRequestLifecycle.evolve(s, event).map(AggregateState.request)
        case .letter(let s):
            guard LetterLifecycle.violatedRule(event, given: s) == nil else { return nil }
            return LetterLifecycle.evolve(s, event).map(AggregateState.letter)
        case .consultation(let s):
            guard InteractionLifecycle.violatedRule(event, kind: .consultation, given: s) == nil else { return nil }
            return InteractionLifecycle.evolve(s, event).map(AggregateState.consultation)
        case .complaint(let s):
            guard InteractionLifecycle.violatedRule(event, kind: .complaint, given: s) == nil else { return nil }
            return InteractionLifecycle.evolve(s, event).map(AggregateState.complaint)
        default:
            return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case lifecycle, clock, departmentCode, mailbox, itemCode, receivedOn, answeredOn, replyLimit, extensionLimit, transfers, escalations,
             returns, urgedOn, urge, urgeMet, outcome, reconsiderationOutcome, litigationOutcome, published, substantiated
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        lifecycle = try c.decode(AggregateState.self, forKey: .lifecycle)
        clock = try c.decode(ReplyClock.self, forKey: .clock)
        departmentCode = try c.decodeIfPresent(String.self, forKey: .departmentCode)
        mailbox = try c.decodeIfPresent(String.self, forKey: .mailbox)
        itemCode = try c.decodeIfPresent(String.self, forKey: .itemCode)
        receivedOn = try c.decode(CivilDate.self, forKey: .receivedOn)
        answeredOn = try c.decodeIfPresent(CivilDate.self, forKey: .answeredOn)
        replyLimit = try c.decodeIfPresent(WorkingDays.self, forKey: .replyLimit)
        extensionLimit = try c.decodeIfPresent(WorkingDays.self, forKey: .extensionLimit)
        transfers = try c.decodeIfPresent(Int.self, forKey: .transfers) ?? 0
        escalations = try c.decodeIfPresent(Int.self, forKey: .escalations) ?? 0
        returns = try c.decodeIfPresent(Int.self, forKey: .returns) ?? 0
        urgedOn = try c.decodeIfPresent(CivilDate.self, forKey: .urgedOn)
        urge = try c.decodeIfPresent(Urge.self, forKey: .urge)
        urgeMet = try c.decodeIfPresent(Bool.self, forKey: .urgeMet) ?? false
        outcome = try c.decodeIfPresent(String.self, forKey: .outcome)
        reconsiderationOutcome = try c.decodeIfPresent(String.self, forKey: .reconsiderationOutcome)
        litigationOutcome = try c.decodeIfPresent(String.self, forKey: .litigationOutcome)
        published = try c.decodeIfPresent(Bool.self, forKey: .published)
        substantiated = try c.decodeIfPresent(Bool.self, forKey: .substantiated)
    }
}
