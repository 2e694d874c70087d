import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryPostgres
import ChanceryServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// The list contract of the read API (issue 12): keyset paging with an opaque cursor, filters that refuse bad values
/// with 400 naming the parameter, `Accept: text/csv` (RFC 4180), ETags with `If-None-Match` → 304, and path
/// parameters percent-decoded (Chinese, `%2F`, `%2D`).
@Suite("Read API lists", .serialized, .timeLimit(.minutes(5)))
struct ReadListTests {
    /// Case numbers: plain, one with `-` (fetched as `%2D`), one with a slash, one in Chinese, one with a comma and a quote.
    static let accepted = ["L-1", "L-2", "16-006557-580", "16/006557", "衡东-7"]
    static let submittedOnly = ["L-3", "Q,\"1"]
    static var all: [String] { accepted + submittedOnly }

    /// Appends the cases and waits until the projector has them.
    static func load(_ cluster: TestCluster) async throws {
        try await cluster.application().test(.router) { client in
            for n in all {
                let ok = try await client.post(Events.submitted(n))
                #expect(ok.status == .created, "\(n): \(String(buffer: ok.body))")
            }
            for n in accepted {
                #expect(try await client.post(Events.accepted(n)).status == .created)
            }
        }
        try await cluster.running([cluster.projector()]) {
            try await cluster.eventually("SELECT count(*) FROM approval.cases", equals: Int64(all.count))
            try await cluster.eventually("SELECT count(*) FROM approval.cases WHERE status = 'accepted'", equals: Int64(accepted.count))
        }
    }

    static func subjects(_ response: TestResponse) -> [String] {
        response.json["cases"]?.arrayValue?.compactMap { $0["subject"]?.stringValue } ?? []
    }

