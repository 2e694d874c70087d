import Crypto
import Foundation

/// Ed25519 signed notes (C2SP `signed-note`) and transparency-log checkpoints (C2SP `tlog-checkpoint`), pure.
///
/// A note is its text (non-empty lines, each ending in a newline), a blank line, and signature lines
/// `— <key name> <base64(key ID ‖ signature)>`. For Ed25519 (signature type 0x01) the key ID is the first 4 bytes of
/// `SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)` and the signature is over the text bytes. The same formats as Go's
/// `golang.org/x/mod/sumdb/note`, so existing transparency-log tools read Chancery's checkpoints.
public enum SignedNote {
    /// The signature algorithm byte of Ed25519 in signed notes.
    public static let ed25519: UInt8 = 0x01

    /// `SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[0..<4]`.
    public static func keyID(name: String, publicKey: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: Array(name.utf8))
        h.update(data: [0x0A, ed25519])
        h.update(data: publicKey)
        return Array(Array(h.finalize()).prefix(4))
    }

    /// Whether `name` may name a key: non-empty, no whitespace, no `+`.
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace }
    }
}

/// The private half: signs notes. Its text form is the one of Go's `note.NewSigner`:
/// `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>`.
public struct NoteSigner: Sendable {
    public let name: String
    /// The 32-byte Ed25519 seed (kept as bytes: swift-crypto's key type is not `Sendable`).
    private let seed: [UInt8]
    private var key: Curve25519.Signing.PrivateKey {
        // The seed came from a valid key (init), so this cannot fail.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// - Throws: ``SignedNoteError`` when `name` cannot name a key.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(SignedNoteError) {
        guard SignedNote.isValidKeyName(name) else { throw SignedNoteError("the key name '\(name)' is empty or has a space or '+'") }
        self.name = name
        self.seed = Array(privateKey.rawRepresentation)
    }

    /// A new random key.
    public static func generate(name: String) throws(SignedNoteError) -> NoteSigner {
        try NoteSigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// Parses the text form `PRIVATE+KEY+<name>+<hex id>+<base64>` (surrounding whitespace ignored).
    public init(encoded: String) throws(SignedNoteError) {
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else { throw SignedNoteError("not a signer key (PRIVATE+KEY+<name>+<id>+<key>)") }
        guard let raw = Data(base64Encoded: String(parts[4])), raw.count == 33, raw.first == SignedNote.ed25519 else {
            throw SignedNoteError("the signer key is not an Ed25519 key (0x01 and 32 bytes, base64)")
        }
        let key: Curve25519.Signing.PrivateKey
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw.dropFirst()) } catch { throw SignedNoteError("the signer key is malformed: \(error)") }
        try self.init(name: String(parts[2]), privateKey: key)
        guard Merkle.hex(keyID) == parts[3].lowercased() else { throw SignedNoteError("the signer key's ID \(parts[3]) does not match its name and key") }
    }

    public var publicKey: [UInt8] { Array(key.publicKey.rawRepresentation) }
    public var keyID: [UInt8] { SignedNote.keyID(name: name, publicKey: publicKey) }

    /// The text form (secret: the file that holds it must be readable by the server only).
    public var encoded: String {
        "PRIVATE+KEY+\(name)+\(Merkle.hex(keyID))+\(Data([SignedNote.ed25519] + Array(key.rawRepresentation)).base64EncodedString())"
    }

    public var verifier: NoteVerifier { NoteVerifier(name: name, publicKey: publicKey) }

    /// The signed note of `text`.
    /// - Throws: ``SignedNoteError`` when `text` is not a note text (empty, no final newline, or an empty line).
    public func sign(_ text: String) throws -> String {
        try SignedNote.checkText(text)
        let signature = try key.signature(for: Array(text.utf8))
        return text + "\n— \(name) " + Data(keyID + Array(signature)).base64EncodedString() + "\n"
    }
}

/// The public half: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`, checks notes offline.
public struct NoteVerifier: Sendable, Equatable {
    public let name: String
    public let publicKey: [UInt8]

