import ChanceryDomain
import ChanceryImport
import Foundation
import Testing

/// The three Hengdong example exports under `examples/`, imported with their mappings.
enum HengdongExample: String, CaseIterable, Sendable {
    case cases = "hengdong-approval-cases"
    case requests = "hengdong-disclosure-requests"
    case letters = "hengdong-mailbox-letters"

    var dataFile: String { self == .requests ? "\(rawValue).jsonl" : "\(rawValue).csv" }

    func mapping() throws -> LegacyImportMapping {
        try LegacyImportMapping.load(contentsOf: repositoryRoot.appendingPathComponent("examples/mappings/\(rawValue).json"))
    }

    func text() throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("examples/data/\(dataFile)"), encoding: .utf8)
    }

    func run() throws -> LegacyImportResult {
        let format = try #require(LegacyImportFormat(pathExtension: URL(fileURLWithPath: dataFile).pathExtension))
        return try LegacyImport.events(text: try text(), format: format, mapping: try mapping())
    }
}

@Suite("Legacy import: the Hengdong examples")
struct LegacyImportExamplesTests {
    @Test("Pinyin-coded case export (CSV): 22 of 30 rows become cases; eight bad rows are rejected with their reasons")
    func approvalCases() throws {
        let result = try HengdongExample.cases.run()
        #expect(result.rowsRead == 30)
        #expect(result.imported == 22)
        #expect(result.skipped.isEmpty, "\(result.skipped)")
        #expect(result.rejected.map(\.row) == Array(23...30))
        let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.row, $0.reason) })
        #expect(reasons[23] == "SLSJ 2025-03-24 09:30:00 is before SQSJ 2025-03-24 10:30:00")
        #expect(reasons[24] == "item code '430424-XK-0999' (SXBM '430424-XK-0999') is not in the mapping")
        #expect(reasons[25]?.hasPrefix("gov.approval.case.submitted: invalid-data at /data") == true, "\(reasons[25] ?? "")")
        #expect(reasons[25]?.contains("applicantName") == true)
        #expect(reasons[26] == "BJSJ 2025-03-24 16:00:00 is before SLSJ 2025-03-25 10:30:00")
        #expect(reasons[27] == "SLSJ '2025-03-26 9:30' does not match the format 'YYYY-MM-DD hh:mm:ss'")
        #expect(reasons[28] == "BLJG '同意' is not one of the mapped values (不予许可, 准予许可)")
        #expect(reasons[29] == "case/430424/4304242503030001 was already produced by row 1")
        #expect(reasons[30]?.contains("the promised limit (10) may not exceed the statutory limit (7)") == true, "\(reasons[30] ?? "")")

        // Six items registered and confirmed; 17 concluded cases with four events, 5 in progress with two.
        #expect(result.events.count == 6 * 2 + 17 * 4 + 5 * 2)
        let types = Dictionary(grouping: result.events, by: \.type).mapValues(\.count)
        #expect(types["gov.approval.case.submitted"] == 22 && types["gov.approval.case.accepted"] == 22)
        #expect(types["gov.approval.case.decided"] == 17 && types["gov.approval.case.concluded"] == 17)
        let registered = result.events.filter { $0.type == "gov.catalog.item.registered" }
        #expect(registered.first { $0.data["itemCode"] == "430424-XK-0301" }?.data["departmentCode"] == "wjj")
        #expect(registered.first { $0.data["itemCode"] == "430424-JB-0401" }?.data["caseType"] == "immediate")
    }

    @Test("Case export: times of day come from the data, at +08:00; an immediate case is accepted, decided and concluded in one second")
    func approvalCaseTimes() throws {
        let result = try HengdongExample.cases.run()
        let first = result.events.filter { $0.subject == "case/430424/4304242503030001" }
        try #require(first.count == 4)
        #expect(first.map(\.time) == ["2025-03-03T08:47:12+08:00", "2025-03-03T09:15:00+08:00", "2025-03-06T16:20:00+08:00", "2025-03-06T16:20:00+08:00"])
        #expect(first.map(\.id) == (1...4).map { "case/430424/4304242503030001#\($0)" })
        #expect(first[0].data == ["caseNumber": "4304242503030001", "itemCode": "430424-XK-0102", "departmentCode": "xzsp",
                                  "applicantName": "衡东县某某餐饮店", "applicantKind": "legal-person", "channel": "online"])
        #expect(first[1].data == ["caseType": "promised", "promisedLimit": 5, "promisedLimitUnit": "working-days", "statutoryLimit": 10])
        #expect(first[2].data == ["decision": "approved"])
        #expect(first[3].data == ["resultCode": "JY34304240001"])
        let immediate = result.events.filter { $0.subject == "case/430424/4304242503030002" }
        #expect(immediate.map(\.type) == ["gov.approval.case.submitted", "gov.approval.case.accepted", "gov.approval.case.decided", "gov.approval.case.concluded"])
        #expect(immediate.dropFirst().allSatisfy { $0.time == "2025-03-03T09:05:00+08:00" })
        let refused = result.events.first { $0.subject == "case/430424/4304242503040002" && $0.type == "gov.approval.case.decided" }
        #expect(refused?.data["decision"] == "disapproved")
        #expect(refused?.data["reason"]?.stringValue?.hasPrefix("经营场所") == true)
        // A case still being handled (BJSJ empty) has no decision; its ids are those of its rules.
        let open = result.events.filter { $0.subject == "case/430424/4304242503110001" }
        #expect(open.map(\.id) == ["case/430424/4304242503110001#1", "case/430424/4304242503110001#2"])
    }

    @Test("Disclosure requests (JSONL): 15 of 24 lines become requests; malformed lines are rejected with their line numbers")
    func disclosureRequests() throws {
        let result = try HengdongExample.requests.run()
        #expect(result.rowsRead == 24)
        #expect(result.imported == 15)
        #expect(result.skipped.isEmpty, "\(result.skipped)")
        #expect(result.rejected.map(\.row) == Array(16...24))
        let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.row, $0.reason) })
        #expect(reasons[16]?.hasPrefix("line 16 is not valid JSON: invalid JSON at byte") == true, "\(reasons[16] ?? "")")
        #expect(reasons[17] == "DFSJ 2025-03-21 15:00:00 is before SQSJ 2025-03-25 10:00:00")
        #expect(reasons[18]?.hasPrefix("gov.disclosure.request.received: invalid-data") == true && reasons[18]?.contains("description") == true, "\(reasons[18] ?? "")")
        #expect(reasons[19]?.hasPrefix("gov.disclosure.request.extended: invalid-data at /data/extensionLimit") == true, "\(reasons[19] ?? "")")
        #expect(reasons[20]?.hasPrefix("gov.disclosure.request.answered: invalid-data at /data/reasonCode") == true, "\(reasons[20] ?? "")")
        #expect(reasons[21]?.hasPrefix("gov.disclosure.request.supplement.received: lifecycle-violation") == true, "\(reasons[21] ?? "")")
        #expect(reasons[22] == "line 22 is a JSON array, not an object")
        #expect(reasons[23]?.hasPrefix("DFJG '已答复' is not one of the mapped values (") == true)
        #expect(reasons[24] == "line 24: member 'SQRLXR' is a JSON object, not a value")

        #expect(result.events.count == 32)
        let third = result.events.filter { $0.subject == "request/430424/YSQ2025-0003" }
        #expect(third.map(\.type) == ["gov.disclosure.request.received", "gov.disclosure.request.supplement.requested",
                                      "gov.disclosure.request.supplement.received", "gov.disclosure.request.answered"])
        #expect(third.map(\.id) == ["#1", "#2", "#3", "#5"].map { "request/430424/YSQ2025-0003" + $0 })
        #expect(third.first?.time == "2025-03-05T14:30:00+08:00")
        #expect(third.first?.data["channel"] == "in-person")
        let extended = result.events.first { $0.subject == "request/430424/YSQ2025-0006" && $0.type == "gov.disclosure.request.extended" }
        #expect(extended?.data == ["extensionLimit": 20, "reason": "需征求第三方意见"])
        let partial = result.events.first { $0.subject == "request/430424/YSQ2025-0002" && $0.type == "gov.disclosure.request.answered" }
        #expect(partial?.data["outcome"] == "partially-disclosed" && partial?.data["reasonCode"] == "third-party-rights")
        #expect(result.events.filter { $0.subject == "request/430424/YSQ2025-0009" }.map(\.type) == ["gov.disclosure.request.received"])
    }

    @Test("Mailbox letters (CSV): 16 of 22 rows become letters; a reply without acceptance breaks the letter lifecycle")
    func mailboxLetters() throws {
        let result = try HengdongExample.letters.run()
        #expect(result.rowsRead == 22)
        #expect(result.imported == 16)
        #expect(result.rejected.map(\.row) == Array(17...22))
        let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.row, $0.reason) })
        #expect(reasons[17] == "HFSJ 2025-03-20 15:00 is before ZBSJ 2025-03-21 11:00")
        #expect(reasons[18] == "gov.interaction.letter.replied: lifecycle-violation at /type: a letter is replied to only after it is accepted (it is received)")
        #expect(reasons[19]?.hasPrefix("gov.interaction.letter.received: invalid-data") == true && reasons[19]?.contains("title") == true, "\(reasons[19] ?? "")")
        #expect(reasons[20]?.hasPrefix("gov.interaction.letter.extension.granted: invalid-data") == true && reasons[20]?.contains("extensionLimit") == true, "\(reasons[20] ?? "")")
        #expect(reasons[21]?.hasPrefix("XJLX '求助' is not one of the mapped values") == true)
        #expect(reasons[22] == "XJBH empty: no stream number")

        #expect(result.events.count == 57)
        let third = result.events.filter { $0.subject == "letter/430424/XX20250304001" }
        try #require(third.count == 5)
        #expect(third.map(\.type) == ["gov.interaction.letter.received", "gov.interaction.letter.accepted", "gov.interaction.letter.transferred",
                                      "gov.interaction.letter.extension.granted", "gov.interaction.letter.replied"])
        #expect(third.map(\.time) == ["2025-03-04T11:20:00+08:00", "2025-03-04T14:00:00+08:00", "2025-03-04T15:30:00+08:00",
                                      "2025-03-20T10:00:00+08:00", "2025-03-28T11:00:00+08:00"])
        #expect(third[0].data["mailbox"] == "county-head" && third[0].data["letterKind"] == "suggestion" && third[0].data["publishConsent"] == true)
        #expect(third[2].data == ["toDepartmentCode": "jtj", "toDepartmentName": "衡东县交通运输局"])
        #expect(third[3].data == ["extensionLimit": 10, "reason": "需会同公交公司实地勘察站点位置"])
        // Not yet accepted: only received.
        #expect(result.events.filter { $0.subject == "letter/430424/XX20250317001" }.map(\.id) == ["letter/430424/XX20250317001#1"])
    }

    @Test("Every example's events validate, follow the lifecycle rules, and a re-import yields identical events and ids",
          arguments: HengdongExample.allCases)
    func validLegalAndIdempotent(example: HengdongExample) throws {
        let first = try example.run()
        #expect(!first.events.isEmpty)
        let encoder = JSONEncoder()
        for event in first.events {
            let json = try OrderedJSON(parsing: Array(try encoder.encode(event))).jsonValue
            #expect(throws: Never.self) { _ = try EventValidator.validate(json) }
        }
        let violations = lifecycleViolations(first.events)
        #expect(violations.isEmpty, "\(violations)")
        #expect(Set(first.events.map(\.id)).count == first.events.count)
        let second = try example.run()
        #expect(second.events == first.events)
        #expect(second.events.map(\.id) == first.events.map(\.id))
        #expect(second.rejected.map(\.reason) == first.rejected.map(\.reason))
        #expect(first.events.allSatisfy { $0.region == "430424" })
    }

    @Test("The example mappings document every column they read in their notes", arguments: HengdongExample.allCases)
    func mappingsDocumentColumns(example: HengdongExample) throws {
        let mapping = try example.mapping()
        let notes = (mapping.notes ?? []).joined(separator: " ")
        var columns = Set(mapping.dates.values.map(\.column))
        if let item = mapping.itemCode { columns.insert(item.column) }
        for rule in mapping.events {
            for value in rule.data.values {
                switch value {
                case .column(let c): columns.insert(c.column)
                case .template(let t, _):
                    for part in t.split(separator: "{").dropFirst() {
                        if let name = part.split(separator: "}").first, !name.hasPrefix("$") { columns.insert(String(name)) }
                    }
                default: break
                }
            }
        }
        #expect(columns.count >= 8)
        for column in columns { #expect(notes.contains("\(column) "), "\(column) is not explained in the notes") }
        #expect(mapping.timeZone == "Asia/Shanghai" && mapping.region == "430424")
        #expect(try LegacyImportMapping(json: JSONEncoder().encode(mapping)) == mapping)
    }

    @Test("A column value with a misspelt key is refused when the mapping is read, not taken as a plain column")
    func misspeltColumnValue() throws {
        var json = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/mappings/hengdong-approval-cases.json"), encoding: .utf8)
        json = json.replacingOccurrences(of: #""column": "BLJG", "values""#, with: #""column": "BLJG", "vaules""#)
        #expect(throws: DecodingError.self) { try LegacyImportMapping(json: Data(json.utf8)) }
    }
}