    @Test("keyset pages with an opaque cursor cover every case once, in subject order; a bad cursor is 400")
    func paging() async throws {
        try await TestCluster.with { cluster in
            try await Self.load(cluster)
            try await cluster.application().test(.router) { client in
                var seen: [String] = []
                var uri = "/v1/cases?limit=3"
                var pages = 0
                while true {
                    let page = try await client.read(uri)
                    #expect(page.status == .ok, "\(String(buffer: page.body))")
                    let subjects = Self.subjects(page)
                    #expect(subjects.count <= 3)
                    seen += subjects
                    pages += 1
                    guard let next = page.json["next"]?.stringValue else { break }
                    #expect(!next.contains("case/"), "the cursor is opaque: \(next)")
                    uri = "/v1/cases?limit=3&after=\(next)"
                    if pages > 10 { break }
                }
                #expect(pages == 3)
                #expect(seen.count == Self.all.count)
                #expect(Set(seen) == Set(Self.all.map { "case/430424/\($0)" }))
                #expect(seen.count == Set(seen).count, "no case twice: \(seen)")
                // A full last page says there is no more.
                let whole = try await client.read("/v1/cases?limit=\(Self.all.count)")
                #expect(Self.subjects(whole).count == Self.all.count)
                #expect(whole.json["next"] == .null)

                // Any base64url text names a place in the order (here: after L-1); other text is 400.
                let foreign = try await client.read("/v1/cases?after=" + Data("case/430424/L-1".utf8).base64EncodedString()
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "=", with: ""))
                #expect(Self.subjects(foreign).first == "case/430424/L-2", "\(foreign.json)")
                let bad = try await client.read("/v1/cases?after=case%2F430424%2FL-1")
                #expect(bad.status == .badRequest)
                #expect(bad.headers[.contentType] == "application/problem+json")
                #expect(bad.json["type"] == "/problems/invalid-parameter")
                #expect(bad.json["detail"]?.stringValue?.hasPrefix("after ") == true)
            }
        }
    }

    @Test("filters select the rows they name and refuse bad values with 400 naming the parameter")
    func filters() async throws {
        try await TestCluster.with { cluster in
            try await Self.load(cluster)
            try await cluster.application().test(.router) { client in
                let accepted = try await client.read("/v1/cases?status=accepted&limit=500")
                #expect(Set(Self.subjects(accepted)) == Set(Self.accepted.map { "case/430424/\($0)" }))
                let submitted = try await client.read("/v1/cases?status=submitted&region=430424&department=test&item=430424XK001")
                #expect(Set(Self.subjects(submitted)) == Set(Self.submittedOnly.map { "case/430424/\($0)" }))
                let day = try await client.read("/v1/cases?acceptedFrom=2025-03-03&acceptedTo=2025-03-03")
                #expect(Self.subjects(day).count == Self.accepted.count)
                let later = try await client.read("/v1/cases?acceptedFrom=2025-03-04")
                #expect(Self.subjects(later).isEmpty)
                let search = try await client.read("/v1/cases?q=006557")
                #expect(Set(Self.subjects(search)) == ["case/430424/16-006557-580", "case/430424/16/006557"])
                // Accepted in March 2025 with a promised limit of 5 working days and still open: overdue today.
                #expect(Set(Self.subjects(try await client.read("/v1/cases?overdue=true"))) == Set(Self.accepted.map { "case/430424/\($0)" }))
                #expect(Set(Self.subjects(try await client.read("/v1/cases?overdue=false"))) == Set(Self.submittedOnly.map { "case/430424/\($0)" }))
                #expect(Self.subjects(try await client.read("/v1/cases?region=3524002")).isEmpty)

                for (query, parameter) in [("status=lost", "status"), ("acceptedFrom=2025-02-30", "acceptedFrom"), ("concludedTo=yesterday", "concludedTo"),
                                           ("overdue=maybe", "overdue"), ("caseType=fast", "caseType"), ("outcome=late", "outcome"),
                                           ("region=43042", "region"), ("limit=0", "limit"), ("q=", "q")] {
                    let refused = try await client.read("/v1/cases?\(query)")
                    #expect(refused.status == .badRequest, "\(query)")
                    #expect(refused.json["type"] == "/problems/invalid-parameter", "\(query)")
                    #expect(refused.json["detail"]?.stringValue?.hasPrefix(parameter + " ") == true, "\(query): \(refused.json)")
                }
                let items = try await client.read("/v1/items?kind=licensing&caseType=promised&q=%E6%B5%8B%E8%AF%95", token: nil)
                #expect(items.json["items"]?.arrayValue?.count == 3, "\(items.json)")
                #expect(items.json["next"] == .null)
                let firstItem = try await client.read("/v1/items?limit=1", token: nil)
                #expect(firstItem.json["items"]?.arrayValue?.count == 1)
                let nextItem = try #require(firstItem.json["next"]?.stringValue)
                let secondItem = try await client.read("/v1/items?limit=1&after=\(nextItem)", token: nil)
                #expect(secondItem.json["items"]?[0]?["itemCode"] != firstItem.json["items"]?[0]?["itemCode"])
                #expect(try await client.read("/v1/items?kind=permit", token: nil).status == .badRequest)
                #expect(try await client.read("/v1/disclosures?category=gossip", token: nil).status == .badRequest)
                #expect(try await client.read("/v1/disclosures?publishedFrom=2025-1-1", token: nil).status == .badRequest)
                #expect(try await client.read("/v1/disclosures?q=%E9%80%9A%E7%9F%A5&department=x", token: nil).status == .ok)
            }
        }
    }

    @Test("Accept: text/csv gives the whole filtered list as RFC 4180 CSV with a header row")
    func csv() async throws {
        try await TestCluster.with { cluster in
            try await Self.load(cluster)
            try await cluster.application().test(.router) { client in
                let headers: HTTPFields = [.authorization: "Bearer \(TestTokens.analyst.text)", .accept: "text/csv"]
                let response = try await client.execute(uri: "/v1/cases?limit=1", method: .get, headers: headers)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let text = String(buffer: response.body)
                #expect(text.hasSuffix("\r\n"))
                let records = text.components(separatedBy: "\r\n").dropLast()
                #expect(records.first == "subject,region,caseNumber,itemCode,departmentCode,status,caseType,applicantName,submittedAt,acceptedOn,concludedOn,promisedLimit,deadline,workingDaysUsed,outcome")
                // limit does not apply: every case, one record each.
                #expect(records.count == 1 + Self.all.count, "\(text)")
                // The comma and the quote are quoted and doubled; names stay masked; UTF-8 as is.
                #expect(text.contains("\"case/430424/Q,\"\"1\",430424,\"Q,\"\"1\",430424XK001,test,submitted,,张*,"), "\(text)")
                #expect(text.contains("case/430424/衡东-7,430424,衡东-7,"))
                #expect(!text.contains("张三"))
                let filtered = try await client.execute(uri: "/v1/cases?status=submitted", method: .get, headers: headers)
                #expect(String(buffer: filtered.body).components(separatedBy: "\r\n").dropLast().count == 1 + Self.submittedOnly.count)
                let badFilter = try await client.execute(uri: "/v1/cases?status=lost", method: .get, headers: headers)
                #expect(badFilter.status == .badRequest)
                let items = try await client.execute(uri: "/v1/items", method: .get, headers: [.accept: "text/csv"])
                #expect(String(buffer: items.body).hasPrefix("region,itemCode,itemName,itemKind,departmentCode,departmentName,statutoryLimit,promisedLimit,caseType,confirmedAt\r\n"))
                let documents = try await client.execute(uri: "/v1/disclosures", method: .get, headers: [.accept: "text/csv"])
                #expect(String(buffer: documents.body) == "subject,region,title,category,departmentCode,documentNumber,publishedAt,reportedAt\r\n")
            }
        }
    }

    @Test("JSON answers carry an ETag; If-None-Match with it is 304 without a body until the list changes")
    func etags() async throws {
        try await TestCluster.with { cluster in
            try await Self.load(cluster)
            try await cluster.application().test(.router) { client in
                let first = try await client.read("/v1/cases")
                let tag = try #require(first.headers[.eTag])
                #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 34)
                #expect(try await client.read("/v1/cases").headers[.eTag] == tag)
                for condition in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
                    let headers: HTTPFields = [.authorization: "Bearer \(TestTokens.analyst.text)", .ifNoneMatch: condition]
                    let again = try await client.execute(uri: "/v1/cases", method: .get, headers: headers)
                    #expect(again.status == .notModified, "\(condition)")
                    #expect(again.body.readableBytes == 0)
                    #expect(again.headers[.eTag] == tag)
                }
                let other = try await client.execute(uri: "/v1/cases", method: .get,
                                                     headers: [.authorization: "Bearer \(TestTokens.analyst.text)", .ifNoneMatch: "\"0123\""])
                #expect(other.status == .ok)
                #expect(other.json["cases"]?.arrayValue?.count == Self.all.count)
                // Another filter is another answer, another tag.
                #expect(try await client.read("/v1/cases?status=accepted").headers[.eTag] != tag)
                // Problems carry none.
                #expect(try await client.read("/v1/cases?status=lost").headers[.eTag] == nil)
                // A new case changes the list and its tag.
                #expect(try await client.post(Events.submitted("L-9")).status == .created)
                try await cluster.running([cluster.projector()]) {
                    try await cluster.eventually("SELECT count(*) FROM approval.cases", equals: Int64(Self.all.count + 1))
                }
                let changed = try await client.execute(uri: "/v1/cases", method: .get,
                                                       headers: [.authorization: "Bearer \(TestTokens.analyst.text)", .ifNoneMatch: tag])
                #expect(changed.status == .ok)
                #expect(changed.headers[.eTag] != tag)
            }
        }
    }

    @Test("GET /v1/cases/{region}/{number} percent-decodes its path: %2D, %2F and Chinese find the case; bad encoding is 400")
    func percentDecoding() async throws {
        try await TestCluster.with { cluster in
            try await Self.load(cluster)
            try await cluster.application().test(.router) { client in
                let dashes = try await client.read("/v1/cases/3524002/16%2D006557%2D580".replacingOccurrences(of: "3524002", with: "430424"))
                #expect(dashes.status == .ok, "\(String(buffer: dashes.body))")
                #expect(dashes.json["case"]?["caseNumber"] == "16-006557-580")
                #expect(try await client.read("/v1/cases/430424/16-006557-580").json == dashes.json)
                let slash = try await client.read("/v1/cases/430424/16%2F006557")
                #expect(slash.status == .ok)
                #expect(slash.json["case"]?["subject"] == "case/430424/16/006557")
                #expect(slash.json["timeline"]?.arrayValue?.count == 2)
                let chinese = try await client.read("/v1/cases/430424/%E8%A1%A1%E4%B8%9C-7")
                #expect(chinese.status == .ok)
                #expect(chinese.json["case"]?["caseNumber"] == "衡东-7")
                let region = try await client.read("/v1/cases/%34%33%30%34%32%34/L-1")
                #expect(region.json["case"]?["subject"] == "case/430424/L-1")
                let truncated = try await client.read("/v1/cases/430424/%E8%A1")
                #expect(truncated.status == .badRequest)
                #expect(truncated.json["type"] == "/problems/invalid-parameter")
                #expect(try await client.read("/v1/cases/430424/L%00").status == .badRequest)
                #expect(try await client.read("/v1/cases/43042/L-1").status == .badRequest)
                let missing = try await client.read("/v1/cases/430424/%E6%97%A0")
                #expect(missing.status == .notFound)
                #expect(missing.json["detail"] == "no case case/430424/无")
            }
        }
    }
}
