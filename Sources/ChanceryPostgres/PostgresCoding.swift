import Foundation

/// A Swift value that can be sent as a query parameter in PostgreSQL *text* format.
///
/// Parameters are always sent separately from the SQL (`$1…$n`), never spliced into it, so no
/// quoting or escaping of the SQL text is involved. The server infers each parameter's type
/// from context; add a cast (`$1::bigint`, `$1::text[]`) where the context is ambiguous.
///
/// Built-in conformances and their text forms:
/// - `String` (as is; must not contain NUL), `Substring`
/// - `Int`, `Int8`, `Int16`, `Int32`, `Int64`, `UInt8`, `UInt16`, `UInt32` (decimal)
/// - `Double`, `Float` (shortest round-trip decimal; `Infinity`, `-Infinity`, `NaN`)
/// - `Bool` (`true` / `false`)
/// - `Decimal` (plain decimal, for `numeric`)
/// - `UUID` (canonical 8-4-4-4-12)
/// - `Date` (RFC 3339 UTC with microseconds, e.g. `2024-05-01T12:30:00.250000Z`, for
///   `timestamptz`)
/// - `[UInt8]` and `Data` (`bytea` hex form `\x0aff…`)
/// - other arrays of encodable elements, e.g. `[String]`, `[Int64]`, `[[Int]]` (array
///   literals such as `{"a","b \"c\""}`, for `text[]`, `bigint[]`, …)
///
/// Bind values by interpolating them into a ``PostgresQuery``; an optional that is `nil` binds SQL NULL.
public protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL text input format.
    var postgresText: String { get }
}

/// A Swift value that can be built from PostgreSQL *text* output.
///
/// Built-in conformances mirror ``PostgresEncodable`` (plus `Optional` of any decodable, which
/// maps SQL NULL to `nil`). Text output is what the server sends for the session settings
/// applied at connect (`DateStyle=ISO`, `TimeZone=UTC`, `bytea_output` hex or escape).
public protocol PostgresDecodable {
    /// Parses a non-NULL value.
    ///
    /// - Throws: ``PostgresError`` of kind `.decoding` when `postgresText` is not a valid
    ///   representation of `Self`.
    init(postgresText: String) throws

    /// The value for SQL NULL.
    ///
    /// - Throws: ``PostgresError`` of kind `.decoding` (the default) for non-optional types;
    ///   `Optional` returns `nil`.
    static func postgresNull() throws -> Self
}

extension PostgresDecodable {
    /// Default: NULL is not representable, throws a `.decoding` ``PostgresError``.
    public static func postgresNull() throws -> Self {
        throw PostgresError.decoding("unexpected NULL for non-optional \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped value.
    ///
    /// - Throws: whatever `Wrapped.init(postgresText:)` throws.
    public init(postgresText: String) throws {
        self = .some(try Wrapped(postgresText: postgresText))
    }

    /// SQL NULL decodes as `nil`.
    public static func postgresNull() throws -> Wrapped? { nil }
}

// MARK: - Text

extension String: PostgresEncodable, PostgresDecodable {
    /// The string itself.
    public var postgresText: String { self }
    /// The text as sent by the server (never throws).
    public init(postgresText: String) throws { self = postgresText }
}

extension Substring: PostgresEncodable {
    /// The substring's characters.
    public var postgresText: String { String(self) }
}

// MARK: - Integers

/// Shared decoding for fixed-width integers: decimal text, optional leading sign.
private func decodeInteger<T: FixedWidthInteger>(_ text: String, as _: T.Type) throws -> T {
    guard let value = T(text, radix: 10) else {
        throw PostgresError.decoding("cannot decode \(T.self) from '\(text)'")
    }
    return value
}

extension Int: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: Int.self) }
}

extension Int8: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: Int8.self) }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    /// Decimal text (`smallint`).
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: Int16.self) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    /// Decimal text (`integer`).
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: Int32.self) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    /// Decimal text (`bigint`).
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: Int64.self) }
}

extension UInt8: PostgresEncodable, PostgresDecodable {
    /// Decimal text. Note that `[UInt8]` encodes as `bytea`, not as an integer array.
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: UInt8.self) }
}

extension UInt16: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: UInt16.self) }
}

extension UInt32: PostgresEncodable, PostgresDecodable {
    /// Decimal text.
    public var postgresText: String { String(self) }
    /// Parses decimal text. Throws `.decoding` on malformed or out-of-range text.
    public init(postgresText: String) throws { self = try decodeInteger(postgresText, as: UInt32.self) }
}

// MARK: - Floating point

