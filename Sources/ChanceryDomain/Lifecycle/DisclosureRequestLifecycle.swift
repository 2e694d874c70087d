/// Rules of a disclosure request stream (依申请公开, `request/<region>/<number>`):
///
/// | event | allowed when |
/// | --- | --- |
/// | `DisclosureRequestReceived` | starts the stream |
/// | `DisclosureSupplementRequested` (补正) | open and not waiting; at most once |
/// | `DisclosureSupplementReceived` | waiting for the correction |
/// | `ThirdPartyConsulted` | open and not waiting for a correction |
/// | `DisclosureRequestExtended` | open and not waiting for a correction; at most once |
/// | `DisclosureRequestAnswered` | not yet answered (also while waiting: a correction never sent) |
/// | `ReconsiderationFiled` | answered; once; not after a lawsuit was filed |
/// | `ReconsiderationDecided` | a reconsideration is pending |
/// | `LitigationFiled` | answered; once; not while a reconsideration is pending |
/// | `LitigationDecided` | a lawsuit is pending |
public enum DisclosureRequestLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream has no events), or nil when it is legal.
    static func violatedRule(_ event: ReplyEvent, given state: DisclosureRequestState?) -> String? {
        let name = event.name
        guard let s = state else {
            if case .requestReceived = event { return nil }
            return Lifecycle.needsStream(name)
        }
        let status = s.status.rawValue
        switch event {
        case .requestReceived:
            return Lifecycle.startsStream(name)
        case .requestSupplementRequested:
            if s.supplementRequested { return "a correction (补正) is requested at most once per disclosure request" }
            return s.status == .received ? nil : "a correction is requested only while the request is open (it is \(status))"
        case .requestSupplementReceived:
            return s.status == .supplementing ? nil : "no correction received without a request for one (the request is \(status))"
        case .thirdPartyConsulted:
            return s.status == .received ? nil : "a third party is consulted only while the request is open and not waiting for a correction (it is \(status))"
        case .requestExtended:
            if s.extended { return "the reply limit of a disclosure request is extended at most once" }
            return s.status == .received ? nil : "the reply limit is extended only while the request is open and not waiting for a correction (it is \(status))"
        case .requestAnswered:
            return s.status == .answered ? "a disclosure request is answered once" : nil
        case .reconsiderationFiled:
            guard s.status == .answered else { return "a reconsideration is filed only after an answer (the request is \(status))" }
            if s.reconsideration != nil { return "a reconsideration is filed once" }
            if s.litigation != nil { return "no reconsideration after a lawsuit was filed" }
            return nil
        case .reconsiderationDecided:
            switch s.reconsideration {
            case .filed?: return nil
            case .decided?: return "a reconsideration is decided once"
            case nil: return "no reconsideration decision without a reconsideration filed"
            }
        case .litigationFiled:
            guard s.status == .answered else { return "a lawsuit is filed only after an answer (the request is \(status))" }
            if s.litigation != nil { return "a lawsuit is filed once" }
            if s.reconsideration == .filed { return "no lawsuit while a reconsideration is pending; wait for its decision" }
            return nil
        case .litigationDecided:
            switch s.litigation {
            case .filed?: return nil
            case .decided?: return "a lawsuit is decided once"
            case nil: return "no court decision without a lawsuit filed"
            }
        default:
            return "\(name) does not apply to a disclosure request"
        }
    }

    /// The state after `event`, which the rules allow (``violatedRule(_:given:)``); nil when it cannot start a stream.
    static func evolve(_ state: DisclosureRequestState?, _ event: ReplyEvent) -> DisclosureRequestState? {
        if case .requestReceived = event { return DisclosureRequestState(status: .received) }
        guard var s = state else { return nil }
        switch event {
        case .requestSupplementRequested:
            s.status = .supplementing
            s.supplementRequested = true
        case .requestSupplementReceived: s.status = .received
        case .thirdPartyConsulted: s.thirdPartyConsultations += 1
        case .requestExtended: s.extended = true
        case .requestAnswered: s.status = .answered
        case .reconsiderationFiled: s.reconsideration = .filed
        case .reconsiderationDecided: s.reconsideration = .decided
        case .litigationFiled: s.litigation = .filed
        case .litigationDecided: s.litigation = .decided
        default: break
        }
        return s
    }
}
