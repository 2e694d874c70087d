import ChanceryDomain
import ChanceryGateway
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The portal's forms: a disclosure request (申请公开), a letter (写信) and following either by receipt code.
extension Portal {
    /// What a submission came to.
    enum Outcome {
        case receipt(ReceiptCode, subject: String)
        case invalid([SubmissionForm.Failure])
        case message(String, status: HTTPResponse.Status)
    }

    @Sendable func requestForm(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        return try await formPage(request, lang, region: region, kind: "request", form: SubmissionForm(fields: [:]), errors: [], notice: nil, status: .ok)
    }

    @Sendable func letterForm(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        return try await formPage(request, lang, region: region, kind: "letter", form: SubmissionForm(fields: [:]), errors: [], notice: nil, status: .ok)
    }

    @Sendable func submitRequest(request: Request, context: Context) async throws -> Response {
        try await submit(request, context, kind: "request")
    }

    @Sendable func submitLetter(request: Request, context: Context) async throws -> Response {
        try await submit(request, context, kind: "letter")
    }

    private func submit(_ request: Request, _ context: Context, kind: String) async throws -> Response {
        let lang = language(request)
        guard let region = try await region(context) else { return notFound(request, lang) }
        let t = PortalStrings.table(lang)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: SubmissionForm.maxBodyBytes)
        } catch {
            return renderer.page("message", base(request, lang, region: region, title: t["tooLarge"]!)
                .merging(["heading": t["tooLarge"]!, "text": t["tooLarge"]!]) { $1 }, status: .contentTooLarge)
        }
        let form = SubmissionForm(urlEncoded: String(buffer: body))
        let outcome = try await process(form, request: request, context: context, region: region, kind: kind, lang: lang)
        switch outcome {
        case .receipt(let code, _):
            var data = base(request, lang, region: region, title: t["receiptTitle"]!)
            data["code"] = code.display
            data["isRequest"] = kind == "request"
            return renderer.page("receipt", data)
        case .invalid(let errors):
            // 200, not 422: the page is a form to correct, and a browser logs any 4xx page as a console error.
            return try await formPage(request, lang, region: region, kind: kind, form: form, errors: errors, notice: nil, status: .ok)
        case .message(let text, let status):
            return try await formPage(request, lang, region: region, kind: kind, form: form, errors: [], notice: text, status: status)
        }
    }

    /// Checks a submission in order — CSRF token, honeypot, rate limit, the fields, the gateway — and appends it.
    private func process(_ form: SubmissionForm, request: Request, context: Context, region: String, kind: String,
                         lang: PortalLanguage) async throws -> Outcome {
        let t = PortalStrings.table(lang)
        guard formGuard.verify(field: form.fields["csrf"], cookie: FormGuard.cookie(in: request.headers[.cookie])) else {
            return .message(t["csrf"]!, status: .forbidden)
        }
        // A bot filled the hidden field: answer as if refused for a reason it cannot act on, append nothing.
        if !(form.fields[FormGuard.honeypotField] ?? "").isEmpty { return .message(t["csrf"]!, status: .forbidden) }
        guard await formGuard.limiter.allow(context.remoteAddress?.ipAddress ?? "unknown") else {
            return .message(t["rateLimited"]!, status: .tooManyRequests)
        }
        let errors: [SubmissionForm.Failure]
        if kind == "request" {
            let departments = Set(try await departments(region: region, lang).compactMap { $0["code"] as? String })
            errors = form.requestErrors(departments: departments, lang)
        } else {
            errors = form.letterErrors(mailboxes: content.mailboxes(region: region), lang)
        }
        guard errors.isEmpty else { return .invalid(errors) }
        guard let submission = form["submission"].flatMap(UUID.init(uuidString:)) else { return .message(t["csrf"]!, status: .forbidden) }
        guard let appender else { return .message(t["unavailable"]!, status: .serviceUnavailable) }

        let event = PortalEvents.event(kind: kind, form: form, region: region, submission: submission, now: Date())
        let validated: CloudEvent
        switch PortalEvents.validate(event) {
        case .success(let event): validated = event
        case .failure(let rejection): return .message(t["rejected"]! + rejection.message, status: .unprocessableContent)
        }
        if let refusal = Self.principal(region: region).refusal(toPublish: validated) {
            return .message(t["rejected"]! + refusal.message, status: .forbidden)
        }
        let code = ReceiptCode.generate()
        do {
            try await queries.storeReceipt(digest: code.digest, subject: validated.subject, kind: kind, region: region)
        } catch {
            logger.error("portal: cannot store a receipt code: \(error)")
            return .message(t["unavailable"]!, status: .serviceUnavailable)
        }
        do {
            let result = try await appender.append([SubmittedEvent(event: validated, expected: .noStream)])
            if result.replayed {
                try? await queries.deleteReceipt(digest: code.digest)
                return .message(t["alreadySubmitted"]!, status: .conflict)
            }
            return .receipt(code, subject: validated.subject)
        } catch AppendFailure.rejected(_, let rejection) {
            try? await queries.deleteReceipt(digest: code.digest)
            let already = rejection.code == "duplicate-id-conflict" || rejection.code == "version-conflict"
            return .message(already ? t["alreadySubmitted"]! : t["rejected"]! + rejection.message, status: already ? .conflict : .unprocessableContent)
        } catch {
            try? await queries.deleteReceipt(digest: code.digest)
            logger.warning("portal: the gateway did not append a \(kind): \(error)")
            return .message(t["unavailable"]!, status: .serviceUnavailable)
        }
    }

    /// The request or letter form, with the input kept, its errors beside their fields and a fresh CSRF token.
    func formPage(_ request: Request, _ lang: PortalLanguage, region: String, kind: String, form: SubmissionForm,
                  errors: [SubmissionForm.Failure], notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let t = PortalStrings.table(lang)
        let existing = FormGuard.cookie(in: request.headers[.cookie])
        let cookie = existing ?? FormGuard.newCookie()
        var data = base(request, lang, region: region, title: t[kind == "request" ? "onlineRequest" : "mailbox"]!)
        var values: [String: Any] = [:]
        for (k, v) in form.fields where k != "csrf" && k != FormGuard.honeypotField { values[k] = v }
        data["v"] = values
        data["csrf"] = formGuard.token(for: cookie)
        data["submission"] = form["submission"].flatMap(UUID.init(uuidString:))?.uuidString ?? UUID().uuidString
        var byField: [String: String] = [:]
        for e in errors { byField[e.field] = e.message }
        data["errors"] = errors.map { ["field": $0.field, "message": $0.message] }
        data["hasErrors"] = !errors.isEmpty
        data["err"] = byField
        data["invalid"] = Dictionary(uniqueKeysWithValues: byField.keys.map { ($0, true) })
        if let notice { data["notice"] = notice }
        let template: String
        if kind == "request" {
            data["departments"] = try await departments(region: region, lang).map { d -> [String: Any] in
                ["code": d["code"] ?? "", "name": d["name"] ?? "", "selected": (d["code"] as? String) == form["departmentCode"]]
            }
            data["kinds"] = [("citizen", "citizen"), ("legal-person", "legalPerson"), ("other", "otherOrganisation")].map {
                ["code": $0.0, "label": t[$0.1]!, "checked": form["requesterKind"] == $0.0 || (form["requesterKind"] == nil && $0.0 == "citizen")]
            }
            data["answeringBody"] = content.answeringBody(region: region, lang)
            template = "apply"
        } else {
            data["mailboxes"] = content.mailboxes(region: region).map {
                ["code": $0, "label": PortalStrings.label(PortalStrings.mailboxes, $0, lang), "selected": form["mailbox"] == $0]
            }
            data["letterKinds"] = PortalStrings.letterKinds.map { ["code": $0.0, "label": lang.pick($0.1), "selected": form["letterKind"] == $0.0] }
            data["consent"] = form["publishConsent"] != nil
            template = "mailbox"
        }
        var headers: HTTPFields = [:]
        if existing == nil { headers[.setCookie] = FormGuard.setCookie(cookie) }
        return renderer.page(template, data, status: status, headers: headers)
    }

    @Sendable func trackForm(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        return renderer.page("track", base(request, lang, region: nil, title: PortalStrings.table(lang)["track"]!))
    }

    @Sendable func track(request: Request, context: Context) async throws -> Response {
        let lang = language(request)
        let t = PortalStrings.table(lang)
        var data = base(request, lang, region: nil, title: t["track"]!)
        guard await trackLimiter.allow(context.remoteAddress?.ipAddress ?? "unknown") else {
            data["notice"] = t["rateLimited"]!
            return renderer.page("track", data, status: .tooManyRequests)
        }
        let body = try? await request.body.collect(upTo: 4096)
        let form = SubmissionForm(urlEncoded: body.map { String(buffer: $0) } ?? "")
        guard let code = form["code"].flatMap(ReceiptCode.init(typed:)),
              let receipt = try await queries.receipt(digest: code.digest) else {
            data["notice"] = t["trackNotFound"]!
            return renderer.page("track", data, status: .notFound)
        }
        let progress = try await queries.progress(subject: receipt.subject, kind: receipt.kind, region: receipt.region)
        data = base(request, lang, region: receipt.region, title: t["track"]!)
        data["code"] = code.display
        data["isRequest"] = receipt.kind == "request"
        if var row = progress["row"] as? [String: Any] {
            if let code = row["departmentCode"] as? String {
                row["department"] = try await departments(region: receipt.region, lang).first { ($0["code"] as? String) == code }?["name"] ?? code
            }
            row["outcomeLabel"] = (row["outcome"] as? String).map { PortalStrings.label(PortalStrings.outcomes, $0, lang) }
            row["mailboxLabel"] = (row["mailbox"] as? String).map { PortalStrings.label(PortalStrings.mailboxes, $0, lang) }
            data["row"] = row
        } else {
            data["pending"] = true
        }
        data["history"] = (progress["history"] as? [[String: Any]] ?? []).map {
            ["time": $0["time"] ?? "", "label": PortalStrings.label(PortalStrings.events, $0["type"] as? String, lang)]
        }
        return renderer.page("progress", data)
    }
}
