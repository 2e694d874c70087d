/// The masking rules of personal data on public pages and endpoints (DESIGN.md guarantee 8): one rule set for the
/// read API (``nameSQL(_:)``, applied by PostgreSQL) and the public portal (the Swift functions, applied to values).
///
/// Which fields are personal comes from the event schemas (`"x-personal-data": true`, schemas/README.md); how each
/// one is masked comes from its kind (``FieldKind``), read from the field's name. The rules follow the national
/// practice for published approval results (办件公示) and GB/T 35273-2020 (个人信息安全规范) §3.14 de-identification:
///
/// | kind | rule | example |
/// | --- | --- | --- |
/// | a person's name | first character, then one `*`; a one-character name becomes `*` | 张三丰 → 张* |
/// | identity number (GB 11643, 18 characters; 15 for old cards) | first 3 and last 4, the rest `*` | 430424199001011234 → 430***********1234 |
/// | telephone | first 3 and last 4, the rest `*` | 13812345678 → 138****5678 |
/// | address | its district: up to the first 区, 县 or 旗 (else up to the first 市); otherwise withheld | 湖南省衡阳市珠晖区东风路1号 → 湖南省衡阳市珠晖区 |
/// | e-mail | first character, `***`, then `@` and the domain | zhang@example.cn → z***@example.cn |
/// | free text (a letter, a comment) | withheld on public pages; where shown to its own author, embedded ID and mobile numbers masked | |
///
/// An organisation's name and its unified social credit code (统一社会信用代码, GB 32100) are public and shown in full
/// (``applicantName(_:kind:)``).
public enum PersonalDataMask {
    /// How a personal field is masked.
    public enum FieldKind: String, Sendable, CaseIterable {
        case name, idNumber, phone, address, email, freeText

        /// The kind of a personal field from its schema name: `…Name`, `handler`, `reviewer`, `confirmedBy`,
        /// `answeredBy`, `approvedBy` → name; `…IdNumber` → identity number; `…Phone` → telephone; `…Address` →
        /// address; `…Email` → e-mail; anything else (`content`, `comment`) → free text.
        public init(field: String) {
            let f = field.lowercased()
            if f.hasSuffix("idnumber") { self = .idNumber }
            else if f.hasSuffix("phone") { self = .phone }
            else if f.hasSuffix("address") { self = .address }
            else if f.hasSuffix("email") { self = .email }
            else if f.hasSuffix("name") || ["handler", "reviewer", "confirmedby", "answeredby", "approvedby"].contains(f) { self = .name }
            else { self = .freeText }
        }
    }

    /// The public form of `value` of a field of kind `kind`; nil when the value is withheld entirely (free text).
    public static func mask(_ value: String, as kind: FieldKind) -> String? {
        switch kind {
        case .name: name(value)
        case .idNumber: idNumber(value)
        case .phone: phone(value)
        case .address: address(value)
        case .email: email(value)
        case .freeText: nil
        }
    }

    /// A person's name: its first character and one `*` (`张三` → `张*`, `欧阳娜娜` → `欧*`, `Smith` → `S*`); a name of
    /// one character becomes `*`; surrounding white space is ignored; an empty name stays empty.
    public static func name(_ value: String) -> String {
        let v = value.maskTrimmed()
        guard let first = v.first else { return "" }
        return v.count == 1 ? "*" : "\(first)*"
    }

    /// An identity document number: the first 3 and the last 4 characters, every other character `*`
    /// (`43042419900101123X` → `430***********123X`); 7 characters or fewer become all `*`.
    public static func idNumber(_ value: String) -> String {
        keepEnds(value.maskTrimmed(), first: 3, last: 4)
    }

    /// A telephone number: the first 3 and the last 4 digits, the rest `*` (`13812345678` → `138****5678`); separators
    /// are dropped first (`0734-8221234` → `073****1234`).
    public static func phone(_ value: String) -> String {
        keepEnds(String(value.filter { $0.isASCII && $0.isNumber }), first: 3, last: 4)
    }

    /// An address reduced to its district: the text up to and including the first 区, 县 or 旗 (county-level units),
    /// else up to the first 市; `*` when neither occurs (an address without a Chinese division, e.g. a Canadian one).
    public static func address(_ value: String) -> String {
        let v = value.maskTrimmed()
        if let i = v.firstIndex(where: { "区县旗".contains($0) }) { return String(v[...i]) }
        if let i = v.firstIndex(of: "市") { return String(v[...i]) }
        return "*"
    }

    /// An e-mail address: its first character, `***`, `@` and the domain (`zhang@example.cn` → `z***@example.cn`);
    /// `*` when it has no `@`.
    public static func email(_ value: String) -> String {
        let v = value.maskTrimmed()
        guard let at = v.lastIndex(of: "@"), at != v.startIndex else { return "*" }
        return "\(v[v.startIndex])***\(v[at...])"
    }

