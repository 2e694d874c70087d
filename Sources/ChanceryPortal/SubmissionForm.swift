import ChanceryDomain
import Foundation

/// The fields of a submitted portal form (`application/x-www-form-urlencoded`) and their server-side validation,
/// with every error in the user's language (issue 13). Limits are the event schemas' (schemas/events) or tighter.
struct SubmissionForm: Sendable {
    /// The largest form body accepted, in bytes (a letter of 5,000 characters in UTF-8 with percent-encoding fits).
    static let maxBodyBytes = 64 * 1024
    /// The longest description or letter, in characters.
    static let maxTextCharacters = 5000

    var fields: [String: String]

    /// Parses a URL-encoded body: `+` is a space, percent escapes are UTF-8; a repeated name keeps its last value.
    init(urlEncoded body: String) {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.fields = fields
    }

    init(fields: [String: String]) { self.fields = fields }

    /// The trimmed value of a field; nil when absent or blank.
    subscript(_ name: String) -> String? {
        let v = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return v.isEmpty ? nil : v
    }

    /// One validation error: the field (its input's id) and the message.
    struct Failure: Sendable, Equatable {
        var field: String
        var message: String
    }

    /// Errors of a disclosure request form (申请公开): kind, name, identity number, telephone, e-mail, address,
    /// replying department (one of `departments`) and the description.
    func requestErrors(departments: Set<String>, _ language: PortalLanguage) -> [Failure] {
        var errors: [Failure] = []
        func add(_ field: String, _ zh: String, _ en: String) { errors.append(Failure(field: field, message: language.pick((zh, en)))) }
        if !["citizen", "legal-person", "other"].contains(self["requesterKind"] ?? "") { add("requesterKind", "请选择申请人类型。", "Choose the kind of requester.") }
        checkName("requesterName", add)
        if let id = self["requesterIdNumber"] {
            if self["requesterKind"] == "citizen" ? !Self.isResidentIDNumber(id) : !(8...40).contains(id.count) {
                add("requesterIdNumber", "证件号码格式不正确（居民身份证为18位，最后一位可为X）。", "The identity number is not valid (a resident ID has 18 characters, the last may be X).")
            }
        }
        checkPhone("requesterPhone", add)
        checkEmail("requesterEmail", add)
        if let a = self["requesterAddress"], a.count > 200 { add("requesterAddress", "通信地址不能超过200个字。", "The address may have at most 200 characters.") }
        if !departments.contains(self["departmentCode"] ?? "") { add("departmentCode", "请选择答复机关。", "Choose the body that should reply.") }
        checkText("description", min: 10, add)
        return errors
    }

    /// Errors of a letter form (写信): mailbox (one of `mailboxes`), kind, name, telephone, e-mail, subject and letter.
    func letterErrors(mailboxes: [String], _ language: PortalLanguage) -> [Failure] {
        var errors: [Failure] = []
        func add(_ field: String, _ zh: String, _ en: String) { errors.append(Failure(field: field, message: language.pick((zh, en)))) }
        if !mailboxes.contains(self["mailbox"] ?? "") { add("mailbox", "请选择信箱。", "Choose a mailbox.") }
        if !["consultation", "complaint", "suggestion", "report", "other"].contains(self["letterKind"] ?? "") {
            add("letterKind", "请选择信件类别。", "Choose the kind of letter.")
        }
        checkName("writerName", add)
        checkPhone("writerPhone", add)
        checkEmail("writerEmail", add)
        if let t = self["title"] {
            if t.count > 100 { add("title", "信件标题不能超过100个字。", "The subject may have at most 100 characters.") }
        } else {
            add("title", "请填写信件标题。", "Enter a subject.")
        }
        checkText("content", min: 10, add)
        return errors
    }

    private func checkName(_ field: String, _ add: (String, String, String) -> Void) {
        guard let n = self[field] else { return add(field, "请填写姓名或名称。", "Enter your name.") }
        if n.count > 100 { add(field, "姓名或名称不能超过100个字。", "The name may have at most 100 characters.") }
    }

    private func checkPhone(_ field: String, _ add: (String, String, String) -> Void) {
        guard let p = self[field] else { return add(field, "请填写联系电话。", "Enter a telephone number.") }
        let digits = p.filter(\.isNumber)
        if !(7...15).contains(digits.count) || !p.allSatisfy({ $0.isNumber || "+- ()".contains($0) }) {
            add(field, "联系电话格式不正确（7至15位数字）。", "The telephone number is not valid (7 to 15 digits).")
        }
    }

    private func checkEmail(_ field: String, _ add: (String, String, String) -> Void) {
        guard let e = self[field] else { return }
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        if e.count > 200 || parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || e.contains(where: \.isWhitespace) {
            add(field, "电子邮箱格式不正确。", "The e-mail address is not valid.")
        }
    }

    private func checkText(_ field: String, min: Int, _ add: (String, String, String) -> Void) {
        let t = self[field] ?? ""
        if t.count < min { add(field, "内容太短，请至少填写\(min)个字。", "Please write at least \(min) characters.") }
        if t.count > Self.maxTextCharacters {
            add(field, "内容不能超过\(Self.maxTextCharacters)个字。", "The text may have at most \(Self.maxTextCharacters) characters.")
        }
    }

    /// Whether `id` is a resident identity number of GB 11643-1999 (``PersonalDataMask/isResidentIDNumber(_:)``).
    static func isResidentIDNumber(_ id: String) -> Bool { PersonalDataMask.isResidentIDNumber(id) }
}
