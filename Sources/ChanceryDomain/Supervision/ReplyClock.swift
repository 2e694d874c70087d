/// The reply clock of a supervised stream that is not a case: a disclosure request's
/// (``DisclosureRequestClock``, State Council order 711 or 492) or a letter's, consultation's or
/// complaint's (``InteractionClock``, limits from the event or ``InteractionLimits``). Pure: the
/// supervisor folds the stream's events into it, in stream order, with each event's date in the
/// region's time zone.
///
/// JSON: `{"request":{…DisclosureRequestClock…}}` or `{"interaction":{…InteractionClock…}}`.
public enum ReplyClock: Sendable, Hashable, Codable {
    /// A disclosure request (依申请公开).
    case request(DisclosureRequestClock)
    /// A mailbox letter, consultation or complaint.
    case interaction(InteractionClock)

    /// The clock opened by the first event of a stream received on `day`: DisclosureRequestReceived,
    /// LetterReceived, ConsultationReceived or ComplaintReceived (glossary `name`, `data` of the event);
    /// `nil` for any other event. A consultation's or complaint's `replyLimit` (working days) wins over
    /// `limits`; a letter's limit comes from `limits` until LetterAccepted or LetterTransferred names one.
    public static func opened(by name: String, data: JSONValue, on day: CivilDate, limits: InteractionLimits) -> ReplyClock? {
        func interaction(_ kind: InteractionKind) -> ReplyClock {
            .interaction(data["replyLimit"]?.integerValue.map { InteractionClock(kind: kind, startedOn: day, limit: WorkingDays(Int($0))) }
                         ?? InteractionClock(kind: kind, startedOn: day, limits: limits))
        }
        switch name {
        case "DisclosureRequestReceived": return .request(DisclosureRequestClock(receivedOn: day))
        case "LetterReceived": return interaction(.letter)
        case "ConsultationReceived": return interaction(.consultation)
        case "ComplaintReceived": return interaction(.complaint)
        default: return nil
        }
    }

    /// Folds a later event of the stream in: a supplement request or its arrival, an extension, a
    /// third-party consultation (requests); a letter's reply limit set on acceptance or transfer, or an
    /// extension granted (letters). Other events leave the clock as it is.
    public mutating func apply(_ name: String, data: JSONValue, on day: CivilDate) {
        let days = { (key: String) in data[key]?.integerValue.map { WorkingDays(Int($0)) } }
        switch (self, name) {
        case (.request(var c), "DisclosureSupplementRequested"): c.requestSupplement(on: day); self = .request(c)
        case (.request(var c), "DisclosureSupplementReceived"): c.receiveSupplement(on: day); self = .request(c)
        case (.request(var c), "DisclosureRequestExtended"): c.extend(by: days("extensionLimit") ?? .zero); self = .request(c)
        case (.request(var c), "ThirdPartyConsulted"): c.consultThirdParty(on: day); self = .request(c)
        case (.interaction(var c), "LetterAccepted"), (.interaction(var c), "LetterTransferred"):
            if let limit = days("replyLimit") { c.limit = limit; self = .interaction(c) }
        case (.interaction(var c), "LetterExtensionGranted"): c.extend(by: days("extensionLimit") ?? .zero); self = .interaction(c)
        default: break
        }
    }

    /// The limit in force, in working days (base limit plus the extensions that count).
    public var limit: WorkingDays {
        switch self {
        case .request(let c): c.limit
        case .interaction(let c): c.totalLimit
        }
    }

    /// The last day allowed; `nil` while a stopped clock (an outstanding supplement) holds it open.
    public func deadline(calendar: WorkingDayCalendar) -> CivilDate? {
        switch self {
        case .request(let c): c.deadline(calendar: calendar)
        case .interaction(let c): c.deadline(calendar: calendar)
        }
    }

    /// The first day on which it is overdue if unanswered; `nil` while the clock is stopped short of it.
    public func firstOverdueDate(calendar: WorkingDayCalendar) -> CivilDate? {
        switch self {
        case .request(let c): c.firstOverdueDate(calendar: calendar)
        case .interaction(let c): c.firstOverdueDate(calendar: calendar)
        }
    }

    /// Working days left on `date` (negative once overdue).
    public func workingDaysRemaining(on date: CivilDate, calendar: WorkingDayCalendar) -> WorkingDays {
        switch self {
        case .request(let c): c.workingDaysRemaining(on: date, calendar: calendar)
        case .interaction(let c): c.workingDaysRemaining(on: date, calendar: calendar)
        }
    }

    /// The day the yellow card is due by `threshold` (``DeadlineCards/yellowDate(limit:threshold:reaching:)``).
    public func yellowDate(threshold: YellowThreshold, calendar: WorkingDayCalendar) -> CivilDate? {
        DeadlineCards.yellowDate(limit: limit.count, threshold: threshold) { used in
            switch self {
            case .request(let c): c.date(reaching: used, calendar: calendar)
            case .interaction(let c): c.date(reaching: used, calendar: calendar)
            }
        }
    }
}
