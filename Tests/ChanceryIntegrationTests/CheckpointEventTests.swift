import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import ChanceryServer
import Foundation
import Testing

/// Checkpoints published as events (README, "The verifiable log"): each signed checkpoint is also a CheckpointSigned
/// event of the log, appended once, a leaf of the next tree, and never the only reason for another checkpoint.
@Suite("Checkpoints as events", .serialized, .timeLimit(.minutes(3)))
struct CheckpointEventTests {
    @Test("a signed checkpoint is appended as CheckpointSigned (deterministic id, verifiable note); its event alone never makes the next checkpoint due")
    func published() async throws {
        try await TestCluster.with { cluster in
            let db = cluster.node.database
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-cpevents-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            var configuration = CheckpointConfiguration(keyFile: directory.appendingPathComponent("checkpoint.key").path, origin: "chancery.test/log/0")
            configuration.eventRegion = "430424"
            let service = try await CheckpointService.start(database: db, configuration: configuration, appender: cluster.gateway, logger: cluster.logger)
            try await ExportRestoreTests.appendCases(cluster, count: 2)

            let note = try #require(try await service.step(force: true))
            #expect(try Checkpoint.open(note, verifier: service.signer.verifier).size == 13)
            #expect(try await service.publishPending() == 1)
            #expect(try await service.publishPending() == 0)
            let rows = try await db.query("SELECT value FROM audit.journal WHERE subject = 'checkpoint/430424/log-0' ORDER BY sequence")
            #expect(rows.count == 1)
            let event = try JSONDecoder().decode(CloudEvent.self, from: Data(try rows[0].decode([UInt8].self, at: 0)))
            #expect(event.id == "checkpoint/chancery.test/log/0/13" && event.type == "gov.supervision.checkpoint.signed" && event.sequence == 1)
            #expect(event.data["note"]?.stringValue == note && event.data["treeSize"]?.integerValue == 13)
            #expect(try Checkpoint.open(try #require(event.data["note"]?.stringValue), verifier: service.signer.verifier).size == 13)

            // Sending it again appends nothing (same source and id, same content).
            _ = try await cluster.gateway.append([SubmittedEvent(event: CheckpointService.event(
                note: note, size: 13, root: try Checkpoint.open(note, verifier: service.signer.verifier).rootHash,
                time: try await db.query("SELECT time FROM audit.checkpoints WHERE tree_size = 13")[0].decode(Date.self, at: 0),
                region: "430424", shard: 0))])
            #expect(try await db.query("SELECT count(*) FROM audit.journal WHERE subject LIKE 'checkpoint/%'")[0].decode(Int64.self, at: 0) == 1)

            // The checkpoint event is leaf 14 of the tree, but no checkpoint is signed for it alone, even when forced.
            #expect(try await service.step(force: true) == nil)
            #expect(try await service.tree.head().size == 14)
            // One more event of a case: due again, and published as the stream's second event.
            _ = try await cluster.gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.submitted("E9")))])
            let next = try Checkpoint.open(try #require(try await service.step(force: true)), verifier: service.signer.verifier)
            #expect(next.size == 15)
            #expect(try await service.publishPending() == 1)
            #expect(try await db.query("SELECT max(sequence) FROM audit.journal WHERE subject = 'checkpoint/430424/log-0'")[0].decode(Int64.self, at: 0) == 2)
            // The log with its checkpoint events verifies, checkpoints included.
            #expect(try await JournalVerification.run(database: db).ok)

            // An export carries its checkpoints: restored whole it verifies; with the event just before the first
            // checkpoint event dropped (the last of its stream, which no chain shows), the carried checkpoints name it.
            let lines = try await ExportRestoreTests.export(db)
            var restored = try await ExportRestoreTests.restored(lines, logger: cluster.logger)
            #expect(try await JournalVerification.run(database: restored.1).ok)
            await ExportRestoreTests.drop(restored)
            let first = try #require(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains("\"type\":\"gov.supervision.checkpoint.signed\"") })
            var dropped = lines
            dropped.remove(at: first - 1)
            restored = try await ExportRestoreTests.restored(dropped, logger: cluster.logger)
            let report = try await JournalVerification.run(database: restored.1)
            #expect(!report.findings.isEmpty && report.findings.allSatisfy { $0.kind == .checkpointMismatch })
            #expect(report.findings.first?.treeSize == 13 && report.findings.first?.position == Int64(first))
            await ExportRestoreTests.drop(restored)
        }
    }
}