    /// The public name of an applicant or requester: in full for an organisation (法人或其他组织,
    /// ``isOrganisation(kind:idType:idNumber:)``), masked by ``name(_:)`` for a citizen or when unsure.
    public static func applicantName(_ value: String, kind: String?, idType: String? = nil, idNumber: String? = nil) -> String {
        isOrganisation(kind: kind, idType: idType, idNumber: idNumber) ? value : name(value)
    }

    /// Whether an applicant is an organisation, whose name is public: its kind says so (`legal-person`, `other`),
    /// or its document is a unified social credit code (`idType` `credit-code`, or an `idNumber` that passes the
    /// GB 32100-2015 check and is not a valid resident identity number). When unsure, a person (masked).
    public static func isOrganisation(kind: String?, idType: String?, idNumber: String?) -> Bool {
        if let kind { return kind == "legal-person" || kind == "other" }
        if idType == "credit-code" { return true }
        if idType != nil { return false }
        guard let idNumber else { return false }
        return isUnifiedSocialCreditCode(idNumber) && !isResidentIDNumber(idNumber)
    }

    /// Whether `id` is a resident identity number of GB 11643-1999: 17 digits and a check character (ISO 7064
    /// MOD 11-2: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 written X).
    public static func isResidentIDNumber(_ id: String) -> Bool {
        let chars = Array(id.uppercased())
        guard chars.count == 18, chars[0..<17].allSatisfy(\.isMaskDigit) else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(chars[0..<17], weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = (12 - sum % 11) % 11
        return chars[17] == (check == 10 ? "X" : Character(String(check)))
    }

    /// Whether `code` is a unified social credit code of GB 32100-2015: 18 characters of
    /// `0123456789ABCDEFGHJKLMNPQRTUWXY`, the last a check character (weights 3^i mod 31, check = 31 - sum mod 31).
    public static func isUnifiedSocialCreditCode(_ code: String) -> Bool {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let chars = Array(code)
        guard chars.count == 18 else { return false }
        var values: [Int] = []
        for c in chars {
            guard let v = alphabet.firstIndex(of: c) else { return false }
            values.append(v)
        }
        let sum = zip(values[0..<17], weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 31 - sum % 31
        return values[17] == (check == 31 ? 0 : check)
    }

    /// Free text with the identity numbers (15 or 18 characters, the 18th possibly `X`) and mobile numbers (11 digits
    /// starting with 1) it contains masked as ``idNumber(_:)`` and ``phone(_:)`` do; other text unchanged.
    /// Digit runs are ASCII or full-width digits; a run of another length is left as it is.
    public static func freeText(_ value: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            let ascii = String(run.map { Self.asciiDigit($0) ?? $0 })
            switch ascii.count {
            case 18 where ascii.dropLast().allSatisfy(\.isMaskDigit) && (ascii.last!.isMaskDigit || ascii.last == "X" || ascii.last == "x"),
                 15 where ascii.allSatisfy(\.isMaskDigit):
                out += idNumber(ascii)
            case 11 where ascii.first == "1" && ascii.allSatisfy(\.isMaskDigit):
                out += phone(ascii)
            default:
                out += run
            }
            run = ""
        }
        for c in value {
            if Self.asciiDigit(c) != nil || ((c == "X" || c == "x") && run.count == 17) {
                run.append(c)
                if c == "X" || c == "x" { flush() }
            } else {
                flush()
                out.append(c)
            }
        }
        flush()
        return out
    }

    /// The same name rule as ``name(_:)`` in SQL, for queries that build their JSON in PostgreSQL: `column` must be a
    /// trusted column name, never user input.
    public static func nameSQL(_ column: String) -> String {
        "CASE WHEN \(column) IS NULL THEN NULL WHEN char_length(btrim(\(column))) = 0 THEN '' WHEN char_length(btrim(\(column))) = 1 THEN '*' ELSE left(btrim(\(column)), 1) || '*' END"
    }

    static func keepEnds(_ v: String, first: Int, last: Int) -> String {
        let chars = Array(v)
        guard chars.count > first + last else { return String(repeating: "*", count: chars.count) }
        return String(chars[..<first]) + String(repeating: "*", count: chars.count - first - last) + String(chars[(chars.count - last)...])
    }

    static func asciiDigit(_ c: Character) -> Character? {
        if c.isMaskDigit { return c }
        if let s = c.unicodeScalars.first, c.unicodeScalars.count == 1, (0xFF10...0xFF19).contains(s.value) {
            return Character(Unicode.Scalar(s.value - 0xFF10 + 48)!)
        }
        return nil
    }
}

extension Character {
    fileprivate var isMaskDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate func maskTrimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
