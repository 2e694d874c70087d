import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// The lists that issue 12 left off the list contract — disclosure requests, stream histories, checkpoints and dead
/// letters — with keyset paging across pages, each filter, CSV, 304 on `If-None-Match` and 400 naming a bad parameter.
/// One small cluster for the suite: four disclosure requests, one case of six events, three checkpoints, three dead letters.
@Suite("Lists: disclosure requests, streams, checkpoints, dead letters", .serialized, .timeLimit(.minutes(5)))
struct ListGapsTests {
    /// - R-1: received Fri 2025-09-19, answered 09-25 (in time), disclosed.
    /// - R-2: received Mon 09-22 by a legal person, extended by 10 working days on 10-10, never answered (overdue today).
    /// - R-3: received 2025-10-13, never answered (overdue today).
    /// - R-4: received 2025-11-03, answered 2026-01-30 (late), withheld.
    static let requests: [SubmittedEvent] = [
        Events.numbered("request/430424/R-1", 1, "DisclosureRequestReceived", "2025-09-19T10:00:00+08:00",
                        ["requesterName": "李四", "requesterKind": "citizen", "description": "预算执行情况", "departmentCode": "test"]),
        Events.numbered("request/430424/R-1", 2, "DisclosureRequestAnswered", "2025-09-25T10:00:00+08:00", ["outcome": "disclosed"]),
        Events.numbered("request/430424/R-2", 1, "DisclosureRequestReceived", "2025-09-22T10:00:00+08:00",
                        ["requesterName": "某某公司", "requesterKind": "legal-person", "description": "招标文件", "departmentCode": "test"]),
        Events.numbered("request/430424/R-2", 2, "DisclosureRequestExtended", "2025-10-10T10:00:00+08:00",
                        ["reason": "需要征求第三方意见", "extensionLimit": 10]),
        Events.numbered("request/430424/R-3", 1, "DisclosureRequestReceived", "2025-10-13T10:00:00+08:00",
                        ["requesterName": "王五", "requesterKind": "citizen", "description": "征地补偿", "departmentCode": "other"]),
        Events.numbered("request/430424/R-4", 1, "DisclosureRequestReceived", "2025-11-03T10:00:00+08:00",
                        ["requesterName": "赵六", "requesterKind": "citizen", "description": "路灯维护合同", "departmentCode": "test"]),
        Events.numbered("request/430424/R-4", 2, "DisclosureRequestAnswered", "2026-01-30T10:00:00+08:00", ["outcome": "withheld"]),
    ]

    /// Case H-1: submitted and accepted 2025-03-03, two steps 03-04, decided and concluded 03-05.
    static let caseEvents: [JSONValue] = [
        Events.submitted("H-1"), Events.accepted("H-1"), Events.step("H-1", id: "H-1-s1", step: "handling"), Events.step("H-1", id: "H-1-s2"),
        Events.decided("H-1"), Events.concluded("H-1"),
    ]

