/// Rules of a mailbox letter stream (书记/县长信箱, `letter/<region>/<number>`):
///
/// | event | allowed when |
/// | --- | --- |
/// | `LetterReceived` | starts the stream |
/// | `LetterAccepted` | received; once |
/// | `LetterTransferred` (转办) | accepted and no department holds it (first transfer, or after a return) |
/// | `LetterEscalated` (呈办), `LetterUrged` (督办) | accepted, not replied |
/// | `LetterReturned` (退回) | a department holds it after a transfer |
/// | `LetterExtensionGranted` (延时) | accepted, not replied; once |
/// | `LetterReplied` | accepted; once; final |
public enum LetterLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream has no events), or nil when it is legal.
    static func violatedRule(_ event: ReplyEvent, given state: LetterState?) -> String? {
        let name = event.name
        guard let s = state else {
            if case .letterReceived = event { return nil }
            return Lifecycle.needsStream(name)
        }
        if case .letterReceived = event { return Lifecycle.startsStream(name) }
        if s.status == .replied { return "a replied letter is closed: nothing follows LetterReplied" }
        let status = s.status.rawValue
        switch event {
        case .letterAccepted:
            return s.status == .received ? nil : "a letter is accepted once, after it is received"
        case .letterTransferred:
            guard s.status == .accepted else { return "a letter is transferred only after it is accepted (it is \(status))" }
            if let holder = s.transferredTo { return "the letter is with \(holder); it is transferred again only after that department returns it" }
            return nil
        case .letterEscalated:
            return s.status == .accepted ? nil : "a letter is escalated only after it is accepted (it is \(status))"
        case .letterUrged:
            return s.status == .accepted ? nil : "a letter is urged only while it is being handled (it is \(status))"
        case .letterReturned:
            return s.transferredTo != nil ? nil : "a letter is returned only by the department it was transferred to; it is not transferred"
        case .letterExtensionGranted:
            guard s.status == .accepted else { return "an extension is granted only while the letter is being handled (it is \(status))" }
            return s.extended ? "a letter's reply limit is extended at most once" : nil
        case .letterReplied:
            return s.status == .accepted ? nil : "a letter is replied to only after it is accepted (it is \(status))"
        default:
            return "\(name) does not apply to a letter"
        }
    }

    /// The state after `event`, which the rules allow (``violatedRule(_:given:)``); nil when it cannot start a stream.
    static func evolve(_ state: LetterState?, _ event: ReplyEvent) -> LetterState? {
        if case .letterReceived = event { return LetterState(status: .received) }
        guard var s = state else { return nil }
        switch event {
        case .letterAccepted: s.status = .accepted
        case .letterTransferred(let to, _): s.transferredTo = to ?? "?"
        case .letterReturned: s.transferredTo = nil
        case .letterUrged: s.urgeCount += 1
        case .letterExtensionGranted: s.extended = true
        case .letterReplied: s.status = .replied
        default: break
        }
        return s
    }
}

/// Rules of a consultation (咨询, `consultation/<region>/<number>`) or complaint (投诉,
/// `complaint/<region>/<number>`) stream: `…Received` starts it, `…Answered` follows once and is final.
public enum InteractionLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream has no events) in a stream of `kind` (`consultation`
    /// or `complaint`), or nil when it is legal.
    static func violatedRule(_ event: ReplyEvent, kind: InteractionKind, given state: InteractionState?) -> String? {
        let name = event.name
        switch event {
        case .inquiryReceived(let k, _, _, _, _, _) where k == kind:
            return state == nil ? nil : Lifecycle.startsStream(name)
        case .inquiryAnswered(let k, _) where k == kind:
            guard let s = state else { return Lifecycle.needsStream(name) }
            return s.status == .received ? nil : "a \(kind.rawValue) is answered once"
        default:
            return state == nil ? Lifecycle.needsStream(name) : "\(name) does not apply to this stream"
        }
    }

    /// The state after `event`, which the rules allow; nil when it cannot start a stream.
    static func evolve(_ state: InteractionState?, _ event: ReplyEvent) -> InteractionState? {
        switch event {
        case .inquiryReceived: return InteractionState(status: .received)
        case .inquiryAnswered:
            guard var s = state else { return nil }
            s.status = .answered
            return s
        default: return state
        }
    }
}
