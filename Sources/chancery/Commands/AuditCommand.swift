import ArgumentParser
import AsyncHTTPClient
import ChanceryDomain
import ChanceryGateway
import Foundation
import Logging
import NIOCore
import NIOHTTP1

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

    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the newest checkpoint and the inclusion proof of one event from a server, and check both offline.")

        @Option(help: "Journal position of the event (the Kafka header chancery-position).")
        var position: Int64

        @Option(help: "The verifier key, or a file holding it (default: ask the server, which proves less).")
        var key: String?

        @Option(help: "Base URL of the Chancery API.")
        var url: String = "http://127.0.0.1:8080"

        func get(_ path: String) async throws -> String {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + path), timeout: .seconds(30))
            let body = String(buffer: try await response.body.collect(upTo: 4 * 1024 * 1024))
            guard response.status == .ok else { throw ValidationError("GET \(path): \(response.status.code) \(body)") }
            return body
        }

        struct Proof: Decodable {
            var leafIndex: Int64
            var treeSize: Int64
            var eventHash: String
            var hashes: [String]
        }

        func run() async throws {
            let verifier: NoteVerifier
            if let key { verifier = try AuditCommand.verifier(key) } else { verifier = try NoteVerifier(encoded: try await get("/v1/audit/key")) }
            let note = try await get("/v1/audit/checkpoints/latest")
            let checkpoint: Checkpoint
            do { checkpoint = try Checkpoint.open(note, verifier: verifier) } catch {
                print("FAILED: the checkpoint does not verify: \(error)")
                throw ExitCode(1)
            }
            let proof = try JSONDecoder().decode(Proof.self, from: Data(try await get("/v1/audit/proofs/inclusion?position=\(position)&treeSize=\(checkpoint.size)").utf8))
            // The leaf is recomputed from the event hash: the server's leafHash is not trusted.
            guard let leaf = Merkle.eventLeafHash(hex: proof.eventHash) else { throw ValidationError("the event hash '\(proof.eventHash)' is malformed") }
            let hashes = try proof.hashes.map { text in
                guard let d = Data(base64Encoded: text) else { throw ValidationError("a proof hash is not base64: \(text)") }
                return Array(d)
            }
            guard proof.treeSize == checkpoint.size,
                  Merkle.verifyInclusion(leafHash: leaf, index: proof.leafIndex, size: checkpoint.size, proof: hashes, root: checkpoint.rootHash) else {
                print("FAILED: the event at position \(position) (hash \(proof.eventHash)) is not proven in the checkpoint of size \(checkpoint.size)")
                throw ExitCode(1)
            }
            print("OK: the event at position \(position) (hash \(proof.eventHash), leaf \(proof.leafIndex)) is in \(checkpoint.origin) at tree size \(checkpoint.size), root \(Data(checkpoint.rootHash).base64EncodedString())")
        }
    }
}
