import Foundation

/// One versioned schema change.
///
/// Its ``checksum`` is `fnv1a64:` followed by 16 lowercase hex digits of the 64-bit FNV-1a
/// hash of the SQL's UTF-8 bytes, after normalising CRLF/CR line endings to LF (so a checkout
/// with different line endings does not count as a change). FNV-1a detects accidental edits;
/// it is not a cryptographic hash.
public struct PostgresMigration: Sendable, Equatable {
    /// Positive version; migrations apply in ascending version order.
    public var version: Int
    /// Human-readable name (from the file name `0001_name.sql` → `name`).
    public var name: String
    /// The SQL script; may contain several statements. It runs inside a transaction, so
    /// statements that cannot (e.g. `CREATE INDEX CONCURRENTLY`) are not supported.
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// `fnv1a64:<16 hex digits>` of the line-ending-normalised SQL.
    public var checksum: String {
        let normalised = sql.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return "fnv1a64:" + FNV1a64.hex(of: Array(normalised.utf8))
    }
}

/// 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
enum FNV1a64 {
    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = String(hash(bytes), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
