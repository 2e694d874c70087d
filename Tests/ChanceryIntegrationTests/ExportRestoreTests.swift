import ChanceryDomain
import ChanceryGateway
import ChanceryKafka
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation
import Logging
import Testing

/// `chancery export` and `chancery restore` (README, "Auditors"): an export restored into an empty database verifies and
/// builds the same read models; a tampered export restores as it is and `verify` names what was done to it.
@Suite("Export and restore", .timeLimit(.minutes(5)))
struct ExportRestoreTests {
    /// `count` cases of five events each (150 by default, and the three catalog items), appended in groups of 25.
    static func appendCases(_ cluster: TestCluster, count: Int = 30) async throws {
        var events: [SubmittedEvent] = []
        for i in 1...count {
            let n = "E\(i)"
            events += [Events.submitted(n), Events.accepted(n), Events.step(n, id: "\(n)-3"), Events.decided(n), Events.concluded(n)]
                .map { SubmittedEvent(event: try! EventValidator.validate($0)) }
        }
        for from in stride(from: 0, to: events.count, by: 25) {
            _ = try await cluster.gateway.append(Array(events[from..<min(from + 25, events.count)]))
        }
    }

    /// The export of `database`'s whole journal, as lines without their newlines.
    static func export(_ database: PostgresClient) async throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        _ = try await JournalExport.run(database: database, chunk: 64, write: { lines.append(Array($0.dropLast())) })
        return lines
    }

    /// A new, migrated, empty test database with `lines` restored into it (3 partitions per topic, as the test clusters).
    static func restored(_ lines: [[UInt8]], logger: Logger) async throws -> (TestDatabase, PostgresClient) {
        let db = try await TestDatabase.create()
        let client = PostgresClient(url: db.url, maxConnections: 2, logger: logger)
        _ = try await ReadModelMigrations.migrate(client)
        var iterator = lines.makeIterator()
        let plan = try JournalRestore.plan(nextLine: { iterator.next() }, topics: TopicNames(), partitionCounts: [:], partitions: 3)
        _ = try await JournalRestore.write(plan, database: client, chunk: 50)
        return (db, client)
    }

    static func drop(_ restored: (TestDatabase, PostgresClient)) async {
        await restored.1.shutdown()
        await restored.0.drop()
    }

    /// Per read-model table, the row count and the MD5 of its rows in a fixed order, leaving out what a rebuild
    /// legitimately changes: Kafka offsets (the seeded broker numbers its records anew) and times of the rebuild itself
    /// (columns that default to now()).
    static func readModelDigests(_ database: PostgresClient) async throws -> [String: String] {
        let tables = try await database.query(
            """
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND (table_schema IN ('catalog', 'approval', 'disclosure', 'interaction', 'supervision')
                  OR (table_schema = 'audit' AND table_name = 'events'))
            ORDER BY 1
            """).map { try $0.decode(String.self, at: 0) }
        var out: [String: String] = [:]
        for table in tables {
            let parts = table.split(separator: ".").map(String.init)
            let columns = try await database.query(
                """
                SELECT quote_ident(column_name) FROM information_schema.columns
                WHERE table_schema = \(parts[0]) AND table_name = \(parts[1]) AND column_name <> 'offset' AND coalesce(column_default, '') NOT LIKE '%now()%'
                ORDER BY ordinal_position
                """).map { try $0.decode(String.self, at: 0) }
            let row = try await database.query(
                "SELECT count(*)::text || ' rows, md5 ' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '-') FROM (SELECT ROW(\(unescaped: columns.joined(separator: ", ")))::text AS r FROM \(unescaped: table)) x")
            out[table] = try row[0].decode(String.self, at: 0)
        }
        return out
    }

    @Test("export → restore into an empty database → verify passes, the broker seeded from it builds equal read models; a non-empty target is refused")
    func roundTrip() async throws {
        try await TestCluster.with { original in
            try await Self.appendCases(original)
            let events: Int64 = 153
            try await original.running([original.projector()]) {
                try await original.eventually("SELECT count(*) FROM audit.events", equals: events)
            }
            let lines = try await Self.export(original.node.database)
            #expect(lines.count == Int(events))
            // Every line is the event as appended plus where the log held it.
            let first = try JSONDecoder().decode(JSONValue.self, from: Data(lines[0]))
            #expect(first["position"]?.integerValue == 1 && first["partition"]?.integerValue != nil && first["topic"]?.stringValue == "gov.catalog")
            #expect(first["hash"]?.stringValue?.count == 64 && first["prevhash"]?.stringValue == CloudEvent.genesisHash && first["sequence"]?.integerValue == 1)
            let originalDigests = try await Self.readModelDigests(original.node.database)

            let target = try await Self.restored(lines, logger: original.logger)
            // The journals are equal row for row: topics, partitions, keys, values, subjects, sequences and hashes.
            let journalDigest = "SELECT md5(string_agg(concat_ws('|', position, topic, partition, encode(key, 'hex'), md5(value), subject, sequence, hash), E'\\n' ORDER BY position)) FROM audit.journal"
            #expect(try await target.1.query(journalDigest)[0].decode(String.self, at: 0) == (try await original.node.database.query(journalDigest)[0].decode(String.self, at: 0)))
            let report = try await JournalVerification.run(database: target.1, chunk: 50, workers: 2)
            #expect(report.ok && report.events == Int(events) && report.records == Int(events))

            // A second restore into the same database is refused, naming what it holds.
            var again = lines.makeIterator()
            let plan = try JournalRestore.plan(nextLine: { again.next() }, topics: TopicNames(), partitionCounts: [:], partitions: 3)
            await #expect(throws: JournalError.self) { _ = try await JournalRestore.write(plan, database: target.1) }
            do { _ = try await JournalRestore.write(plan, database: target.1) } catch let error as JournalError {
                #expect(error.description.contains("holds \(events) records"))
            }
            await target.1.shutdown()

            // A server on the restored database seeds its broker from the journal; the projector rebuilds every read model.
            let rebuilt = try await TestCluster.start(database: target.0, seedCatalog: false)
            do {
                try await rebuilt.running([rebuilt.projector()]) {
                    try await rebuilt.eventually("SELECT count(*) FROM audit.events", equals: events)
                }
                let rebuiltDigests = try await Self.readModelDigests(rebuilt.node.database)
                #expect(rebuiltDigests.keys.sorted() == originalDigests.keys.sorted())
                for (table, digest) in originalDigests.sorted(by: { $0.key < $1.key }) {
                    #expect(rebuiltDigests[table] == digest, "\(table) differs after export → restore → rebuild")
                }
                #expect(originalDigests["approval.cases"]?.hasPrefix("30 rows") == true)
                // The rebuilt log still verifies, now with the projector's view of it compared too.
                #expect(try await JournalVerification.run(database: rebuilt.node.database, chunk: 50, workers: 2).ok)
                await rebuilt.stop()
            } catch {
                await rebuilt.stop()
                throw error
            }
        }
    }

    @Test("a tampered export restores as it is and verify names it: an event dropped, two events swapped, a byte changed")
    func tamperedExports() async throws {
        try await TestCluster.with { cluster in
            try await Self.appendCases(cluster, count: 6)
            let lines = try await Self.export(cluster.node.database)
            #expect(lines.count == 33)
            func line(_ subject: String, _ sequence: Int64) throws -> Int {
                try #require(lines.firstIndex { l in
                    let v = try? JSONDecoder().decode(JSONValue.self, from: Data(l))
                    return v?["subject"]?.stringValue == subject && v?["sequence"]?.integerValue == sequence
                })
            }

            // 1. An event dropped from the middle of a stream: removed, at the position it would have taken.
            var dropped = lines
            let droppedAt = try line("case/430424/E2", 3)
            dropped.remove(at: droppedAt)
            var restored = try await Self.restored(dropped, logger: cluster.logger)
            var report = try await JournalVerification.run(database: restored.1, chunk: 8, workers: 2)
            #expect(report.findings.map(\.kind) == [.removed])
            #expect(report.findings.first?.subject == "case/430424/E2" && report.findings.first?.sequence == 3)
            await Self.drop(restored)

            // 2. Two events of a stream swapped: reordered (the later sequence comes first in the log).
            var swapped = lines
            let a = try line("case/430424/E4", 2), b = try line("case/430424/E4", 4)
            swapped.swapAt(a, b)
            restored = try await Self.restored(swapped, logger: cluster.logger)
            report = try await JournalVerification.run(database: restored.1, chunk: 8, workers: 2)
            #expect(report.counts["reordered"] ?? 0 >= 1)
            #expect(report.findings.contains { $0.kind == .reordered && $0.subject == "case/430424/E4" && $0.sequence == 2 && $0.position == Int64(b + 1) })
            #expect(report.findings.allSatisfy { $0.subject == "case/430424/E4" })
            await Self.drop(restored)

            // 3. One byte of one event changed (an applicant's name): changed, with its position, subject and sequence.
            var changed = lines
            let c = try line("case/430424/E5", 1)
            let text = String(decoding: changed[c], as: UTF8.self)
            #expect(text.contains("张三"))
            changed[c] = Array(text.replacingOccurrences(of: "张三", with: "张王").utf8)
            restored = try await Self.restored(changed, logger: cluster.logger)
            report = try await JournalVerification.run(database: restored.1, chunk: 8, workers: 2)
            #expect(report.findings.map(\.kind) == [.changed])
            #expect(report.findings.first?.position == Int64(c + 1) && report.findings.first?.subject == "case/430424/E5" && report.findings.first?.sequence == 1)
            #expect(report.findings.first?.detail.contains("hash mismatch") == true)
            await Self.drop(restored)

            // A line that is not an exported event is refused before anything is written, naming the line.
            var broken = lines
            broken[4] = Array("{\"specversion\":\"1.0\"".utf8)
            var iterator = broken.makeIterator()
            #expect {
                _ = try JournalRestore.plan(nextLine: { iterator.next() }, topics: TopicNames(), partitionCounts: [:], partitions: 3)
            } throws: { ($0 as? JournalError)?.description.hasPrefix("line 5 of the export") == true }
        }
    }

    @Test("restore into an empty Kafka cluster produces every event to its topic and partition; a cluster that holds records, or lacks a topic, is refused")
    func restoreIntoKafka() async throws {
        try await TestCluster.with { cluster in
            try await Self.appendCases(cluster, count: 4)
            let lines = try await Self.export(cluster.node.database)
            let broker = try EmbeddedKafkaBroker(logger: cluster.logger)
            defer { broker.shutdown() }
            let kafka = KafkaConfiguration(bootstrapServers: broker.bootstrapServers)
            var iterator = lines.makeIterator()
            let plan = try JournalRestore.plan(nextLine: { iterator.next() }, topics: TopicNames(), partitionCounts: [:], partitions: 3)
            // No topics yet: refused, naming the topic to create.
            await #expect { try await JournalRestore.requireEmpty(kafka: kafka, partitionCounts: plan.partitionCounts, logger: cluster.logger) } throws: {
                ($0 as? JournalError)?.description.contains("has no topic gov.") == true
            }
            for topic in plan.partitionCounts.keys { try broker.createTopic(topic, partitions: 3) }
            try await JournalRestore.requireEmpty(kafka: kafka, partitionCounts: plan.partitionCounts, logger: cluster.logger)

            let db = try await TestDatabase.create()
            let client = PostgresClient(url: db.url, maxConnections: 2, logger: cluster.logger)
            do {
                _ = try await ReadModelMigrations.migrate(client)
                _ = try await JournalRestore.write(plan, database: client)
                let produced = try await JournalRestore.restore(into: client, kafka: kafka, logger: cluster.logger)
                #expect(produced.records == 23)
                // Every partition holds exactly the journal's records of that partition.
                let admin = try KafkaAdmin(configuration: kafka, logger: cluster.logger)
                var total: Int64 = 0
                for (topic, count) in plan.partitionCounts {
                    for partition in 0..<count {
                        let marks = try await admin.watermarks(KafkaTopicPartition(topic: topic, partition: partition))
                        let journaled = try await client.query("SELECT count(*) FROM audit.journal WHERE topic = \(topic) AND partition = \(partition)")[0].decode(Int64.self, at: 0)
                        #expect(marks.high == journaled, "\(topic)/\(partition)")
                        total += marks.high
                    }
                }
                admin.shutdown()
                #expect(total == 23)
                // Now the cluster holds records: a second restore is refused.
                await #expect { try await JournalRestore.requireEmpty(kafka: kafka, partitionCounts: plan.partitionCounts, logger: cluster.logger) } throws: {
                    ($0 as? JournalError)?.description.contains("is not empty") == true
                }
            } catch {
                await client.shutdown()
                await db.drop()
                throw error
            }
            await client.shutdown()
            await db.drop()
        }
    }

    @Test("export selects topics and a range of positions or recorded times, in log order")
    func selection() async throws {
        try await TestCluster.with { cluster in
            try await Self.appendCases(cluster, count: 2)
            var lines: [JSONValue] = []
            let approval = ExportSelection(topics: ["gov.approval"], from: .position(5), to: .position(9))
            _ = try await JournalExport.run(database: cluster.node.database, selection: approval, write: { lines.append(try JSONDecoder().decode(JSONValue.self, from: Data($0))) })
            #expect(lines.compactMap { $0["position"]?.integerValue } == [5, 6, 7, 8, 9])
            #expect(lines.allSatisfy { $0["topic"]?.stringValue == "gov.approval" })
            lines = []
            let none = ExportSelection(from: ExportBound("2999-01-01T00:00:00Z"))
            _ = try await JournalExport.run(database: cluster.node.database, selection: none, write: { lines.append(try JSONDecoder().decode(JSONValue.self, from: Data($0))) })
            #expect(lines.isEmpty)
            #expect(ExportBound("0") == nil && ExportBound("yesterday") == nil && ExportBound("12") == .position(12))
        }
    }
}
