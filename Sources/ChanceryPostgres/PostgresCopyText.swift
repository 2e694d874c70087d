/// Encoder for the `COPY … FROM STDIN` *text* format (PostgreSQL docs, "COPY — File Formats").
///
/// Each row is its fields separated by a tab and terminated by a newline; `nil` is written as
/// `\N`; a backslash, tab, newline and carriage return inside a value are written as `\\`,
/// `\t`, `\n` and `\r`. All other bytes (UTF-8) are sent unchanged.
public enum PostgresCopyText {
    /// Appends one encoded row (fields, tabs, trailing newline) to `buffer`.
    ///
    /// - Parameters:
    ///   - row: field values; `nil` means SQL NULL.
    ///   - buffer: UTF-8 bytes to append to.
    /// - Throws: ``PostgresError`` of kind `.copy` when a value contains a NUL character,
    ///   which PostgreSQL text cannot store.
    public static func appendRow(_ row: [String?], to buffer: inout [UInt8]) throws {
        for (index, field) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"):
                    buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"):
                    buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"):
                    buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                case 0:
                    throw PostgresError(
                        kind: .copy,
                        message: "COPY field \(index) contains a NUL character, which PostgreSQL text cannot store"
                    )
                default:
                    buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Encodes a single row and returns it as a `String` (with trailing newline). Convenience
    /// for tests and logging.
    ///
    /// - Throws: ``PostgresError`` of kind `.copy` for values containing NUL.
    public static func encodeRow(_ row: [String?]) throws -> String {
        var buffer: [UInt8] = []
        try appendRow(row, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
