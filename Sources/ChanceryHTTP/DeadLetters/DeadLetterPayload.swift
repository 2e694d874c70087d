import ChanceryDomain
import Foundation

/// The bytes of a dead letter (its value, or its key) shown safely in JSON: as JSON with personal data masked, as text,
/// or as base64.
///
/// - A value that is UTF-8 JSON is shown as JSON (`encoding` `json`). Members that the event schemas mark as personal
///   data (`"x-personal-data": true`, read through ``EventCatalog``) are masked by ``PersonalDataMask`` — a name keeps its
///   first character, an identity number, a telephone, an address, an e-mail their public part; free text (a letter's
///   content) is withheld (null) — at any depth of the payload, and each masked member's JSON Pointer (RFC 6901) is
///   listed in `masked`. The marks are those of the event's `type` (the member `type` of a structured event, or the
///   `ce_type` header of a binary-mode one); when the type is unknown or absent, those of every type of the catalogue
///   (mask when unsure).
/// - Other UTF-8 text (`encoding` `text`, e.g. a `malformed-json` refusal) is shown with the identity and mobile
///   numbers it contains masked (``PersonalDataMask/freeText(_:)``); names in text that is not JSON cannot be found.
/// - Bytes that are not UTF-8 are shown as base64 (`encoding` `base64`, RFC 4648 §4).
struct DeadLetterPayload: Encodable, Sendable {
    /// `json`, `text` or `base64`.
    var encoding: String
    /// Length of the stored bytes.
    var bytes: Int
    /// The JSON value, the text or the base64 text.
    var value: JSONValue
    /// JSON Pointers of the members masked or withheld.
    var masked: [String]

    /// Names of the members each event type marks as personal, and of every type together (for an unknown type).
    static let personalByType: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: EventCatalog.all.map { ($0.type, Set($0.fields.filter(\.personal).map(\.name))) })
    static let anyPersonal: Set<String> = personalByType.values.reduce(into: []) { $0.formUnion($1) }

    /// The safe form of `bytes`; `headerType` is the `ce_type` header of a binary-mode record, if any.
    init(_ bytes: [UInt8], headerType: String?) {
        self.bytes = bytes.count
        self.masked = []
        guard let text = String(validating: bytes, as: UTF8.self) else {
            encoding = "base64"
            value = .string(Data(bytes).base64EncodedString())
            return
        }
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            encoding = "text"
            value = .string(PersonalDataMask.freeText(text))
            return
        }
        encoding = "json"
        let type = json["type"]?.stringValue ?? headerType
        let personal = type.flatMap { Self.personalByType[$0] } ?? Self.anyPersonal
        var masked: [String] = []
        value = Self.mask(json, personal: personal, pointer: "", masked: &masked)
        self.masked = masked
    }

    /// `value` with every member named in `personal` masked, at any depth.
    static func mask(_ value: JSONValue, personal: Set<String>, pointer: String, masked: inout [String]) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for name in members.keys.sorted() {
                let member = members[name]!
                let path = pointer + "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                if personal.contains(name), member != .null {
                    masked.append(path)
                    if case .string(let s) = member, let shown = PersonalDataMask.mask(s, as: PersonalDataMask.FieldKind(field: name)) {
                        out[name] = .string(shown)
                    } else {
                        out[name] = .null
                    }
                } else {
                    out[name] = mask(member, personal: personal, pointer: path, masked: &masked)
                }
            }
            return .object(out)
        case .array(let elements):
            return .array(elements.enumerated().map { mask($1, personal: personal, pointer: pointer + "/\($0)", masked: &masked) })
        default:
            return value
        }
    }
}

/// One header of a dead letter: its name and its value as UTF-8 text, or base64 when it is not UTF-8 (null when the
/// header has no value).
struct DeadLetterHeaderView: Encodable, Sendable {
    var name: String
    /// `text` or `base64`; null with a null value.
    var encoding: String?
    var value: String?

    init(name: String, bytes: [UInt8]?) {
        self.name = name
        guard let bytes else { return }
        if let text = String(validating: bytes, as: UTF8.self) {
            (encoding, value) = ("text", text)
        } else {
            (encoding, value) = ("base64", Data(bytes).base64EncodedString())
        }
    }

    enum CodingKeys: String, CodingKey { case name, encoding, value }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(value, forKey: .value)
    }
}
