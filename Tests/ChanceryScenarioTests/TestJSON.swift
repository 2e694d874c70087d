import ChanceryDomain

/// A small strict JSON parser for the tests: decoding tens of thousands of events into ``JSONValue`` through
/// `JSONDecoder` is slow in debug builds (its `init(from:)` probes each type in turn).
struct TestJSONParser {
    struct Failure: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "invalid JSON at byte \(offset)" }
    }

    private let b: [UInt8]
    private var i = 0

    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var p = TestJSONParser(b: bytes)
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.b.count else { throw Failure(offset: p.i) }
        return v
    }

    private init(b: [UInt8]) { self.b = b }

    private mutating func skipSpace() {
        while i < b.count, [0x20, 0x09, 0x0a, 0x0d].contains(b[i]) { i += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for c in literal.utf8 {
            guard i < b.count, b[i] == c else { throw Failure(offset: i) }
            i += 1
        }
    }

    private mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < b.count else { throw Failure(offset: i) }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var o: [String: JSONValue] = [:]
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
            while true {
                skipSpace()
                let k = try string()
                skipSpace()
                try expect(":")
                o[k] = try value()
                skipSpace()
                guard i < b.count else { throw Failure(offset: i) }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect("}")
                return .object(o)
            }
        case UInt8(ascii: "["):
            i += 1
            var a: [JSONValue] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                a.append(try value())
                skipSpace()
                guard i < b.count else { throw Failure(offset: i) }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect("]")
                return .array(a)
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return try number()
        }
    }

    private mutating func number() throws -> JSONValue {
        let start = i
        var fractional = false
        while i < b.count, let c = Optional(b[i]), (c >= 48 && c <= 57) || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(c) {
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { fractional = true }
            i += 1
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if !fractional, let n = Int64(text) { return .integer(n) }
        guard let d = Double(text) else { throw Failure(offset: start) }
        return .number(d)
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else { throw Failure(offset: i) }
        i += 4
        return v
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var bytes: [UInt8] = []
        while true {
            guard i < b.count else { throw Failure(offset: i) }
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { bytes.append(c); continue }
            guard i < b.count else { throw Failure(offset: i) }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
            case UInt8(ascii: "b"): bytes.append(8)
            case UInt8(ascii: "f"): bytes.append(12)
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "r"): bytes.append(13)
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    try expect("\\u")
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw Failure(offset: i) }
                bytes += Array(String(Character(u)).utf8)
            default: throw Failure(offset: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
