/// One consultation of a third party (征求第三方意见) on a disclosure request: the day the
/// agency consulted it (ThirdPartyConsulted) and, when recorded, the day its opinion arrived.
/// JSON: `{"consultedOn":"2025-03-03","repliedOn":"2025-03-10"}`.
public struct ThirdPartyConsultation: Sendable, Hashable, Codable {
    /// The day the consultation was sent (the event's date in the region's time zone).
    public var consultedOn: CivilDate
    /// The day the third party's opinion arrived, if it did.
    public var repliedOn: CivilDate?

    public init(consultedOn: CivilDate, repliedOn: CivilDate? = nil) {
        self.consultedOn = consultedOn
        self.repliedOn = repliedOn
    }

    /// The days excluded from the reply limit for this consultation, by the supplement day
    /// rule: `consultedOn` counts; excluded from `consultedOn + 1` through its end; counting
    /// restarts the day after. The end is the reply date, but under order 711 never later
    /// than the 15th working day after `consultedOn` (第三十二条: a third party that has not
    /// answered by then has let its time pass; the agency decides alone). `nil` when nothing
    /// is excluded, or — under order 492, which sets the third party no limit — while no reply
    /// is recorded (the clock is stopped; see ``DisclosureRequestClock``).
    func excludedDays(regime: DisclosureRegime, calendar: WorkingDayCalendar) -> ClosedRange<CivilDate>? {
        var end = repliedOn
        if let cap = regime.thirdPartyReplyLimit {
            let capEnd = calendar.date(addingWorkingDays: cap, after: consultedOn)
            end = min(end ?? capEnd, capEnd)
        }
        guard let last = end, last > consultedOn else { return nil }
        return consultedOn.adding(days: 1)...last
    }

    /// Whether, under `regime`, this consultation holds the clock open-endedly (order 492, no reply yet).
    func isOpenEnded(regime: DisclosureRegime) -> Bool {
        repliedOn == nil && regime.thirdPartyReplyLimit == nil
    }
}
