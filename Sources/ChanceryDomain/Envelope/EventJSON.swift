/// The JSON parser of both doors: reads a submitted event (or a batch, or a binary-mode `data`) from its UTF-8
/// bytes into a ``JSONValue``, refusing what JSON allows but the read models cannot store (``StorageLimits``)
/// with the JSON Pointer of the offending member — which a general-purpose decoder cannot give.
///
/// It accepts RFC 8259 JSON text (a leading UTF-8 byte order mark is tolerated; a repeated member name keeps
/// the last value, as PostgreSQL `jsonb` does) and refuses, besides malformed text:
/// - `\u0000` in a string or member name (U+0000, NUL);
/// - a lone UTF-16 surrogate escape (`\ud800` not followed by `\udc00`…`\udfff`, or a low surrogate alone);
/// - arrays and objects nested deeper than the given limit;
/// - an integer literal (no fraction, no exponent) outside the signed 64-bit range, and a number whose value
///   overflows a 64-bit binary floating-point number (e.g. `1e400`).
///
/// Numbers are read as Foundation's `JSONDecoder` read them into a ``JSONValue`` before this parser: an integer
/// literal as ``JSONValue/integer(_:)``, any other number whose value is a 64-bit integer (`5.0`, `1e2`) too, the
/// rest as ``JSONValue/number(_:)``.
///
/// Everything else, including NUL-free strings of any Unicode scalar, is kept exactly as sent.
public enum EventJSON {
    /// Why bytes were not read as an event's JSON.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not JSON: the reason and the byte offset (from 0) where reading stopped.
        case malformed(offset: Int, reason: String)
        /// JSON, with a value the read models cannot store at `pointer` (RFC 6901, relative to the parsed
        /// document; for a bad member name the pointer of the object holding it).
        case unstorable(pointer: String, reason: String)

