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
    static func violatedRule(_ name: String, _ data: JSONValue, given state: DocumentState?) -> String? {
        guard let s = state else {
            return name == "DocumentReviewed" || name == "DocumentPublished" ? nil : Lifecycle.needsStream(name)
        }
        if s.status == .withdrawn { return "nothing follows a document's withdrawal (DocumentWithdrawn is final)" }
        let published = s.status == .published || s.status == .reported
        switch name {
        case "DocumentReviewed":
            return nil
        case "DocumentPublished":
            if published { return "a document is published once; a change is a DocumentRevised" }
            if s.reviewConclusion == "not-publishable" {
                return "a document whose confidentiality review concluded not-publishable is not published (review it again first)"
            }
            return nil
        case "DocumentReported":
            switch s.status {
            case .published: return nil
            case .reported: return "a document is reported once, after it is published (and again only after a revision)"
            default: return "a document is reported only after it is published (it is \(s.status.rawValue))"
            }
        case "DocumentRevised":
            return published ? nil : "only a published document is revised (it is \(s.status.rawValue))"
        case "DocumentWithdrawn":
            return published ? nil : "only a published document is withdrawn (it is \(s.status.rawValue))"
        default:
            return "\(name) does not apply to a document"
        }
    }

    static func evolve(_ state: DocumentState?, _ name: String, _ data: JSONValue) -> DocumentState? {
        switch (name, state) {
        case ("DocumentReviewed", nil):
            return DocumentState(status: .reviewed, reviewConclusion: data["conclusion"]?.stringValue)
        case ("DocumentReviewed", var s?):
            s.reviewConclusion = data["conclusion"]?.stringValue
            return s
        case ("DocumentPublished", nil):
            return DocumentState(status: .published)
        case ("DocumentPublished", var s?):
            s.status = .published
            return s
        case ("DocumentReported", var s?):
            s.status = .reported
            return s
        case ("DocumentRevised", var s?):
            s.status = .published
            s.revisions += 1
            return s
        case ("DocumentWithdrawn", var s?):
            s.status = .withdrawn
            return s
        default:
            return state
        }
    }
}
