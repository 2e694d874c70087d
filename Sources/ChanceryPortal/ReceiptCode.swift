import ChanceryDomain
import Foundation

/// A receipt code (查询码): 16 characters of Crockford's base32 (80 random bits from the system's random source),
/// shown in groups of four, e.g. `7K2M-QX9D-4TNB-H8RW`. Only its SHA-256 is stored (portal.receipts, migration 0019):
/// it cannot be guessed (2^80 codes) nor read back from the database.
struct ReceiptCode: Sendable, Hashable {
    /// Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The 16 characters, without separators.
    let text: String

    /// A new random code.
    static func generate() -> ReceiptCode {
        var rng = SystemRandomNumberGenerator()
        return ReceiptCode(text: String((0..<16).map { _ in alphabet[Int(rng.next() % 32)] }))
    }

    private init(text: String) { self.text = text }

    /// Reads what a person typed: case, spaces and dashes ignored, `I`/`L` read as 1 and `O` as 0 (Crockford);
    /// nil unless 16 characters of the alphabet remain.
    init?(typed: String) {
        var out: [Character] = []
        for c in typed.uppercased() where c != "-" && !c.isWhitespace {
            let d: Character = switch c { case "I", "L": "1"; case "O": "0"; default: c }
            guard Self.alphabet.contains(d) else { return nil }
            out.append(d)
        }
        guard out.count == 16 else { return nil }
        self.text = String(out)
    }

    /// The code as shown: four groups of four joined by `-`.
    var display: String {
        let chars = Array(text)
        return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    /// What is stored: hex SHA-256 of the 16 characters.
    var digest: String { Digest.sha256Hex(Array(text.utf8)) }
}
