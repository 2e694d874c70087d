import ArgumentParser
import ChanceryDomain
import ChanceryGateway
import Foundation
import Logging

/// `chancery audit key|verify-checkpoint|prove`: the verifiable log from an auditor's side (README, "The verifiable log").
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The verifiable log: the checkpoint verifier key, offline checks of checkpoints and inclusion proofs.",
        subcommands: [Key.self, VerifyCheckpoint.self, Prove.self])

    /// A verifier key given as text or as the path of a file that holds it.
    static func verifier(_ text: String) throws -> NoteVerifier {
        let encoded = FileManager.default.fileExists(atPath: text) ? try String(contentsOfFile: text, encoding: .utf8) : text
        do { return try NoteVerifier(encoded: encoded) } catch { throw ValidationError("--key: \(error)") }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the verifier key (<name>+<hex key ID>+<base64 key>) of the server's checkpoint signing key.")

        @Option(name: .customLong("checkpoint-key"), help: "The signing key file of the server (chancery server --checkpoint-key).")
        var keyFile: String = ".data/checkpoint.key"

        func run() throws {
            guard FileManager.default.fileExists(atPath: keyFile) else {
                throw ValidationError("\(keyFile) does not exist: the server creates it at its first start with checkpoints (or GET /v1/audit/key)")
            }
            let signer = try NoteSigner(encoded: try String(contentsOfFile: keyFile, encoding: .utf8))
            print(signer.verifier.encoded)
        }
    }

    struct VerifyCheckpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-checkpoint", abstract: "Verify a signed checkpoint note offline; exits non-zero when the signature or the format is wrong.")

        @Argument(help: "A file holding the signed note (as served by GET /v1/audit/checkpoints/latest).")
        var file: String

        @Option(help: "The verifier key, or a file holding it (GET /v1/audit/key, chancery audit key).")
        var key: String

        func run() throws {
            let verifier = try AuditCommand.verifier(key)
            let note = try String(contentsOfFile: file, encoding: .utf8)
            do {
                let checkpoint = try Checkpoint.open(note, verifier: verifier)
                print("OK: \(checkpoint.origin) tree size \(checkpoint.size) root \(Data(checkpoint.rootHash).base64EncodedString()) signed by \(verifier.name)+\(Merkle.hex(verifier.keyID))")
            } catch {
                print("FAILED: \(error)")
                throw ExitCode(1)
            }
        }
    }

    /// `chancery audit prove --position N`: the same check as `chancery proof inclusion --position N` (one implementation).
    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the newest checkpoint and the inclusion proof of one event from a server, and check both offline (= chancery proof inclusion --position).")

        @Option(help: "Journal position of the event (the Kafka header chancery-position).")
        var position: Int64

        @Option(help: "The verifier key, or a file holding it (default: ask the server, which proves less).")
        var key: String?

        @Option(help: "Base URL of the Chancery API.")
        var url: String = "http://127.0.0.1:8080"

        func run() async throws {
            var inclusion = try ProofCommand.Inclusion.parse(["--position", String(position), "--url", url] + (key.map { ["--key", $0] } ?? []))
            try await inclusion.run()
        }
    }
}