    public init(name: String, publicKey: [UInt8]) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses `<name>+<hex key ID>+<base64(0x01 ‖ key)>` (the base64 may itself contain `+`).
    public init(encoded: String) throws(SignedNoteError) {
        let parts = encoded.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, SignedNote.isValidKeyName(String(parts[0])) else { throw SignedNoteError("not a verifier key (<name>+<id>+<key>)") }
        guard let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == SignedNote.ed25519 else {
            throw SignedNoteError("the verifier key is not an Ed25519 key (0x01 and 32 bytes, base64)")
        }
        self.init(name: String(parts[0]), publicKey: Array(raw.dropFirst()))
        guard Merkle.hex(keyID) == parts[1].lowercased() else { throw SignedNoteError("the verifier key's ID \(parts[1]) does not match its name and key") }
    }

    public var keyID: [UInt8] { SignedNote.keyID(name: name, publicKey: publicKey) }

    public var encoded: String { "\(name)+\(Merkle.hex(keyID))+\(Data([SignedNote.ed25519] + publicKey).base64EncodedString())" }

    /// The text of `note` if it carries a valid signature by this key.
    /// - Throws: ``SignedNoteError`` when the note is malformed or no signature of this key verifies.
    public func open(_ note: String) throws(SignedNoteError) -> String {
        let bytes = Array(note.utf8)
        // The text ends at the last blank line: "\n\n" separates it from the signatures.
        var split: Int?
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { split = i; break }
            i -= 1
        }
        guard let split else { throw SignedNoteError("not a signed note: no blank line before the signatures") }
        let text = String(decoding: bytes[...split], as: UTF8.self)
        try SignedNote.checkText(text)
        let signatures = String(decoding: bytes[(split + 2)...], as: UTF8.self)
        guard signatures.hasSuffix("\n") else { throw SignedNoteError("the signature lines must end with a newline") }
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { throw SignedNoteError("the verifier key is malformed") }
        let id = keyID
        var sawOurs = false
        for line in signatures.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard line.hasPrefix("— ") else { throw SignedNoteError("malformed signature line: \(line)") }
            let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, let raw = Data(base64Encoded: String(fields[1])), raw.count > 4 else {
                throw SignedNoteError("malformed signature line: \(line)")
            }
            guard fields[0] == name, Array(raw.prefix(4)) == id else { continue }
            sawOurs = true
            if raw.count == 68, key.isValidSignature(raw.dropFirst(4), for: Array(text.utf8)) { return text }
        }
        throw SignedNoteError(sawOurs ? "the signature of \(name) does not verify: the note was altered or signed by another key"
                                      : "the note carries no signature of \(name)+\(Merkle.hex(id))")
    }
}

extension SignedNote {
    static func checkText(_ text: String) throws(SignedNoteError) {
        guard text.hasSuffix("\n") else { throw SignedNoteError("a note text must end with a newline") }
        guard !text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().contains(where: \.isEmpty) else {
            throw SignedNoteError("a note text has no empty lines")
        }
    }
}

/// The body of a C2SP `tlog-checkpoint`: origin, tree size in decimal, root hash in base64, one per line (Chancery
/// writes no extension lines; the time of a checkpoint is stored beside it, not signed).
public struct Checkpoint: Sendable, Equatable {
    public var origin: String
    public var size: Int64
    public var rootHash: Merkle.Hash

    public init(origin: String, size: Int64, rootHash: Merkle.Hash) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The note text.
    public var text: String { "\(origin)\n\(size)\n\(Data(rootHash).base64EncodedString())\n" }

    /// Parses a note text (extension lines after the third are ignored).
    public init(text: String) throws(SignedNoteError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines.last == "" else { throw SignedNoteError("a checkpoint has at least three lines, each ending in a newline") }
        guard !lines[0].isEmpty else { throw SignedNoteError("the checkpoint's origin is empty") }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else { throw SignedNoteError("the checkpoint's tree size '\(lines[1])' is not a decimal number") }
        guard let root = Data(base64Encoded: String(lines[2])), root.count == 32 else { throw SignedNoteError("the checkpoint's root hash is not 32 bytes of base64") }
        self.init(origin: String(lines[0]), size: size, rootHash: Array(root))
    }

    /// Verifies a signed checkpoint note with `verifier` and parses it; the origin must be the key's name.
    public static func open(_ note: String, verifier: NoteVerifier) throws(SignedNoteError) -> Checkpoint {
        let checkpoint = try Checkpoint(text: try verifier.open(note))
        guard checkpoint.origin == verifier.name else {
            throw SignedNoteError("the checkpoint's origin '\(checkpoint.origin)' is not the key's name '\(verifier.name)'")
        }
        return checkpoint
    }
}

/// A malformed note, key or checkpoint, or a signature that does not verify.
public struct SignedNoteError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
