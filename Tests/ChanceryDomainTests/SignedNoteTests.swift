import ChanceryDomain
import Crypto
import Foundation
import Testing

@Suite("Signed notes and checkpoints (C2SP)")
struct SignedNoteTests {
    @Test("the key ID is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0..<4], and keys round-trip through their text forms")
    func keyFormats() throws {
        let signer = try NoteSigner.generate(name: "chancery.test/log")
        var h = SHA256()
        h.update(data: Array("chancery.test/log".utf8) + [0x0A, 0x01] + signer.publicKey)
        #expect(signer.keyID == Array(Array(h.finalize()).prefix(4)))
        let vkey = signer.verifier.encoded
        #expect(vkey.hasPrefix("chancery.test/log+" + Merkle.hex(signer.keyID) + "+"))
        #expect(try NoteVerifier(encoded: vkey) == signer.verifier)
        let reread = try NoteSigner(encoded: signer.encoded)
        #expect(reread.verifier == signer.verifier)
        #expect(signer.encoded.hasPrefix("PRIVATE+KEY+chancery.test/log+"))
        // A verifier key whose ID does not match is refused.
        #expect(throws: SignedNoteError.self) { try NoteVerifier(encoded: "other.name+" + vkey.split(separator: "+").dropFirst().joined(separator: "+")) }
        #expect(throws: SignedNoteError.self) { try NoteSigner.generate(name: "has space") }
    }

    @Test("a signed checkpoint verifies with the verifier key, and fails when one byte of the body or signature changes or another key checks it")
    func checkpointSignature() throws {
        let signer = try NoteSigner.generate(name: "chancery.test/log")
        let root = Merkle.leafHash([1, 2, 3])
        let checkpoint = Checkpoint(origin: "chancery.test/log", size: 133_000, rootHash: root)
        let note = try signer.sign(checkpoint.text)
        #expect(note.hasPrefix("chancery.test/log\n133000\n\(Data(root).base64EncodedString())\n\n— chancery.test/log "))
        #expect(try Checkpoint.open(note, verifier: signer.verifier) == checkpoint)

        // Change one byte of the body: the tree size 133000 → 133001.
        let altered = note.replacingOccurrences(of: "\n133000\n", with: "\n133001\n")
        #expect(altered != note)
        #expect(throws: SignedNoteError.self) { try Checkpoint.open(altered, verifier: signer.verifier) }
        // Every single byte of the body, flipped in turn, breaks the signature (or the note's shape).
        let bytes = Array(note.utf8)
        let bodyLength = checkpoint.text.utf8.count
        for i in 0..<bodyLength where bytes[i] != 0x0A {
            var b = bytes
            b[i] = b[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let changed = String(decoding: b, as: UTF8.self)
            #expect(throws: SignedNoteError.self, "byte \(i)") { try Checkpoint.open(changed, verifier: signer.verifier) }
        }
        // One byte of the signature: the last base64 character before the newline changed.
        var sig = Array(note.utf8)
        let last = sig.count - 6  // well before the "=\n" padding: a character that carries signature bits only
        sig[last] = sig[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SignedNoteError.self) { try Checkpoint.open(String(decoding: sig, as: UTF8.self), verifier: signer.verifier) }
        let other = try NoteSigner.generate(name: "chancery.test/log")
        #expect(throws: SignedNoteError.self) { try Checkpoint.open(note, verifier: other.verifier) }
    }

    @Test("checkpoint texts are parsed strictly")
    func checkpointParsing() throws {
        let root = Data(Merkle.emptyRoot).base64EncodedString()
        #expect(try Checkpoint(text: "o\n0\n\(root)\n").size == 0)
        #expect(try Checkpoint(text: "o\n5\n\(root)\next\n").size == 5)
        #expect(throws: SignedNoteError.self) { try Checkpoint(text: "o\n05\n\(root)\n") }
        #expect(throws: SignedNoteError.self) { try Checkpoint(text: "o\n5\nAAAA\n") }
        #expect(throws: SignedNoteError.self) { try Checkpoint(text: "o\n5\n\(root)") }
    }
}
