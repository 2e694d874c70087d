import ChanceryDomain
import Foundation

/// The events the portal's forms become (schemas/events): `DisclosureRequestReceived` on a new stream
/// `request/<region>/WEB-<yyyyMMdd>-<8 hex>` and `LetterReceived` on `letter/<region>/WEB-<yyyyMMdd>-<8 hex>`, with
/// source `/<region>/portal`, channel `online`, and the id `portal-<submission>`: the form's hidden submission id, so
/// a form sent twice appends once (the gateway answers the second with the first result).
enum PortalEvents {
    /// The gateway's submission checks, as at the HTTP door (``EventValidator/validateSubmission(_:pointerPrefix:)``):
    /// storable values, envelope rules, the data's schema.
    static func validate(_ event: CloudEvent) -> Result<CloudEvent, EventRejection> {
        do throws(EventRejection) {
            let json = try EventJSON.parseSubmission(event.jsonBytes())
            let (validated, _) = try EventValidator.validateSubmission(json)
            return .success(validated)
        } catch {
            return .failure(error)
        }
    }

    static func event(kind: String, form: SubmissionForm, region: String, submission: UUID, now: Date) -> CloudEvent {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let day = DateFormatter()
        day.dateFormat = "yyyyMMdd"
        day.timeZone = TimeZone(identifier: PortalQueries.timeZone(region))
        day.locale = Locale(identifier: "en_US_POSIX")
        let suffix = String(submission.uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
        let number = "WEB-\(day.string(from: now))-\(suffix)"
        var data: [String: JSONValue] = [:]
        func put(_ key: String, _ field: String) { if let v = form[field] { data[key] = .string(v) } }
        let type: String
        let subject: String
        if kind == "request" {
            type = "gov.disclosure.request.received"
            subject = "request/\(region)/\(number)"
            for f in ["requesterName", "requesterKind", "description", "departmentCode", "requesterIdNumber", "requesterPhone",
                      "requesterAddress", "requesterEmail"] { put(f, f) }
            data["channel"] = "online"
        } else {
            type = "gov.interaction.letter.received"
            subject = "letter/\(region)/\(number)"
            for f in ["mailbox", "writerName", "title", "content", "writerPhone", "writerEmail", "letterKind"] { put(f, f) }
            data["publishConsent"] = .bool(form["publishConsent"] != nil)
        }
        return CloudEvent(id: "portal-\(submission.uuidString.lowercased())", source: "/\(region)/portal", type: type, subject: subject,
                          time: formatter.string(from: now), region: region, data: .object(data),
                          dataschema: EventCatalog.eventType(type)?.dataschema(version: 1))
    }
}
