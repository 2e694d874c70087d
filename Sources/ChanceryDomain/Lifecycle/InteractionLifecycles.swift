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
    static func violatedRule(_ name: String, _ data: JSONValue, given state: LetterState?) -> String? {
        guard let s = state else {
            return name == "LetterReceived" ? nil : Lifecycle.needsStream(name)
        }
        if s.status == .replied {
            return name == "LetterReceived" ? Lifecycle.startsStream(name) : "a replied letter is closed: nothing follows LetterReplied"
        }
        let status = s.status.rawValue
        switch name {
        case "LetterReceived":
            return Lifecycle.startsStream(name)
        case "LetterAccepted":
            return s.status == .received ? nil : "a letter is accepted once, after it is received"
        case "LetterTransferred":
            guard s.status == .accepted else { return "a letter is transferred only after it is accepted (it is \(status))" }
            if let holder = s.transferredTo { return "the letter is with \(holder); it is transferred again only after that department returns it" }
            return nil
        case "LetterEscalated":
            return s.status == .accepted ? nil : "a letter is escalated only after it is accepted (it is \(status))"
        case "LetterUrged":
            return s.status == .accepted ? nil : "a letter is urged only while it is being handled (it is \(status))"
        case "LetterReturned":
            return s.transferredTo != nil ? nil : "a letter is returned only by the department it was transferred to; it is not transferred"
        case "LetterExtensionGranted":
            guard s.status == .accepted else { return "an extension is granted only while the letter is being handled (it is \(status))" }
            return s.extended ? "a letter's reply limit is extended at most once" : nil
        case "LetterReplied":
            return s.status == .accepted ? nil : "a letter is replied to only after it is accepted (it is \(status))"
        default:
            return "\(name) does not apply to a letter"
        }
    }

    static func evolve(_ state: LetterState?, _ name: String, _ data: JSONValue) -> LetterState? {
        if name == "LetterReceived" { return LetterState(status: .received) }
        guard var s = state else { return nil }
        switch name {
        case "LetterAccepted": s.status = .accepted
        case "LetterTransferred": s.transferredTo = data["toDepartmentCode"]?.stringValue ?? "?"
        case "LetterReturned": s.transferredTo = nil
        case "LetterUrged": s.urgeCount += 1
        case "LetterExtensionGranted": s.extended = true
        case "LetterReplied": s.status = .replied
        default: break
        }
        return s
    }
}

/// Rules of a consultation (咨询, `consultation/<region>/<number>`) or complaint (投诉,
/// `complaint/<region>/<number>`) stream: `…Received` starts it, `…Answered` follows once and is final.
public enum InteractionLifecycle {
    static let starters: Set<String> = ["ConsultationReceived", "ComplaintReceived"]
    static let answers: Set<String> = ["ConsultationAnswered", "ComplaintAnswered"]

    static func violatedRule(_ name: String, _ data: JSONValue, given state: InteractionState?) -> String? {
        guard let s = state else {
            return starters.contains(name) ? nil : Lifecycle.needsStream(name)
        }
        if starters.contains(name) { return Lifecycle.startsStream(name) }
        guard answers.contains(name) else { return "\(name) does not apply to this stream" }
        return s.status == .received ? nil : "a \(name.hasPrefix("Complaint") ? "complaint" : "consultation") is answered once"
    }

    static func evolve(_ state: InteractionState?, _ name: String, _ data: JSONValue) -> InteractionState? {
        if starters.contains(name) { return InteractionState(status: .received) }
        guard var s = state else { return nil }
        if answers.contains(name) { s.status = .answered }
        return s
    }
}
