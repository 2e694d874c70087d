import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The verifiable log (README, "The verifiable log"): the tree over the journal, signed checkpoints, and proofs over
/// HTTP that an auditor checks with nothing but the verifier key.
@Suite("Verifiable log", .serialized, .timeLimit(.minutes(5)))
struct VerifiableLogTests {
    static func keyFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("chancery-test-\(UUID().uuidString)/checkpoint.key").path
    }

    struct Proof: Decodable {
        var leafIndex: Int64
        var position: Int64
        var treeSize: Int64
        var eventHash: String
        var rootHash: String
        var hashes: [String]
    }

    static func bytes(_ base64: [String]) -> [Merkle.Hash] { base64.map { Array(Data(base64Encoded: $0)!) } }

    /// Runs scripts/verify-tlog.py on `bundle`; its exit status (0: every signature and proof verifies). What it printed
    /// is recorded as an issue when the status is neither 0 nor 1.
    static func independentlyVerified(_ bundle: JSONValue) throws -> Int32 {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tlog-\(UUID().uuidString).json")
        try JSONEncoder().encode(bundle).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/verify-tlog.py").path, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus > 1 || process.terminationReason != .exit {
            Issue.record("verify-tlog.py ended with \(process.terminationStatus) (\(process.terminationReason)): \(printed)")
        }
        return process.terminationStatus
    }

    @Test("append events, sign a checkpoint, fetch an inclusion proof over HTTP and verify it against the checkpoint's root")
    func inclusionOverHTTP() async throws {
        try await TestCluster.with { cluster in
            let path = Self.keyFile()
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let service = try await CheckpointService.start(database: cluster.node.database, configuration: CheckpointConfiguration(keyFile: path, origin: "chancery.test/log/0"), logger: cluster.logger)
            // The key file was created, private to its owner.
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            _ = try await cluster.gateway.append([Events.submitted("V1"), Events.accepted("V1"), Events.decided("V1")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
            let note = try #require(try await service.step(force: true))
            // Three catalog items and three case events; no dead letter is a leaf.
            let checkpoint = try Checkpoint.open(note, verifier: service.signer.verifier)
            #expect(checkpoint.size == 6)
            // The root equals the reference MTH over the journal's hashes in position order.
            let hashes = try await cluster.node.database.query("SELECT hash FROM audit.journal WHERE hash IS NOT NULL ORDER BY position")
                .map { Merkle.eventLeafHash(hex: try $0.decode(String.self, at: 0))! }
            #expect(checkpoint.rootHash == Merkle.root(leaves: hashes[...]))
            #expect(try await service.step() == nil)  // nothing new: no checkpoint

            // The third case event: its journal position and hash.
            let rows = try await cluster.node.database.query("SELECT position, hash FROM audit.journal WHERE subject LIKE '%V1' AND sequence = 3")
            let position = try rows[0].decode(Int64.self, at: 0)
            let eventHash = try rows[0].decode(String.self, at: 1)

            try await cluster.application().test(.router) { client in
                let latest = try await client.execute(uri: "/v1/audit/checkpoints/latest", method: .get)
                #expect(latest.status == .ok)
                #expect(String(buffer: latest.body) == note)
                let key = try await client.execute(uri: "/v1/audit/key", method: .get)
                let verifier = try NoteVerifier(encoded: String(buffer: key.body))
                #expect(verifier == service.signer.verifier)

                let r = try await client.execute(uri: "/v1/audit/proofs/inclusion?position=\(position)&treeSize=\(checkpoint.size)", method: .get)
                #expect(r.status == .ok, "\(String(buffer: r.body))")
                let proof = try JSONDecoder().decode(Proof.self, from: Data(String(buffer: r.body).utf8))
                #expect(proof.eventHash == eventHash)
                let leaf = try #require(Merkle.eventLeafHash(hex: eventHash))
                let path = Self.bytes(proof.hashes)
                #expect(Merkle.verifyInclusion(leafHash: leaf, index: proof.leafIndex, size: checkpoint.size, proof: path, root: checkpoint.rootHash))
                // Another event's hash does not verify with this proof.
                #expect(!Merkle.verifyInclusion(leafHash: hashes[0], index: proof.leafIndex, size: checkpoint.size, proof: path, root: checkpoint.rootHash))

                // A dead-letter-free unknown position and a tree larger than the log are refused.
                #expect(try await client.execute(uri: "/v1/audit/proofs/inclusion?position=999", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/v1/audit/proofs/consistency?from=1&to=999", method: .get).status == .badRequest)
                let list = try await client.execute(uri: "/v1/audit/checkpoints?limit=10", method: .get)
                #expect(list.json["checkpoints"]?[0]?["treeSize"] == 6, "\(String(buffer: list.body))")
            }

            // More events, a second checkpoint; the consistency proof between the two checkpoints verifies.
            _ = try await cluster.gateway.append([Events.concluded("V1"), Events.submitted("V2")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
            let second = try Checkpoint.open(try #require(try await service.step(force: true)), verifier: service.signer.verifier)
            #expect(second.size == 8)
            try await cluster.application().test(.router) { client in
                let r = try await client.execute(uri: "/v1/audit/proofs/consistency?from=\(checkpoint.size)&to=\(second.size)", method: .get)
                #expect(r.status == .ok, "\(String(buffer: r.body))")
                struct Consistency: Decodable { var hashes: [String] }
                let proof = Self.bytes(try JSONDecoder().decode(Consistency.self, from: Data(String(buffer: r.body).utf8)).hashes)
                #expect(Merkle.verifyConsistency(from: checkpoint.size, to: second.size, firstRoot: checkpoint.rootHash, secondRoot: second.rootHash, proof: proof))
                var forged = checkpoint.rootHash
                forged[0] ^= 1
                #expect(!Merkle.verifyConsistency(from: checkpoint.size, to: second.size, firstRoot: forged, secondRoot: second.rootHash, proof: proof))
            }
            // A restarted service reuses the key file and continues the same tree.
            let again = try await CheckpointService.start(database: cluster.node.database, configuration: CheckpointConfiguration(keyFile: path, origin: "ignored"), logger: cluster.logger)
            #expect(again.signer.verifier == service.signer.verifier)

            // Code that is not Chancery's (scripts/verify-tlog.py: hashlib and PyPI's cryptography, from RFC 9162 §2.1 and
            // C2SP) accepts both checkpoints and every proof served, and rejects altered ones.
            let secondNote = try await cluster.application().test(.router) { client in
                String(buffer: try await client.execute(uri: "/v1/audit/checkpoints/latest", method: .get).body)
            }
            let bundle: JSONValue = try await cluster.application().test(.router) { client in
                let key = String(buffer: try await client.execute(uri: "/v1/audit/key", method: .get).body)
                let inclusion = try await client.execute(uri: "/v1/audit/proofs/inclusion?position=\(position)&treeSize=\(second.size)", method: .get)
                let consistency = try await client.execute(uri: "/v1/audit/proofs/consistency?from=\(checkpoint.size)&to=\(second.size)", method: .get)
                let i = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: inclusion.body).utf8))
                let c = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: consistency.body).utf8))
                return [
                    "verifierKey": .string(key), "checkpoints": [.string(note), .string(secondNote)],
                    "inclusion": [["eventHash": i["eventHash"] ?? .null, "leafIndex": i["leafIndex"] ?? .null, "treeSize": i["treeSize"] ?? .null,
                                   "hashes": i["hashes"] ?? .null]],
                    "consistency": [["from": .integer(Int64(checkpoint.size)), "to": .integer(Int64(second.size)), "hashes": c["hashes"] ?? .null]],
                ]
            }
            #expect(try Self.independentlyVerified(bundle) == 0)
            // A flipped bit in a proof's hash, and a checkpoint whose root was altered after signing: both rejected.
            guard case .object(var tampered) = bundle, case .array(var proofs) = tampered["inclusion"]!, case .object(var proof) = proofs[0],
                  case .array(var hashes) = proof["hashes"]!, case .string(let first) = hashes[0] else { Issue.record("bundle shape"); return }
            var bytes = Array(Data(base64Encoded: first)!)
            bytes[0] ^= 1
            hashes[0] = .string(Data(bytes).base64EncodedString())
            proof["hashes"] = .array(hashes)
            proofs[0] = .object(proof)
            tampered["inclusion"] = .array(proofs)
            #expect(try Self.independentlyVerified(.object(tampered)) == 1)
            var lines = note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var root = Array(Data(base64Encoded: lines[2])!)
            root[31] ^= 1
            lines[2] = Data(root).base64EncodedString()
            guard case .object(var forgedRoot) = bundle else { return }
            forgedRoot["checkpoints"] = [.string(lines.joined(separator: "\n")), .string(secondNote)]
            #expect(try Self.independentlyVerified(.object(forgedRoot)) == 1)
        }
    }

    @Test("133,000 journal records: the tree builds in batches, its root equals the in-memory tree's, and a proof at any size is quick")
    func largeJournal() async throws {
        let db = try await TestDatabase.create()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let client = PostgresClient(url: db.url, maxConnections: 2, logger: logger)
        do {
            _ = try await DatabaseMigrations.migrate(client)
            // Synthetic journal rows: every 50th a dead letter (no hash), the others canonical events with a hash.
            let count = 133_000
            var rows: [[String?]] = []
            var leaves: [Merkle.Hash] = []
            for p in 1...count {
                let deadLetter = p % 50 == 0
                let hash = deadLetter ? nil : Merkle.hex(Merkle.leafHash([UInt8(p & 0xff), UInt8((p >> 8) & 0xff), UInt8(p >> 16)]))
                if let hash { leaves.append(Merkle.eventLeafHash(hex: hash)!) }
                rows.append([String(p), String(p), deadLetter ? "gov.deadletter" : "gov.approval", "0", "\\x7b7d", hash])
            }
            let copied = rows
            try await client.transaction { c in
                _ = try await c.copyFrom("COPY audit.journal (position, commit_group, topic, partition, value, hash) FROM STDIN", rows: copied)
            }
            let tree = PostgresLogTree(database: client)
            let clock = ContinuousClock()
            let started = clock.now
            let (size, root) = try await tree.catchUp()
            let built = clock.now - started
            let reference = InMemoryMerkleTree(leafHashes: leaves)
            #expect(size == Int64(leaves.count))
            #expect(root == (try reference.root(size: size)))
            let proofStarted = clock.now
            let r = try await tree.root(size: 100_001)
            let proof = try await tree.inclusionProof(index: 77_777, size: size)
            let consistency = try await tree.consistencyProof(from: 100_001, to: size)
            let proving = clock.now - proofStarted
            #expect(r == (try reference.root(size: 100_001)))
            #expect(Merkle.verifyInclusion(leafHash: leaves[77_777], index: 77_777, size: size, proof: proof.proof, root: root))
            #expect(Merkle.verifyConsistency(from: 100_001, to: size, firstRoot: r, secondRoot: root, proof: consistency))
            print("verifiable log: \(count) journal records, \(size) leaves: tree built in \(built); a root, an inclusion and a consistency proof in \(proving)")
        } catch {
            await client.shutdown()
            await db.drop()
            throw error
        }
        await client.shutdown()
        await db.drop()
    }
}
