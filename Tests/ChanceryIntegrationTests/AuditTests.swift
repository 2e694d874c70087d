import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryPostgres
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Auditors (README, "Auditors"): a stream's history from the log of record with every link checked
/// (`GET /v1/streams/{subject}`), and `verify` over the whole journal, on journals tampered by hand.
@Suite("Auditors", .serialized, .timeLimit(.minutes(5)))
struct AuditTests {
    /// A Chinese case number with a slash in it.
    static let number = "衡东/2025-0001"
    static let subject = "case/430424/\(number)"

    /// Every byte outside the unreserved set percent-encoded, slashes included.
    static func encoded(_ s: String) -> String {
        s.utf8.map { b -> String in
            let c = Character(Unicode.Scalar(b))
            return (c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c))) ? String(c) : "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
        }.joined()
    }

    /// Appends submitted, accepted (data version 1, which an upcaster changes) and a step for `number`.
    static func appendCase(_ cluster: TestCluster, _ number: String) async throws {
        var accepted = Events.accepted(number)
        if case .object(var o) = accepted, case .object(var data) = o["data"] {
            data["promisedLimitUnit"] = nil
            o["data"] = .object(data)
            o["dataschema"] = "urn:chancery:schema:gov.approval.case.accepted:1"
            accepted = .object(o)
        }
        _ = try await cluster.gateway.append(
            [Events.submitted(number), accepted, Events.step(number, id: "\(number)-3")].map { SubmittedEvent(event: try EventValidator.validate($0)) })
    }

    /// A page of `GET /v1/streams/{subject}`: `next` is the opaque cursor of the following page.
    struct Page: Decodable {
        var subject: String
        var events: [StreamHistoryEvent]
        var next: String?
    }

    static func decodePage(_ response: TestResponse) throws -> Page {
        try JSONDecoder().decode(Page.self, from: Data(response.body.readableBytesView))
    }

    @Test("GET /v1/streams/{subject}: a Chinese subject with a slash, in order, offsets once projected, links checked, upcast data beside the data")
    func history() async throws {
        try await TestCluster.with { cluster in
            try await Self.appendCase(cluster, Self.number)
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = '\(Self.subject)'", equals: 3)
            }
            try await cluster.application().test(.router) { client in
                let response = try await client.read("/v1/streams/\(Self.encoded(Self.subject))", token: TestTokens.auditor)
                #expect(response.status == .ok)
                let page = try Self.decodePage(response)
                #expect(page.subject == Self.subject)
                #expect(page.events.map(\.sequence) == [1, 2, 3])
                #expect(page.events.allSatisfy { $0.linkOK })
                #expect(page.events.map(\.position) == page.events.map(\.position).sorted())
                #expect(page.events.allSatisfy { $0.offset != nil && $0.topic.hasSuffix("gov.approval") })
                #expect(page.events[1].prevhash == page.events[0].hash && page.events[0].prevhash == CloudEvent.genesisHash)
                // Version 1 as appended; version 2 as consumers read it.
                #expect(page.events[1].data?["promisedLimitUnit"]?.stringValue == nil)
                #expect(page.events[1].upcastData?["promisedLimitUnit"]?.stringValue == "working-days")
                #expect(page.events[1].upcastDataschema == "urn:chancery:schema:gov.approval.case.accepted:2")
                #expect(page.events[0].upcastDataschema == nil && page.events[1].data?["caseType"]?.stringValue == "promised")
                #expect(page.next == nil)

                // The slashes may also be sent as they are; an admin may read too; paging by sequence.
                let plain = try await client.read("/v1/streams/case/430424/\(Self.encoded("衡东"))/2025-0001?after=1&limit=1", token: TestTokens.admin)
                #expect(plain.status == .ok)
                let second = try Self.decodePage(plain)
                #expect(second.events.map(\.sequence) == [2])
                #expect(second.events.first?.linkOK == true)
                let next = try #require(second.next)
                let third = try Self.decodePage(try await client.read("/v1/streams/\(Self.encoded(Self.subject))?after=\(next)", token: TestTokens.admin))
                #expect(third.events.map(\.sequence) == [3])
            }
        }
    }

    @Test("GET /v1/streams/{subject}: 404 unknown, 400 illegal, 401 without token, 403 for an analyst")
    func historyRefusals() async throws {
        try await TestCluster.with { cluster in
            try await Self.appendCase(cluster, "R1")
            try await cluster.application().test(.router) { client in
                let unknown = try await client.read("/v1/streams/\(Self.encoded("case/430424/none"))", token: TestTokens.auditor)
                #expect(unknown.status == .notFound)
                #expect(unknown.headers[.contentType] == "application/problem+json")
                #expect(try await client.read("/v1/streams/nonsense", token: TestTokens.auditor).status == .badRequest)
                #expect(try await client.read("/v1/streams/case%2F99%2Fx", token: TestTokens.auditor).status == .badRequest)
                #expect(try await client.read("/v1/streams/case%2F430424%2F%E8%A1", token: TestTokens.auditor).status == .badRequest)
                #expect(try await client.read("/v1/streams/case/430424/R1", token: nil).status == .unauthorized)
                let analyst = try await client.read("/v1/streams/case/430424/R1", token: TestTokens.analyst)
                #expect(analyst.status == .forbidden)
                #expect(analyst.headers[.contentType] == "application/problem+json")
                #expect(try await client.read("/v1/streams/case/430424/R1", token: TestTokens.integrator).status == .forbidden)
                #expect(try await client.read("/v1/streams/case/430424/R1", token: TestTokens.auditor).status == .ok)
            }
        }
    }

    @Test("GET /v1/streams/{subject}: a journal row changed by hand shows linkOK false with the reason")
    func historyOfATamperedRow() async throws {
        try await TestCluster.with { cluster in
            try await Self.appendCase(cluster, Self.number)
            let changed = try await cluster.node.database.execute(
                """
                UPDATE audit.journal SET value = convert_to(replace(convert_from(value, 'UTF8'), '张三', '李四'), 'UTF8')
                WHERE subject = \(Self.subject) AND sequence = 1
                """)
            #expect(changed == 1)
            try await cluster.application().test(.router) { client in
                let page = try Self.decodePage(try await client.read("/v1/streams/\(Self.encoded(Self.subject))", token: TestTokens.auditor))
                #expect(page.events.map(\.linkOK) == [false, true, true])
                #expect(page.events[0].problems.contains { $0.hasPrefix("hash mismatch") })
                #expect(page.events[0].data?["applicantName"]?.stringValue == "李四")
                // Not projected: no offset, but the place in the log of record.
                #expect(page.events.allSatisfy { $0.offset == nil && $0.position > 0 })
            }
        }
    }

    /// Journal position of `subject` at `sequence`.
    static func position(_ db: PostgresClient, _ subject: String, _ sequence: Int64) async throws -> Int64 {
        try await db.query("SELECT position FROM audit.journal WHERE subject = \(subject) AND sequence = \(sequence)")[0].decode(Int64.self, at: 0)
    }

    @Test("verify finds a changed value, a deleted row and a swapped pair, each with its position and subject")
    func verifyFindsTampering() async throws {
        try await TestCluster.with { cluster in
            let db = cluster.node.database
            for n in ["V1", "V2", "V3"] { try await Self.appendCase(cluster, n) }
            // Chunks smaller than the journal, so chunking and the parallel check are exercised.
            let clean = try await JournalVerification.run(database: db, chunk: 4, workers: 2)
            #expect(clean.ok)
            #expect(clean.events == 12 && clean.records == 12 && clean.streams == 6)

            // 1. A changed byte in a stored event.
            let changedAt = try await Self.position(db, "case/430424/V1", 2)
            _ = try await db.execute(
                "UPDATE audit.journal SET value = convert_to(replace(convert_from(value, 'UTF8'), '\"statutoryLimit\":20', '\"statutoryLimit\":60'), 'UTF8') WHERE position = \(changedAt)")
            var report = try await JournalVerification.run(database: db, chunk: 4, workers: 2)
            #expect(report.findings.map(\.kind) == [.changed])
            #expect(report.findings.first?.position == changedAt && report.findings.first?.subject == "case/430424/V1" && report.findings.first?.sequence == 2)

            // 2. A deleted row.
            let deletedAt = try await Self.position(db, "case/430424/V2", 2)
            #expect(try await db.execute("DELETE FROM audit.journal WHERE position = \(deletedAt)") == 1)
            report = try await JournalVerification.run(database: db, chunk: 4, workers: 2)
            let removed = report.findings.filter { $0.kind == .removed }
            #expect(removed.count == 1)
            #expect(removed.first?.position == deletedAt && removed.first?.subject == "case/430424/V2" && removed.first?.sequence == 2)
            #expect(report.findings.count == 2)

            // 3. Two events of a stream swapped in the log.
            let p2 = try await Self.position(db, "case/430424/V3", 2), p3 = try await Self.position(db, "case/430424/V3", 3)
            _ = try await db.execute("UPDATE audit.journal SET position = -1 WHERE position = \(p2)")
            _ = try await db.execute("UPDATE audit.journal SET position = \(p2) WHERE position = \(p3)")
            _ = try await db.execute("UPDATE audit.journal SET position = \(p3) WHERE position = -1")
            report = try await JournalVerification.run(database: db, chunk: 4, workers: 2)
            let reordered = report.findings.filter { $0.kind == .reordered }
            #expect(reordered.count == 1)
            #expect(reordered.first?.position == p3 && reordered.first?.subject == "case/430424/V3" && reordered.first?.sequence == 2)
            #expect(report.findings.count == 3)
            #expect(report.counts["changed"] == 1 && report.counts["removed"] == 1 && report.counts["reordered"] == 1)
            #expect(!report.ok)
        }
    }
}
