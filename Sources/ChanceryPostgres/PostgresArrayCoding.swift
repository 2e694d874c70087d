/// Array conformances: `[UInt8]` is `bytea`; every other array is a PostgreSQL array literal.
///
/// Encoding quotes every scalar element (`{"a","b \"c\"","\\"}`) so any text survives;
/// nested arrays become nested literals (`{{"1","2"},{"3","4"}}`, for multi-dimensional
/// arrays, which must be rectangular). Elements cannot be NULL when encoding.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// `bytea` hex text for `[UInt8]`, otherwise an array literal such as `{"a","b"}`.
    public var postgresText: String {
        // `as? [UInt8]` alone would also match an empty array of any element type.
        if Element.self == UInt8.self, let bytes = self as? [UInt8] { return PostgresBytea.encode(bytes) }
        var text = "{"
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            if let nested = element as? any PostgresArrayLiteralNesting, nested.isPostgresArrayLiteral {
                text += element.postgresText
            } else {
                text += PostgresArrayLiteral.quote(element.postgresText)
            }
        }
        return text + "}"
    }
}

/// Decoding: `[UInt8]` from `bytea` text; other arrays from array literals, one dimension per
/// nesting level. NULL elements decode through ``PostgresDecodable/postgresNull()`` (so
/// `[String?]` accepts them and `[String]` throws).
extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Parses `bytea` text (for `[UInt8]`) or an array literal, e.g. `{1,2,NULL}` or
    /// `[0:1]={a,b}`.
    ///
    /// - Throws: ``PostgresError`` `.decoding` on a malformed literal or an element that
    ///   does not decode.
    public init(postgresText: String) throws {
        if Element.self == UInt8.self {
            self = try PostgresBytea.decode(postgresText) as! [Element]
            return
        }
        let items = try PostgresArrayLiteral.parse(postgresText)
        self = try items.map { item in
            switch item {
            case .null: return try Element.postgresNull()
            case .value(let text): return try Element(postgresText: text)
            }
        }
    }
}

/// Marks array values whose text is itself an array literal (so it is nested unquoted).
protocol PostgresArrayLiteralNesting {
    var isPostgresArrayLiteral: Bool { get }
}

extension Array: PostgresArrayLiteralNesting where Element: PostgresEncodable {
    var isPostgresArrayLiteral: Bool { Element.self != UInt8.self }
}

/// Parser and quoting for PostgreSQL array literals (`,` delimiter).
enum PostgresArrayLiteral {
    enum Item: Equatable {
        case null
        case value(String)
    }

    /// Double-quotes an element, escaping `"` and `\` with a backslash.
    static func quote(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// Splits a literal into its top-level elements. Nested sub-arrays are returned verbatim
    /// (`{…}`) for the element type to parse.
    static func parse(_ text: String) throws -> [Item] {
        let bytes = Array(text.utf8)
        var index = 0
        func fail(_ why: String) -> PostgresError {
            PostgresError.decoding("malformed array literal '\(text)': \(why)")
        }
        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func skipSpace() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { index += 1 }
        }

        skipSpace()
        if peek() == UInt8(ascii: "[") {
            // Dimension decoration such as `[0:2]=` precedes the braces.
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { throw fail("dimension without '='") }
            index = equals + 1
            skipSpace()
        }
        guard peek() == UInt8(ascii: "{") else { throw fail("expected '{'") }
        index += 1
        skipSpace()
        var items: [Item] = []
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            elements: while true {
                skipSpace()
                guard let first = peek() else { throw fail("unterminated") }
                if first == UInt8(ascii: "\"") {
                    index += 1
                    var value: [UInt8] = []
                    while true {
                        guard let byte = peek() else { throw fail("unterminated quoted element") }
                        index += 1
                        if byte == UInt8(ascii: "\"") { break }
                        if byte == UInt8(ascii: "\\") {
                            guard let escaped = peek() else { throw fail("dangling backslash") }
                            value.append(escaped)
                            index += 1
                        } else {
                            value.append(byte)
                        }
                    }
                    items.append(.value(String(decoding: value, as: UTF8.self)))
                } else if first == UInt8(ascii: "{") {
                    let start = index
                    var depth = 0
                    var inQuotes = false
                    scan: while true {
                        guard let byte = peek() else { throw fail("unterminated nested array") }
                        index += 1
                        switch byte {
                        case UInt8(ascii: "\\"): index += 1
                        case UInt8(ascii: "\""): inQuotes.toggle()
                        case UInt8(ascii: "{") where !inQuotes: depth += 1
                        case UInt8(ascii: "}") where !inQuotes:
                            depth -= 1
                            if depth == 0 { break scan }
                        default: break
                        }
                    }
                    items.append(.value(String(decoding: bytes[start..<index], as: UTF8.self)))
                } else {
                    var value: [UInt8] = []
                    var escapedAny = false
                    while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}") {
                        index += 1
                        if byte == UInt8(ascii: "\\") {
                            guard let escaped = peek() else { throw fail("dangling backslash") }
                            value.append(escaped)
                            escapedAny = true
                            index += 1
                        } else {
                            value.append(byte)
                        }
                    }
                    while let last = value.last, last == 0x20 || last == 0x09 || last == 0x0a || last == 0x0d {
                        value.removeLast()
                    }
                    let string = String(decoding: value, as: UTF8.self)
                    if !escapedAny, string.uppercased() == "NULL" {
                        items.append(.null)
                    } else {
                        items.append(.value(string))
                    }
                }
                skipSpace()
                switch peek() {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; break elements
                default: throw fail("expected ',' or '}'")
                }
            }
        }
        skipSpace()
        guard index == bytes.count else { throw fail("trailing characters") }
        return items
    }
}
