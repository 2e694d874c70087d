import Foundation
import Testing

@testable import ChanceryPortal

/// The portal's form rules without a server: receipt codes, identity numbers, the CSRF token, the rate limit,
/// the field validation and the Atom escaping.
@Suite struct PortalFormTests {
    @Test func receiptCodesAreReadAsTyped() throws {
        let code = ReceiptCode.generate()
        #expect(code.text.count == 16)
        #expect(code.display.count == 19)
        #expect(ReceiptCode(typed: code.display)?.text == code.text)
        #expect(ReceiptCode(typed: code.display.lowercased().replacingOccurrences(of: "-", with: " "))?.text == code.text)
        #expect(ReceiptCode(typed: "ILO0-0000-0000-0000")?.text == "1100000000000000")
        #expect(ReceiptCode(typed: "U000-0000-0000-0000") == nil)
        #expect(ReceiptCode(typed: "0000-0000-0000") == nil)
        #expect(ReceiptCode.generate() != code)
    }

    @Test(arguments: [
        ("11010519491231002X", true), ("110105194912310021", false), ("440524188001010014", true), ("44052418800101001", false), ("4405241880010100A4", false),
    ])
    func residentIdentityNumbers(id: String, valid: Bool) {
        #expect(SubmissionForm.isResidentIDNumber(id) == valid)
    }

    @Test func csrfTokensBindTheCookie() {
        let guard_ = FormGuard()
        let cookie = FormGuard.newCookie()
        #expect(guard_.verify(field: guard_.token(for: cookie), cookie: cookie))
        #expect(!guard_.verify(field: guard_.token(for: cookie), cookie: FormGuard.newCookie()))
        #expect(!guard_.verify(field: FormGuard().token(for: cookie), cookie: cookie))
        #expect(!guard_.verify(field: nil, cookie: cookie))
        #expect(FormGuard.cookie(in: "a=b; portal_csrf=\(cookie); c=d") == cookie)
        #expect(FormGuard.cookie(in: "portal_csrf=nothex!") == nil)
    }

    @Test func theRateLimitCountsPerAddressWithinItsWindow() async {
        let limiter = RateLimiter(limit: 2, window: 600)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(await limiter.allow("10.0.0.1", now: t0))
        #expect(await limiter.allow("10.0.0.1", now: t0.addingTimeInterval(1)))
        #expect(await !limiter.allow("10.0.0.1", now: t0.addingTimeInterval(2)))
        #expect(await limiter.allow("10.0.0.2", now: t0.addingTimeInterval(2)))
        #expect(await limiter.allow("10.0.0.1", now: t0.addingTimeInterval(601)))
    }

    @Test func aRequestFormIsValidatedFieldByField() {
        let form = SubmissionForm(urlEncoded: "requesterKind=citizen&requesterName=+&requesterPhone=12&requesterEmail=x%40y&departmentCode=zz&description=%E7%9F%AD")
        let fields = Set(form.requestErrors(departments: ["d1"], .zh).map(\.field))
        #expect(fields == ["requesterName", "requesterPhone", "requesterEmail", "departmentCode", "description"])
        let good = SubmissionForm(fields: ["requesterKind": "citizen", "requesterName": "王小明", "requesterPhone": "138 1234 5678",
                                           "departmentCode": "d1", "description": "申请公开某某文件的全文及附件。", "requesterIdNumber": "11010519491231002X"])
        #expect(good.requestErrors(departments: ["d1"], .en).isEmpty)
        #expect(SubmissionForm(fields: ["requesterKind": "citizen"]).requestErrors(departments: [], .en).first?.message.hasPrefix("Enter") == true)
    }

    @Test func aLetterFormIsValidatedFieldByField() {
        let form = SubmissionForm(fields: ["mailbox": "nowhere", "letterKind": "spam", "writerName": "李四", "writerPhone": "13812345678",
                                           "content": String(repeating: "长", count: 5001)])
        let fields = Set(form.letterErrors(mailboxes: ["secretary"], .zh).map(\.field))
        #expect(fields == ["mailbox", "letterKind", "title", "content"])
    }

    @Test func atomTextIsEscaped() {
        #expect(AtomFeed.escape("a<b>&\"c'\u{1}") == "a&lt;b&gt;&amp;&quot;c&apos;")
    }
}