        public var description: String {
            switch self {
            case .malformed(let offset, let reason): "\(reason) at byte \(offset)"
            case .unstorable(let pointer, let reason): "\(pointer.isEmpty ? "/" : pointer): \(reason)"
            }
        }
    }

    /// Parses one JSON document.
    ///
    /// - Parameter bytes: UTF-8 JSON text.
    /// - Parameter maxDepth: the deepest nesting of arrays and objects allowed, the root being level 1
    ///   (``StorageLimits/maxNestingDepth`` for an event).
    /// - Throws: ``Failure``.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = StorageLimits.maxNestingDepth) throws(Failure) -> JSONValue {
        var parser = Parser(bytes: Array(bytes), maxDepth: maxDepth)
        do throws(Parser.Stop) {
            parser.skipWhitespace()
            let value = try parser.parseValue(level: 1)
            parser.skipWhitespace()
            guard parser.index == parser.bytes.count else { throw parser.malformed("unexpected text after the document") }
            return value
        } catch {
            throw error.failure
        }
    }

    /// Parses a submission as a door receives it, for ``EventValidator/validateSubmission(_:pointerPrefix:)``.
    ///
    /// - Parameter bytes: the HTTP body or the `gov.inbound` record value.
    /// - Parameter form: what the bytes hold: one event, a batch (a JSON array of events: one more level), or the
    ///   `data` of a binary-mode record (pointers under `/data`, one level less).
    /// - Throws: ``EventRejection`` `malformed-json` (pointer `""`, the message `not JSON: <reason> at byte <n>`) or
    ///   `unstorable-value` with the pointer of the member, as in the submitted document.
    public static func parseSubmission(_ bytes: some Collection<UInt8>, form: Form = .event) throws(EventRejection) -> JSONValue {
        let depth = switch form {
        case .event: StorageLimits.maxNestingDepth
        case .batch: StorageLimits.maxNestingDepth + 1
        case .binaryData: StorageLimits.maxNestingDepth - 1
        }
        do throws(Failure) {
            return try parse(bytes, maxDepth: depth)
        } catch {
            switch error {
            case .malformed(let offset, let reason):
                throw EventRejection(code: "malformed-json", pointer: "", message: "not JSON: \(reason) at byte \(offset)")
            case .unstorable(let pointer, let reason):
                throw StorageLimits.refusal(form == .binaryData ? "/data" + pointer : pointer, reason)
            }
        }
    }

    /// What a door's bytes hold.
    public enum Form: Sendable, Hashable {
        /// One event (`application/cloudevents+json`, a structured-mode record).
        case event
        /// A JSON array of events (`application/cloudevents-batch+json`).
        case batch
        /// The `data` of a binary-mode record, whose attributes are `ce_` headers.
        case binaryData
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0

        /// A failure on its way up: unstorable ones collect the reference tokens of their pointer, innermost first.
        struct Stop: Error {
            var malformed: (offset: Int, reason: String)?
            var reason = ""
            var reversedTokens: [String] = []

            var failure: Failure {
                if let m = malformed { return .malformed(offset: m.offset, reason: m.reason) }
                return .unstorable(pointer: reversedTokens.reversed().map { "/" + StorageLimits.escape($0) }.joined(), reason: reason)
            }

            func under(_ token: String) -> Stop {
                guard malformed == nil else { return self }
                var s = self
                s.reversedTokens.append(token)
                return s
            }
        }

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        func malformed(_ reason: String) -> Stop { Stop(malformed: (index, reason)) }
        func unstorable(_ reason: String) -> Stop { Stop(malformed: nil, reason: reason) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// Parses the value at `index`; `level` is its nesting level should it be an array or object.
        mutating func parseValue(level: Int) throws(Stop) -> JSONValue {
            guard index < bytes.count else { throw malformed("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(level: level)
            case UInt8(ascii: "["): return try parseArray(level: level)
            case UInt8(ascii: "\""): return .string(try parseString(isName: false))
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw malformed("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(Stop) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw malformed("expected \(word)") }
            for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw malformed("expected \(word)") }
            index += count
        }

        func tooDeep() -> Stop {
            unstorable("arrays and objects nest deeper than \(maxDepth) levels")
        }

        mutating func parseObject(level: Int) throws(Stop) -> JSONValue {
            guard level <= maxDepth else { throw tooDeep() }
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw malformed("expected a member name") }
                let key = try parseString(isName: true)
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw malformed("expected ':'") }
                index += 1
                skipWhitespace()
                do throws(Stop) {
                    members[key] = try parseValue(level: level + 1)
                } catch {
                    throw error.under(key)
                }
                skipWhitespace()
                guard index < bytes.count else { throw malformed("unexpected end of input in an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw malformed("expected ',' or '}'")
            }
        }

        mutating func parseArray(level: Int) throws(Stop) -> JSONValue {
            guard level <= maxDepth else { throw tooDeep() }
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                skipWhitespace()
                do throws(Stop) {
                    elements.append(try parseValue(level: level + 1))
                } catch {
                    throw error.under(String(elements.count))
                }
                skipWhitespace()
                guard index < bytes.count else { throw malformed("unexpected end of input in an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw malformed("expected ',' or ']'")
            }
        }

        mutating func hex4() throws(Stop) -> UInt32 {
            guard index + 4 <= bytes.count else { throw malformed("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[index]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw malformed("bad hex digit in a \\u escape")
                }
                v = v * 16 + d
                index += 1
            }
            return v
        }

        /// Parses the string at `index` (its opening quote). A NUL or a lone surrogate is thrown as unstorable
        /// with no token of its own: a value's pointer gets its token from the enclosing container; a member
        /// name's failure is reported at the object holding it.
        mutating func parseString(isName: Bool) throws(Stop) -> String {
            index += 1
            let what = isName ? "a member name" : "the string"
            var out: [UInt8] = []
            var start = index
            while true {
                guard index < bytes.count else { throw malformed("unterminated string") }
                let c = bytes[index]
                switch c {
                case UInt8(ascii: "\""):
                    out.append(contentsOf: bytes[start..<index])
                    index += 1
                    guard let s = String(validating: out, as: UTF8.self) else { throw malformed("a string is not valid UTF-8") }
                    return s
                case UInt8(ascii: "\\"):
                    out.append(contentsOf: bytes[start..<index])
                    index += 1
                    guard index < bytes.count else { throw malformed("unterminated escape") }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if scalar == 0 {
                            throw unstorable("\(what) holds \\u0000 (U+0000, NUL), which PostgreSQL text and jsonb cannot store")
                        }
                        if (0xD800...0xDBFF).contains(scalar) {
                            let lone = unstorable("\(what) holds a lone UTF-16 surrogate (\\u\(hex(scalar)) without its low half), which PostgreSQL jsonb refuses")
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw lone }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw lone }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            throw unstorable("\(what) holds a lone UTF-16 low surrogate (\\u\(hex(scalar))), which PostgreSQL jsonb refuses")
                        }
                        guard let u = Unicode.Scalar(scalar) else { throw malformed("invalid code point in a \\u escape") }
                        out.append(contentsOf: String(Character(u)).utf8)
                    default:
                        throw malformed("unknown escape \\\(Character(Unicode.Scalar(e)))")
                    }
                    start = index
                case 0x00..<0x20:
                    throw malformed("unescaped control character in a string")
                default:
                    index += 1
                }
            }
        }

        func hex(_ v: UInt32) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }

        mutating func parseNumber() throws(Stop) -> JSONValue {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                let s = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                return index - s
            }
            guard index < bytes.count else { throw malformed("truncated number") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw malformed("expected a digit")
            }
            var integral = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                integral = false
                index += 1
                guard digits() > 0 else { throw malformed("expected a digit after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                integral = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw malformed("expected a digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if integral {
                guard let i = Int64(text) else {
                    throw unstorable("the integer \(text) does not fit a signed 64-bit integer (−2⁶³ … 2⁶³ − 1); Chancery keeps integers exactly only in that range")
                }
                return .integer(i)
            }
            guard let d = Double(text), d.isFinite else {
                throw unstorable("the number \(text) is beyond the range of a 64-bit binary floating-point number")
            }
            // An integral value written with a fraction or exponent (5.0, 1e2) is an integer, as Foundation's
            // JSONDecoder read it before (the event's canonical bytes, and so its hash, do not change).
            if let i = Int64(exactly: d) { return .integer(i) }
            return .number(d)
        }
    }
}
