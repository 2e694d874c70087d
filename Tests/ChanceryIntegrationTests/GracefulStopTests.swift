import ChanceryDomain
import ChanceryPostgres
import Foundation
import Logging
import NIOCore
import Testing

/// SIGINT stops `chancery server` gracefully: the doors close, the consumers apply everything the journal holds,
/// then the process exits 0 (README, "The log is the record").
@Suite("Graceful stop", .serialized, .timeLimit(.minutes(3)))
struct GracefulStopTests {
    static var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
    static var executable: URL { root.appendingPathComponent(".build/debug/chancery") }

    static func run(_ path: String, _ arguments: [String], input: Data? = nil) throws -> (status: Int32, out: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("SIGINT: every acknowledged event is applied before the server exits 0")
    func interruptDrainsThenExitsZero() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the chancery executable first")
        let db = try await TestDatabase.create()
        let client = PostgresClient(url: db.url, maxConnections: 2, logger: Logger(label: "test"))
        let workDir = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workDir) }
        let port = Int.random(in: 20_000...29_999)
        let token = try Self.run(Self.executable.path, ["tokens", "add", "--database-url", db.url, "--role", "admin", "--quiet"])
            .out.trimmingCharacters(in: .whitespacesAndNewlines)
        let log = workDir.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let server = Process()
        server.executableURL = Self.executable
        server.arguments = ["server", "--database-url", db.url, "--http-port", String(port), "--partitions", "3"]
        server.standardError = try FileHandle(forWritingTo: log)
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        do {
            var up = false
            for _ in 0..<120 where !up {
                up = try Self.run("/usr/bin/curl", ["-fs", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/health"]).out == "200"
                if !up { try await Task.sleep(for: .milliseconds(250)) }
            }
            try #require(up, "the server did not answer /health")
            // 400 letters in one request.
            let base: JSONValue = [
                "specversion": "1.0", "source": "/430424/mailbox", "type": "gov.interaction.letter.received", "region": "430424",
                "time": "2025-03-05T10:00:00+08:00",
                "data": ["mailbox": "county-head", "writerName": "周丽", "title": "小区门前道路破损", "content": "请尽快维修。", "letterKind": "suggestion"],
            ]
            let events: [JSONValue] = (0..<400).map { i in
                Events.setting(Events.setting(base, "id", .string("stop-\(i)")), "subject", .string("letter/430424/stop-\(i)"))
            }
            let body = workDir.appendingPathComponent("batch.json")
            try Data(Events.body(.array(events)).readableBytesView).write(to: body)
            let posted = try Self.run("/usr/bin/curl", [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "http://127.0.0.1:\(port)/v1/events",
                "-H", "Content-Type: application/cloudevents-batch+json", "-H", "Authorization: Bearer \(token)", "--data-binary", "@\(body.path)",
            ])
            #expect(posted.out == "201")
            // At once: the consumers have not applied everything yet; the graceful stop must wait for them.
            server.interrupt()
            let deadline = Date().addingTimeInterval(90)
            while server.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(!server.isRunning)
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
            #expect(server.terminationStatus == 0)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(text.contains("graceful stop: every consumer has applied the whole journal"))
            let counts = try await client.query(
                """
                SELECT (SELECT count(*) FROM audit.journal WHERE subject IS NOT NULL), (SELECT count(*) FROM audit.events),
                       (SELECT count(*) FROM interaction.letters WHERE subject LIKE 'letter/430424/stop-%')
                """)[0]
            let (journaled, projected, letters) = try counts.decode((Int64, Int64, Int64).self)
            #expect(journaled >= 400)
            #expect(projected == journaled)
            #expect(letters == 400)
        } catch {
            if server.isRunning { server.terminate() }
            await client.shutdown()
            await db.drop()
            throw error
        }
        await client.shutdown()
        await db.drop()
    }
}