    static let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))

    /// Appends the requests and the case (a checkpoint after each, and one more after a last event), projects them,
    /// then writes three dead letters to the journal and records a retry of the first.
    static func load(_ cluster: TestCluster) async throws -> (deadLetters: [Int64], checkpoints: [Int64]) {
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-test-\(UUID().uuidString)/checkpoint.key").path
        defer { try? FileManager.default.removeItem(atPath: (keyFile as NSString).deletingLastPathComponent) }
        let service = try await CheckpointService.start(database: cluster.node.database,
                                                        configuration: CheckpointConfiguration(keyFile: keyFile, origin: "chancery.test/log/0"),
                                                        logger: cluster.logger)
        var sizes: [Int64] = []
        func checkpoint() async throws {
            let note = try #require(try await service.step(force: true))
            sizes.append(try Checkpoint.open(note, verifier: service.signer.verifier).size)
        }
        _ = try await cluster.gateway.append(requests)
        try await checkpoint()
        _ = try await cluster.gateway.append(try caseEvents.map { SubmittedEvent(event: try EventValidator.validate($0)) })
        try await checkpoint()
        _ = try await cluster.gateway.append([SubmittedEvent(event: try EventValidator.validate(Events.submitted("H-2")))])
        try await checkpoint()
        // One more, of a smaller tree size with fewer digits (an older log): sizes are ordered as numbers, not as text.
        try await cluster.node.database.execute(
            "INSERT INTO audit.checkpoints (tree_size, root_hash, time, note) SELECT 9, root_hash, time, note FROM audit.checkpoints WHERE tree_size = \(sizes[0])")
        sizes.append(9)
        try await cluster.running([cluster.projector()]) {
            try await cluster.eventually("SELECT count(*) FROM disclosure.requests", equals: 4)
            try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject = 'case/430424/H-1'", equals: 6)
        }
        // Dead letters as the gateway journals them (rows without subject), after every canonical event.
        func headers(_ pairs: [(String, String)]) -> String {
            let json = pairs.map { "[\"\($0.0)\", \"\(Data($0.1.utf8).base64EncodedString())\"]" }
            return "[" + json.joined(separator: ", ") + "]"
        }
        let refused: JSONValue = Events.event("gov.approval.case.submitted", subject: "case/430424/D-1", id: "D-1-1", time: "2025-03-03T09:00:00+08:00",
                                              data: ["caseNumber": "D-1", "itemCode": "430424XK001", "departmentCode": "test",
                                                     "applicantName": "张三", "applicantIdNumber": "430424199001011234", "bogus": 1])
        let letters: [(code: String, message: String, topic: String, value: [UInt8])] = [
            ("invalid-data", "data has a member the schema does not allow: bogus", "gov.inbound", Array(Events.body(refused).readableBytesView)),
            ("malformed-json", "the body is not JSON", "gov.inbound", Array("{\"note\": 13812345678".utf8)),
            ("unauthorized", "no token", "partner.inbound", [0xFF, 0xFE]),
        ]
        let db = cluster.node.database
        let last = try await db.query("SELECT coalesce(max(position), 0), coalesce(max(commit_group), 0) FROM audit.journal").first!
        let (position, group) = (try last.decode(Int64.self, at: 0), try last.decode(Int64.self, at: 1))
        var ids: [Int64] = []
        for (i, letter) in letters.enumerated() {
            let id = position + 1 + Int64(i)
            try await db.execute(
                """
                INSERT INTO audit.journal (position, commit_group, topic, partition, key, value, headers)
                VALUES (\(id), \(group + 1 + Int64(i)), 'gov.deadletter', 0, \(Array("case/430424/D-\(i + 1)".utf8)), \(letter.value), \(headers([("error.code", letter.code), ("error.message", letter.message), ("error.pointer", "/data/bogus"), ("original.topic", letter.topic), ("original.partition", "0"), ("original.offset", String(10 + i))]))::jsonb)
                """)
            ids.append(id)
        }
        try await db.execute(
            """
            INSERT INTO audit.deadletter_retries (deadletter_topic, deadletter_partition, deadletter_offset, error_code, corrected,
                                                  inbound_topic, inbound_partition, inbound_offset, retried_by, deadletter_position)
            VALUES ('gov.deadletter', 0, 0, 'invalid-data', true, 'gov.inbound', 0, 42, 'tester', \(ids[0]))
            """)
        // Three alerts as the projector writes them: a yellow and a red card of H-1 (the red one resolved), an irregularity of H-2.
        try await db.execute(
            """
            INSERT INTO supervision.alerts (subject, id, region, case_subject, department_code, item_code, card, alert_type, irregularity_kind,
                                            deadline, raised_at, resolved_at, resolution) VALUES
              ('yellow/case/430424/H-1', 'a1', '430424', 'case/430424/H-1', 'test', '430424XK001', 'yellow', 'DeadlineWarningRaised', NULL,
               '2025-03-10', '2025-03-07 00:00+08', NULL, NULL),
              ('red/case/430424/H-1', 'a2', '430424', 'case/430424/H-1', 'test', '430424XK001', 'red', 'DeadlineBreached', NULL,
               '2025-03-10', '2025-03-11 00:00+08', '2025-03-12 10:00+08', 'concluded'),
              ('irregularity/case/430424/H-2', 'a3', '430424', 'case/430424/H-2', 'building', NULL, 'irregularity', 'IrregularityFlagged',
               'skipped-step', NULL, '2025-03-11 00:00+08', NULL, NULL)
            """)
        return (ids, sizes)
    }

    /// Every page of `path` (a query string included) followed by its `next`: the rows of member `key`, and the pages.
    static func pages(_ client: some TestClientProtocol, _ path: String, _ key: String, token: AccessToken?) async throws -> (rows: [JSONValue], pages: Int) {
        var rows: [JSONValue] = []
        var pages = 0
        var uri = path
        while pages < 20 {
            let page = try await client.read(uri, token: token)
            #expect(page.status == .ok, "\(uri): \(String(buffer: page.body))")
            rows += page.json[key]?.arrayValue ?? []
            pages += 1
            guard let next = page.json["next"]?.stringValue else { break }
            uri = path + (path.contains("?") ? "&" : "?") + "after=" + next
        }
        return (rows, pages)
    }

    static func members(_ response: TestResponse, _ key: String, _ member: String) -> [String] {
        response.json[key]?.arrayValue?.compactMap { $0[member]?.stringValue } ?? []
    }

    /// A 400 `invalid-parameter` problem whose detail names `parameter`.
    static func expectRefused(_ client: some TestClientProtocol, _ uri: String, _ parameter: String, token: AccessToken?) async throws {
        let refused = try await client.read(uri, token: token)
        #expect(refused.status == .badRequest, "\(uri)")
        #expect(refused.headers[.contentType] == "application/problem+json", "\(uri)")
        #expect(refused.json["type"] == "/problems/invalid-parameter", "\(uri)")
        #expect(refused.json["detail"]?.stringValue?.hasPrefix(parameter + " ") == true, "\(uri): \(refused.json)")
    }

    /// The CSV records of `uri` with `token`.
    static func csv(_ client: some TestClientProtocol, _ uri: String, token: AccessToken?) async throws -> [String] {
        var headers: HTTPFields = [.accept: "text/csv"]
        if let token { headers[.authorization] = "Bearer \(token.text)" }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        #expect(response.status == .ok, "\(uri)")
        #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true, "\(uri)")
        return String(buffer: response.body).components(separatedBy: "\r\n").dropLast()
    }

    /// The answer's ETag, and 304 without a body when it is sent back.
    static func expectNotModified(_ client: some TestClientProtocol, _ uri: String, token: AccessToken?) async throws {
        let first = try await client.read(uri, token: token)
        let tag = try #require(first.headers[.eTag], "\(uri)")
        var headers: HTTPFields = [.ifNoneMatch: tag]
        if let token { headers[.authorization] = "Bearer \(token.text)" }
        let again = try await client.execute(uri: uri, method: .get, headers: headers)
        #expect(again.status == .notModified, "\(uri)")
        #expect(again.body.readableBytes == 0)
    }

    @Test("each list pages by keyset, filters, exports CSV, answers 304 and names a bad parameter")
    func lists() async throws {
        try await TestCluster.with { cluster in
            let loaded = try await Self.load(cluster)
            try await cluster.application().test(.router) { client in
                try await Self.disclosureRequests(client)
                try await Self.streams(client)
                try await Self.checkpoints(client, sizes: loaded.checkpoints)
                try await Self.deadLetters(client, ids: loaded.deadLetters)
                try await Self.alerts(client)
            }
        }
    }

    static func disclosureRequests(_ client: some TestClientProtocol) async throws {
        let all = ["request/430424/R-1", "request/430424/R-2", "request/430424/R-3", "request/430424/R-4"]
        // Public: two pages of two, in subject order, names masked, no timeliness.
        let paged = try await pages(client, "/v1/disclosure-requests?limit=2", "requests", token: nil)
        #expect(paged.pages == 2)
        #expect(paged.rows.compactMap { $0["subject"]?.stringValue } == all)
        #expect(paged.rows.first?["requesterName"] == "李*" && paged.rows.first?["requestNumber"] == "R-1")
        #expect(paged.rows.allSatisfy { $0["deadline"] == nil && $0["overdue"] == nil })
        #expect(paged.rows.compactMap { $0["status"]?.stringValue } == ["answered", "extended", "pending", "answered"])
        #expect(try await client.read("/v1/disclosure-requests?overdue=true", token: nil).status == .unauthorized)

        func subjects(_ query: String) async throws -> [String] {
            let response = try await client.read("/v1/disclosure-requests?\(query)")
            #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            return members(response, "requests", "subject").map { String($0.dropFirst("request/430424/".count)) }
        }
        #expect(try await subjects("overdue=true") == ["R-2", "R-3", "R-4"])
        #expect(try await subjects("overdue=false") == ["R-1"])
        #expect(try await subjects("status=answered") == ["R-1", "R-4"])
        #expect(try await subjects("status=extended") == ["R-2"])
        #expect(try await subjects("status=pending&region=430424") == ["R-3"])
        #expect(try await subjects("receivedFrom=2025-10-01") == ["R-3", "R-4"])
        #expect(try await subjects("receivedTo=2025-09-19") == ["R-1"])
        #expect(try await subjects("department=test") == ["R-1", "R-2", "R-4"])
        #expect(try await subjects("region=3524002").isEmpty)
        #expect(try await subjects("q=r-3") == ["R-3"])
        #expect(try await subjects("outcome=withheld") == ["R-4"])
        #expect(try await subjects("requesterKind=legal-person") == ["R-2"])

        // Timeliness for the analyst: the extended request's deadline without the extension comes before the extended one.
        let extended = try await client.read("/v1/disclosure-requests?status=extended")
        let row = try #require(extended.json["requests"]?[0])
        let base = try #require(row["deadline"]?.stringValue)
        let later = try #require(row["extendedDeadline"]?.stringValue)
        #expect(base < later, "\(row)")
        #expect(row["extensionLimit"] == 10 && row["overdue"] == true && row["requesterName"] == "某*")
        #expect(try await client.read("/v1/disclosure-requests?status=answered").json["requests"]?[1]?["answeredInTime"] == false)

        let records = try await csv(client, "/v1/disclosure-requests?limit=1", token: nil)
        #expect(records.first == "subject,region,requestNumber,departmentCode,requesterName,requesterKind,status,receivedAt,receivedOn,answeredAt,outcome")
        #expect(records.count == 1 + all.count)
        #expect(records.contains { $0.hasPrefix("request/430424/R-3,430424,R-3,other,王*,citizen,pending,") })
        let analystRecords = try await csv(client, "/v1/disclosure-requests?overdue=true", token: TestTokens.analyst)
        #expect(analystRecords.count == 1 + 3 && analystRecords.first?.hasSuffix(",deadline,extensionLimit,extendedDeadline,answeredInTime,overdue") == true)
        try await expectNotModified(client, "/v1/disclosure-requests?department=test", token: nil)
        for (query, parameter) in [("status=lost", "status"), ("receivedFrom=2025-13-01", "receivedFrom"), ("overdue=maybe", "overdue"),
                                   ("limit=0", "limit"), ("after=%21%21", "after"), ("requesterKind=robot", "requesterKind"), ("q=", "q")] {
            try await expectRefused(client, "/v1/disclosure-requests?\(query)", parameter, token: TestTokens.analyst)
        }
        // The old answer keeps its requests.
        #expect(try await client.read("/v1/disclosures", token: nil).json["requests"]?.arrayValue?.count == 4)
    }

    static func streams(_ client: some TestClientProtocol) async throws {
        let path = "/v1/streams/case/430424/H-1"
        func sequences(_ query: String) async throws -> [Int64] {
            let response = try await client.read("\(path)?\(query)", token: TestTokens.auditor)
            #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            #expect(response.json["events"]?.arrayValue?.allSatisfy { $0["linkOK"] == true } == true, "\(query)")
            return response.json["events"]?.arrayValue?.compactMap { $0["sequence"]?.integerValue } ?? []
        }
        let paged = try await pages(client, "\(path)?limit=2", "events", token: TestTokens.auditor)
        #expect(paged.pages == 3)
        #expect(paged.rows.compactMap { $0["sequence"]?.integerValue } == [1, 2, 3, 4, 5, 6])
        let first = try await client.read("\(path)?limit=2", token: TestTokens.auditor)
        let cursor = try #require(first.json["next"]?.stringValue)
        #expect(cursor != "2", "the cursor is opaque")
        #expect(try await sequences("limit=2&after=2") == [3, 4], "a sequence is still taken as after")
        #expect(try await sequences("type=gov.approval.case.step.completed") == [3, 4])
        #expect(try await sequences("type=gov.approval.case.step.completed&limit=1&after=\(cursor)") == [3])
        #expect(try await sequences("timeFrom=2025-03-05") == [5, 6])
        #expect(try await sequences("timeTo=2025-03-03") == [1, 2])
        #expect(try await sequences("timeFrom=2025-03-04&timeTo=2025-03-04") == [3, 4])
        #expect(try await sequences("recordedTo=2000-01-01").isEmpty)
        #expect(try await sequences("recordedFrom=2000-01-01") == [1, 2, 3, 4, 5, 6])
        let records = try await csv(client, "\(path)?type=gov.approval.case.step.completed&limit=1", token: TestTokens.auditor)
        #expect(records.first == StreamHistoryEvent.csvHeader.joined(separator: ","))
        #expect(records.count == 3)
        #expect(records.dropFirst().allSatisfy { $0.contains(",gov.approval.case.step.completed,") && $0.contains(",true,,") })
        try await expectNotModified(client, "\(path)?limit=3", token: TestTokens.auditor)
        for (query, parameter) in [("type=gov.nothing", "type"), ("timeFrom=2025-02-30", "timeFrom"), ("recordedTo=today", "recordedTo"),
                                   ("limit=0", "limit"), ("after=%21%21", "after")] {
            try await expectRefused(client, "\(path)?\(query)", parameter, token: TestTokens.auditor)
        }
    }

    static func checkpoints(_ client: some TestClientProtocol, sizes: [Int64]) async throws {
        let newestFirst = sizes.sorted(by: >)
        let paged = try await pages(client, "/v1/audit/checkpoints?limit=2", "checkpoints", token: nil)
        #expect(paged.pages == 2)
        #expect(paged.rows.compactMap { $0["treeSize"]?.integerValue } == newestFirst)
        func treeSizes(_ query: String) async throws -> [Int64] {
            let response = try await client.read("/v1/audit/checkpoints?\(query)", token: nil)
            #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            return response.json["checkpoints"]?.arrayValue?.compactMap { $0["treeSize"]?.integerValue } ?? []
        }
        #expect(newestFirst.last == 9 && newestFirst.count == 4)
        #expect(try await treeSizes("treeSizeFrom=\(sizes[1])") == newestFirst.filter { $0 >= sizes[1] })
        #expect(try await treeSizes("treeSizeTo=\(sizes[1])") == newestFirst.filter { $0 <= sizes[1] })
        #expect(try await treeSizes("before=\(sizes[2])") == newestFirst.filter { $0 < sizes[2] })
        #expect(try await treeSizes("signedFrom=\(today)") == newestFirst)
        #expect(try await treeSizes("signedTo=2000-01-01").isEmpty)
        let records = try await csv(client, "/v1/audit/checkpoints", token: nil)
        #expect(records.first == "treeSize,rootHash,time,note")
        #expect(records.dropFirst().first?.hasPrefix("\(newestFirst[0]),") == true)
        try await expectNotModified(client, "/v1/audit/checkpoints", token: nil)
        for (query, parameter) in [("treeSizeFrom=0", "treeSizeFrom"), ("treeSizeTo=x", "treeSizeTo"), ("signedFrom=2025-1-1", "signedFrom"),
                                   ("after=%21%21", "after"), ("limit=501", "limit")] {
            try await expectRefused(client, "/v1/audit/checkpoints?\(query)", parameter, token: nil)
        }
        // Any base64url text names a place: "abc" spells no number, the place before tree size 0 (nothing newest first).
        #expect(try await treeSizes("after=YWJj").isEmpty)
    }

    static func alerts(_ client: some TestClientProtocol) async throws {
        #expect(try await client.read("/v1/alerts", token: nil).status == .unauthorized)
        #expect(try await client.read("/v1/alerts", token: TestTokens.integrator).status == .forbidden)
        let (red, irregularity, yellow) = ("red/case/430424/H-1", "irregularity/case/430424/H-2", "yellow/case/430424/H-1")
        let paged = try await pages(client, "/v1/alerts?limit=2", "alerts", token: TestTokens.analyst)
        #expect(paged.pages == 2)
        #expect(paged.rows.compactMap { $0["subject"]?.stringValue } == [red, irregularity, yellow], "newest first, ties by subject")
        #expect(paged.rows.first?["card"] == "red" && paged.rows.first?["resolution"] == "concluded" && paged.rows.first?["streamSubject"] == "case/430424/H-1")
        func subjects(_ query: String) async throws -> [String] {
            let response = try await client.read("/v1/alerts?\(query)")
            #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            return members(response, "alerts", "subject")
        }
        #expect(try await subjects("card=yellow") == [yellow])
        #expect(try await subjects("open=true") == [irregularity, yellow])
        #expect(try await subjects("open=false") == [red])
        #expect(try await subjects("raisedFrom=2025-03-11") == [red, irregularity])
        #expect(try await subjects("raisedTo=2025-03-07&region=430424") == [yellow])
        #expect(try await subjects("department=building") == [irregularity])
        #expect(try await subjects("item=430424XK001") == [red, yellow])
        #expect(try await subjects("irregularity=skipped-step") == [irregularity])
        #expect(try await subjects("q=h-2") == [irregularity])
        #expect(try await subjects("region=3524002").isEmpty)
        let records = try await csv(client, "/v1/alerts?card=red", token: TestTokens.analyst)
        #expect(records.first == "subject,id,region,streamSubject,departmentCode,itemCode,card,type,step,irregularity,deadline,raisedAt,resolvedAt,resolution")
        #expect(records.count == 2 && records[1].hasPrefix("red/case/430424/H-1,a2,430424,case/430424/H-1,test,430424XK001,red,DeadlineBreached,,,2025-03-10,"))
        try await expectNotModified(client, "/v1/alerts?open=true", token: TestTokens.analyst)
        for (query, parameter) in [("card=green", "card"), ("open=maybe", "open"), ("raisedFrom=2025-3-1", "raisedFrom"), ("limit=0", "limit"), ("after=%2A", "after")] {
            try await expectRefused(client, "/v1/alerts?\(query)", parameter, token: TestTokens.analyst)
        }
    }

    static func deadLetters(_ client: some TestClientProtocol, ids: [Int64]) async throws {
        #expect(try await client.read("/v1/dead-letters", token: nil).status == .unauthorized)
        #expect(try await client.read("/v1/dead-letters", token: TestTokens.analyst).status == .forbidden)
        let paged = try await pages(client, "/v1/dead-letters?limit=2", "deadLetters", token: TestTokens.auditor)
        #expect(paged.pages == 2)
        #expect(paged.rows.compactMap { $0["id"]?.integerValue } == ids)
        let first = try #require(paged.rows.first)
        #expect(first["code"] == "invalid-data" && first["originalTopic"] == "gov.inbound" && first["originalOffset"] == 10)
        #expect(first["key"] == "case/430424/D-1" && first["retries"] == 1 && first["pointer"] == "/data/bogus")
        func listed(_ query: String) async throws -> [Int64] {
            let response = try await client.read("/v1/dead-letters?\(query)", token: TestTokens.admin)
            #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            return response.json["deadLetters"]?.arrayValue?.compactMap { $0["id"]?.integerValue } ?? []
        }
        #expect(try await listed("code=malformed-json") == [ids[1]])
        #expect(try await listed("topic=gov.inbound") == [ids[0], ids[1]])
        #expect(try await listed("retried=true") == [ids[0]])
        #expect(try await listed("retried=false") == [ids[1], ids[2]])
        #expect(try await listed("q=NOT%20JSON") == [ids[1]])
        #expect(try await listed("committedFrom=\(today)") == ids)
        #expect(try await listed("committedTo=2000-01-01").isEmpty)
        #expect(try await listed("after=YWJj") == ids, "\"abc\" spells no number: the place before position 1")
        let records = try await csv(client, "/v1/dead-letters?code=unauthorized", token: TestTokens.auditor)
        #expect(records.first == "id,committedAt,topic,partition,key,code,message,pointer,originalTopic,originalPartition,originalOffset,valueBytes,retries,lastRetriedAt")
        #expect(records.count == 2 && records[1].hasPrefix("\(ids[2]),"))
        try await expectNotModified(client, "/v1/dead-letters", token: TestTokens.auditor)
        for (query, parameter) in [("retried=maybe", "retried"), ("committedFrom=yesterday", "committedFrom"), ("after=%2A", "after"), ("limit=0", "limit")] {
            try await expectRefused(client, "/v1/dead-letters?\(query)", parameter, token: TestTokens.auditor)
        }

        // One dead letter: personal data masked by the schema's marks, the retry beside it.
        let detail = try await client.read("/v1/dead-letters/\(ids[0])", token: TestTokens.auditor)
        #expect(detail.status == .ok, "\(String(buffer: detail.body))")
        let payload = try #require(detail.json["payload"])
        #expect(payload["encoding"] == "json")
        #expect(payload["value"]?["data"]?["applicantName"] == "张*")
        #expect(payload["value"]?["data"]?["applicantIdNumber"] == "430***********1234")
        #expect(payload["value"]?["data"]?["bogus"] == 1)
        #expect(Set(payload["masked"]?.arrayValue?.compactMap(\.stringValue) ?? []) == ["/data/applicantName", "/data/applicantIdNumber"])
        #expect(!String(buffer: detail.body).contains("张三") && !String(buffer: detail.body).contains("199001011234"))
        #expect(detail.json["retryHistory"]?[0]?["retriedBy"] == "tester" && detail.json["code"] == "invalid-data")
        #expect(detail.json["headers"]?.arrayValue?.contains { $0["name"] == "original.topic" && $0["value"] == "gov.inbound" } == true)
        let text = try await client.read("/v1/dead-letters/\(ids[1])", token: TestTokens.admin)
        #expect(text.json["payload"]?["encoding"] == "text" && text.json["payload"]?["value"] == "{\"note\": 138****5678")
        let binary = try await client.read("/v1/dead-letters/\(ids[2])", token: TestTokens.admin)
        #expect(binary.json["payload"]?["encoding"] == "base64" && binary.json["payload"]?["value"] == "//4=" && binary.json["payload"]?["bytes"] == 2)
        #expect(try await client.read("/v1/dead-letters/1", token: TestTokens.auditor).status == .notFound)
        try await expectRefused(client, "/v1/dead-letters/abc", "id", token: TestTokens.auditor)
    }

    @Test("POST /v1/dead-letters/{id}/retry re-sends a dead letter of the Kafka door, corrected, and records the retry")
    func retry() async throws {
        try await TestCluster.with { cluster in
            let kafka = KafkaConfiguration(bootstrapServers: cluster.node.bootstrapServers)
            let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: cluster.logger)
            _ = try await producer.send([KafkaProducerRecord(
                topic: cluster.node.topics.inbound, key: Array("case/430424/RT-1".utf8), value: Array("{not json".utf8),
                headers: [KafkaHeader(key: "authorization", value: Array("Bearer \(TestTokens.integrator.text)".utf8))], partition: 0)])
            await producer.shutdown()
            let door = InboundDoor(gateway: cluster.gateway, topics: cluster.node.topics, kafka: kafka, assignment: .all,
                                   resolver: TestTokens.resolver, logger: cluster.logger)
            let task = Task { try await door.run() }
            defer { task.cancel() }
            try await cluster.eventually("SELECT count(*) FROM audit.journal WHERE subject IS NULL", equals: 1)
            let id = try #require(try await cluster.node.database.query("SELECT position FROM audit.journal WHERE subject IS NULL").first?.decode(Int64.self, at: 0))
            // The journal holds it before the broker does (the log is the record): wait for the broker's copy.
            #expect(try await InboundDoorTests.deadLetters(cluster, atLeast: 1).count == 1)
            let retrier = DeadLetterRetrier(database: cluster.node.database, kafka: kafka, topics: cluster.node.topics, logger: cluster.logger)
            let router = buildRouter(database: cluster.node.database, gateway: cluster.node.gateway, appender: cluster.node.gateway,
                                     registry: cluster.node.registry, resolver: TestTokens.resolver, deadLetterRetrier: retrier)
            try await Application(router: router).test(.router) { client in
                func post(_ uri: String, token: AccessToken, body: ByteBuffer = ByteBuffer()) async throws -> TestResponse {
                    try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(token.text)"], body: body)
                }
                #expect(try await post("/v1/dead-letters/\(id)/retry", token: TestTokens.auditor).status == .forbidden)
                #expect(try await post("/v1/dead-letters/1/retry", token: TestTokens.admin).status == .notFound, "a canonical event is no dead letter")
                let listed = try await client.read("/v1/dead-letters", token: TestTokens.auditor)
                #expect(listed.json["deadLetters"]?[0]?["code"] == "malformed-json" && listed.json["deadLetters"]?[0]?["retries"] == 0)

                let corrected = Events.body(Events.submitted("RT-1"))
                let answer = try await post("/v1/dead-letters/\(id)/retry", token: TestTokens.admin, body: corrected)
                #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                #expect(answer.json["id"]?.integerValue == id && answer.json["corrected"] == true && answer.json["code"] == "malformed-json")
                #expect(answer.json["inboundTopic"]?.stringValue == cluster.node.topics.inbound && answer.json["retriedBy"] == "testadmin")
                // The inbound door appends the corrected event, published with the admin's token.
                try await cluster.eventually("SELECT count(*) FROM audit.journal WHERE subject = 'case/430424/RT-1'", equals: 1)
                let detail = try await client.read("/v1/dead-letters/\(id)", token: TestTokens.auditor)
                #expect(detail.json["retries"] == 1 && detail.json["retryHistory"]?[0]?["corrected"] == true)
                #expect(try await client.read("/v1/dead-letters?retried=true", token: TestTokens.auditor).json["deadLetters"]?.arrayValue?.count == 1)
            }
        }
    }
}
