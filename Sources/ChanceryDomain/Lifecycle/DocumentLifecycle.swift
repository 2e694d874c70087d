/// Rules of a disclosure document stream (主动公开, `document/<region>/<number>`):
///
/// | event | allowed when |
/// | --- | --- |
/// | `DocumentReviewed` (保密审查) | starts the stream, or again before publication (a re-review), or on a published document (a revision's review) |
/// | `DocumentPublished` | starts the stream, or follows a review whose conclusion is not `not-publishable`; once |
/// | `DocumentReported` (直报) | published or revised, not yet reported since |
/// | `DocumentRevised` | published (reported or not) |
/// | `DocumentWithdrawn` | published (reported or not); final: nothing follows |
public enum DocumentLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream has no events), or nil when it is legal.
    static func violatedRule(_ event: DocumentEvent, given state: DocumentState?) -> String? {
        let name = event.name
        guard let s = state else {
            switch event {
            case .reviewed, .published: return nil
            default: return Lifecycle.needsStream(name)
            }
        }
        if s.status == .withdrawn { return "nothing follows a document's withdrawal (DocumentWithdrawn is final)" }
        let published = s.status == .published || s.status == .reported
        switch event {
        case .reviewed:
            return nil
        case .published:
            if published { return "a document is published once; a change is a DocumentRevised" }
            if s.reviewConclusion == "not-publishable" {
                return "a document whose confidentiality review concluded not-publishable is not published (review it again first)"
            }
            return nil
        case .reported:
            switch s.status {
            case .published: return nil
            case .reported: return "a document is reported once, after it is published (and again only after a revision)"
            default: return "a document is reported only after it is published (it is \(s.status.rawValue))"
            }
        case .revised:
            return published ? nil : "only a published document is revised (it is \(s.status.rawValue))"
        case .withdrawn:
            return published ? nil : "only a published document is withdrawn (it is \(s.status.rawValue))"
        }
    }

    /// The state after `event`, which the rules allow (``violatedRule(_:given:)``).
    static func evolve(_ state: DocumentState?, _ event: DocumentEvent) -> DocumentState? {
        switch (event, state) {
        case (.reviewed(let conclusion), nil):
            return DocumentState(status: .reviewed, reviewConclusion: conclusion)
        case (.reviewed(let conclusion), var s?):
            s.reviewConclusion = conclusion
            return s
        case (.published, nil):
            return DocumentState(status: .published)
        case (.published, var s?):
            s.status = .published
            return s
        case (.reported, var s?):
            s.status = .reported
            return s
        case (.revised, var s?):
            s.status = .published
            s.revisions += 1
            return s
        case (.withdrawn, var s?):
            s.status = .withdrawn
            return s
        default:
            return state
        }
    }
}
