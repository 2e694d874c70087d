import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryServer
import Foundation
import Testing

/// One test per kind of tampering that `verify` must name (issue 11, "Done means"), beside those of an export
/// (ExportRestoreTests) and of the journal itself (AuditTests): a record produced straight into a topic, and checkpoints
/// altered, inconsistent or no longer describing the journal.
@Suite("Tampering named by verify", .timeLimit(.minutes(5)))
struct TamperTests {
    @Test("an event produced straight into a topic (not through the gateway) is named forged, whether the projector applied or quarantined it")
    func forgedRecord() async throws {
        try await TestCluster.with { cluster in
            try await ExportRestoreTests.appendCases(cluster, count: 2)
            _ = try await cluster.gateway.append([Events.submitted("F1"), Events.accepted("F1")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
            let db = cluster.node.database
            // The forger continues case F1's chain correctly: next sequence, prevhash = the last hash, a valid hash.
            let last = try await db.query("SELECT value FROM audit.journal WHERE subject = 'case/430424/F1' ORDER BY sequence DESC LIMIT 1")[0].decode([UInt8].self, at: 0)
            var forged = try JSONDecoder().decode(CloudEvent.self, from: Data(last))
            forged.id = "F1-forged"
            forged.type = EventCatalog.named("StepCompleted").type
            forged.dataschema = EventCatalog.named("StepCompleted").dataschema()
            forged.data = ["step": "review"]
            forged.prevhash = forged.hash
            forged.sequence = (forged.sequence ?? 0) + 1
            forged.hash = forged.computeHash()
            // And a second one with a gap in E2's chain, which the projector quarantines.
            var gap = forged
            gap.subject = "case/430424/E2"
            gap.id = "E2-forged"
            gap.sequence = 9
            gap.hash = gap.computeHash()
            let topic = cluster.node.topics.canonical(CanonicalTopic.approval)
            let producer = try KafkaProducer(configuration: .init(kafka: .init(bootstrapServers: cluster.node.bootstrapServers)), logger: cluster.logger)
            _ = try await producer.send([forged, gap].map { e in
                KafkaProducerRecord(topic: topic, key: Array(e.subject.utf8), value: e.jsonBytes(),
                                    headers: [KafkaHeader(key: "ce_type", value: Array(e.type.utf8))],
                                    partition: KafkaPartitioner.partition(forKey: Array(e.subject.utf8), partitionCount: 3))
            })
            await producer.shutdown()
            #expect(try await JournalVerification.run(database: db).ok)  // nothing consumed yet: the journal alone verifies

            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE id = 'F1-forged'", equals: 1)
                try await cluster.eventually("SELECT count(*) FROM audit.quarantine WHERE subject = 'case/430424/E2'", equals: 1)
            }
            let report = try await JournalVerification.run(database: db, chunk: 8, workers: 2)
            #expect(report.findings.map(\.kind) == [.forged, .forged])
            #expect(report.counts["forged"] == 2 && !report.ok)
            let applied = try #require(report.findings.first { $0.subject == "case/430424/F1" })
            #expect(applied.sequence == 3 && applied.position == nil)
            #expect(applied.detail.contains("F1-forged") && applied.detail.contains(topic) && applied.detail.contains("not appended through the gateway"))
            let quarantined = try #require(report.findings.first { $0.subject == "case/430424/E2" })
            #expect(quarantined.detail.contains("quarantined by"))
        }
    }

    /// The note `note` with its root line replaced by `root` and its signature kept.
    static func withRoot(_ note: String, _ root: Merkle.Hash) -> String {
        var lines = note.components(separatedBy: "\n")
        lines[2] = Data(root).base64EncodedString()
        return lines.joined(separator: "\n")
    }

    @Test("checkpoints: a root or signature altered, a checkpoint inconsistent with the earlier one, and a journal shortened after signing are each named")
    func checkpoints() async throws {
        try await TestCluster.with { cluster in
            let db = cluster.node.database
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-tamper-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let service = try await CheckpointService.start(
                database: db, configuration: CheckpointConfiguration(keyFile: directory.appendingPathComponent("checkpoint.key").path, origin: "chancery.test/log/0"),
                logger: cluster.logger)
            try await ExportRestoreTests.appendCases(cluster, count: 3)
            let first = try Checkpoint.open(try #require(try await service.step(force: true)), verifier: service.signer.verifier)
            for i in 4...6 {
                _ = try await cluster.gateway.append([Events.submitted("E\(i)"), Events.accepted("E\(i)")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
            }
            let secondNote = try #require(try await service.step(force: true))
            let second = try Checkpoint.open(secondNote, verifier: service.signer.verifier)
            #expect(first.size == 18 && second.size == 24)
            #expect(try await JournalVerification.run(database: db).ok)
            let firstNote = try await db.query("SELECT note FROM audit.checkpoints WHERE tree_size = \(first.size)")[0].decode(String.self, at: 0)

            // 1. The root of the first checkpoint altered in its note (the signature kept).
            _ = try await db.execute("UPDATE audit.checkpoints SET note = \(Self.withRoot(firstNote, second.rootHash)) WHERE tree_size = \(first.size)")
            var report = try await JournalVerification.run(database: db)
            #expect(report.findings.map(\.kind) == [.checkpointAltered])
            #expect(report.findings.first?.treeSize == first.size)

            // 2. Its signature altered instead.
            var signature = Array(firstNote.utf8)
            let at = signature.count - 6
            signature[at] = signature[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            _ = try await db.execute("UPDATE audit.checkpoints SET note = \(String(decoding: signature, as: UTF8.self)) WHERE tree_size = \(first.size)")
            report = try await JournalVerification.run(database: db)
            #expect(report.findings.map(\.kind) == [.checkpointAltered])
            _ = try await db.execute("UPDATE audit.checkpoints SET note = \(firstNote) WHERE tree_size = \(first.size)")
            #expect(try await JournalVerification.run(database: db).ok)

            // 3. The second checkpoint replaced by one correctly signed with the log's own key over another tree: the
            //    journal's hashes with one leaf changed. No consistency proof leads from the first checkpoint to it.
            var leaves = try await db.query("SELECT hash FROM audit.journal WHERE hash IS NOT NULL ORDER BY position").map {
                Merkle.eventLeafHash(hex: try $0.decode(String.self, at: 0))!
            }
            leaves[3] = Merkle.leafHash(Array("forged".utf8))
            let otherRoot = Merkle.root(leaves: leaves[0..<Int(second.size)])
            let forged = try service.signer.sign(Checkpoint(origin: second.origin, size: second.size, rootHash: otherRoot).text)
            _ = try await db.execute("UPDATE audit.checkpoints SET note = \(forged), root_hash = \(Data(otherRoot)) WHERE tree_size = \(second.size)")
            report = try await JournalVerification.run(database: db)
            #expect(report.findings.map(\.kind) == [.checkpointInconsistent])
            #expect(report.findings.first?.treeSize == second.size && report.findings.first?.detail.contains("tree size \(first.size)") == true)
            _ = try await db.execute("UPDATE audit.checkpoints SET note = \(secondNote), root_hash = \(Data(second.rootHash)) WHERE tree_size = \(second.size)")

            // 4. The journal's last event deleted after the second checkpoint was signed: no chain shows it (it was the last
            //    of its stream), the checkpoint does.
            #expect(try await db.execute("DELETE FROM audit.journal WHERE position = (SELECT max(position) FROM audit.journal)") == 1)
            report = try await JournalVerification.run(database: db)
            #expect(report.findings.map(\.kind) == [.checkpointMismatch])
            #expect(report.findings.first?.treeSize == second.size && report.findings.first?.detail.contains("removed") == true)
        }
    }
}