extension Double: PostgresEncodable, PostgresDecodable {
    /// Shortest round-trip decimal (`1e-05`, `0.1`), or `Infinity`, `-Infinity`, `NaN`.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }

    /// Parses `double precision` / `real` / `numeric` text, including `Infinity` and `NaN`.
    /// Throws `.decoding` on malformed text.
    public init(postgresText: String) throws {
        guard let value = Double(postgresText) else {
            throw PostgresError.decoding("cannot decode Double from '\(postgresText)'")
        }
        self = value
    }
}

extension Float: PostgresEncodable, PostgresDecodable {
    /// Shortest round-trip decimal, or `Infinity`, `-Infinity`, `NaN`.
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }

    /// Parses `real` text, including `Infinity` and `NaN`. Throws `.decoding` on malformed text.
    public init(postgresText: String) throws {
        guard let value = Float(postgresText) else {
            throw PostgresError.decoding("cannot decode Float from '\(postgresText)'")
        }
        self = value
    }
}

extension Decimal: PostgresEncodable, PostgresDecodable {
    /// Plain decimal text with `.` separator (`numeric`). `NaN` for NaN.
    public var postgresText: String { isNaN ? "NaN" : description }

    /// Parses `numeric` text. Throws `.decoding` on malformed text or `Infinity` (not
    /// representable).
    public init(postgresText: String) throws {
        if postgresText == "NaN" { self = .nan; return }
        let allowed = Set("0123456789+-.eE")
        guard !postgresText.isEmpty, postgresText.allSatisfy({ allowed.contains($0) }),
              let value = Decimal(string: postgresText, locale: Locale(identifier: "en_US_POSIX"))
        else {
            throw PostgresError.decoding("cannot decode Decimal from '\(postgresText)'")
        }
        self = value
    }
}

// MARK: - Bool, UUID

extension Bool: PostgresEncodable, PostgresDecodable {
    /// `true` or `false`.
    public var postgresText: String { self ? "true" : "false" }

    /// Parses `t`/`f` (server output) and `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`.
    /// Throws `.decoding` otherwise.
    public init(postgresText: String) throws {
        switch postgresText.lowercased() {
        case "t", "true", "yes", "on", "1": self = true
        case "f", "false", "no", "off", "0": self = false
        default: throw PostgresError.decoding("cannot decode Bool from '\(postgresText)'")
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    /// Canonical hyphenated form (`uuid`).
    public var postgresText: String { uuidString.lowercased() }

    /// Parses hyphenated UUID text (any case). Throws `.decoding` on malformed text.
    public init(postgresText: String) throws {
        guard let value = UUID(uuidString: postgresText) else {
            throw PostgresError.decoding("cannot decode UUID from '\(postgresText)'")
        }
        self = value
    }
}

// MARK: - bytea

/// `bytea` text forms: hex (`\x0aff`, the server default) and the legacy escape format.
enum PostgresBytea {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `\x` followed by two lowercase hex digits per byte.
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        output.reserveCapacity(2 + bytes.underestimatedCount * 2)
        for byte in bytes {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes hex (`\x…`) or escape-format `bytea` text.
    static func decode(_ text: String) throws -> [UInt8] {
        let utf8 = Array(text.utf8)
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x") {
            let digits = utf8[2...]
            guard digits.count % 2 == 0 else { throw PostgresError.decoding("odd-length bytea hex text") }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(digits.count / 2)
            var index = digits.startIndex
            while index < digits.endIndex {
                guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                    throw PostgresError.decoding("invalid bytea hex text")
                }
                bytes.append(high << 4 | low)
                index += 2
            }
            return bytes
        }
        // Escape format: `\\` is a backslash, `\nnn` an octal byte, everything else literal.
        var bytes: [UInt8] = []
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte != UInt8(ascii: "\\") {
                bytes.append(byte); index += 1; continue
            }
            if index + 1 < utf8.count, utf8[index + 1] == UInt8(ascii: "\\") {
                bytes.append(byte); index += 2; continue
            }
            guard index + 3 < utf8.count,
                  let value = UInt8(String(decoding: utf8[(index + 1)..<(index + 4)], as: UTF8.self), radix: 8)
            else { throw PostgresError.decoding("invalid bytea escape text") }
            bytes.append(value)
            index += 4
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Data: PostgresEncodable, PostgresDecodable {
    /// `bytea` hex form, `\x` followed by two hex digits per byte.
    public var postgresText: String { PostgresBytea.encode(self) }

    /// Parses `bytea` hex or escape text. Throws `.decoding` on malformed text.
    public init(postgresText: String) throws { self = Data(try PostgresBytea.decode(postgresText)) }
}
