import ChanceryDomain
import ChanceryImport
import Foundation
import Testing

/// The repository root, from this file's path (Tests/ChanceryImportTests/…).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func burlingtonMapping() throws -> LegacyImportMapping {
    try LegacyImportMapping.load(contentsOf: repositoryRoot.appendingPathComponent("examples/mappings/burlington-building-permits.json"))
}

func burlingtonCSV() throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent("examples/data/burlington-building-permits.csv"), encoding: .utf8)
}

/// The Burlington import, done once per test process (the tests share it).
let burlingtonImport = Result<LegacyImportResult, any Error> {
    try LegacyImport.events(csvText: try burlingtonCSV(), mapping: try burlingtonMapping())
}

@Suite("Legacy import")
struct LegacyImportTests {
    @Test("Burlington: 5,025 of 5,026 permits become cases; the one whose issue precedes its application is rejected")
    func burlington() throws {
        let result = try burlingtonImport.get()
        #expect(result.imported == 5_025)
        #expect(result.skipped.isEmpty, "\(result.skipped)")
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.row == 2_575)
        #expect(result.rejected.first?.reason == "ISSUEDATE 2022/12/14 00:00:00+00 is before INDATE 2023/03/17 00:00:00+00")
        #expect(result.imported + result.skipped.count + result.rejected.count == 5_026)

        // 13 items registered and confirmed first, then four events per case.
        #expect(result.events.count == 13 * 2 + 5_025 * 4)
        let items = result.events.prefix(26)
        #expect(items.allSatisfy { $0.subject.hasPrefix("item/3524002/") })
        #expect(Set(items.map(\.subject)).count == 13)
        let limits = Dictionary(uniqueKeysWithValues: items.filter { $0.type == "gov.catalog.item.registered" }.map {
            ($0.data["itemCode"]!.stringValue!, $0.data["promisedLimit"]!.integerValue!)
        })
        #expect(limits == ["SO": 10, "SF": 10, "SS": 10, "PL": 10, "DS": 10, "TT": 10, "M9": 10, "AP": 15,
                           "CP": 20, "IP": 20, "GP": 20, "M3": 20, "P1": 20])
        let types = Dictionary(grouping: result.events, by: \.type).mapValues(\.count)
        #expect(types["gov.approval.case.submitted"] == 5_025)
        #expect(types["gov.approval.case.accepted"] == 5_025)
        #expect(types["gov.approval.case.decided"] == 5_025)
        #expect(types["gov.approval.case.concluded"] == 5_025)
        #expect(result.events.allSatisfy { $0.region == "3524002" && $0.source == "/3524002/departments/building" })
    }

    @Test("Burlington: the first permit's events, in Toronto time with the day's daylight-saving offset")
    func burlingtonFirstRow() throws {
        let result = try burlingtonImport.get()
        let events = result.events.filter { $0.subject == "case/3524002/24-019651-1" }
        #expect(events.map(\.type) == ["gov.approval.case.submitted", "gov.approval.case.accepted", "gov.approval.case.decided", "gov.approval.case.concluded"])
        #expect(events.map(\.time) == ["2024-10-03T09:00:00-04:00", "2024-10-03T09:30:00-04:00", "2024-11-04T14:00:00-05:00", "2024-11-04T14:30:00-05:00"])
        #expect(events.map(\.id) == (1...4).map { "case/3524002/24-019651-1#\($0)" })
        #expect(events[0].data == ["caseNumber": "24-019651-1", "itemCode": "SO", "departmentCode": "building", "applicantName": "(not in source)"])
        #expect(events[1].data == ["caseType": "promised", "promisedLimit": 10, "promisedLimitUnit": "working-days", "statutoryLimit": 10])
        #expect(events[1].dataschema == "urn:chancery:schema:gov.approval.case.accepted:2")
        #expect(events[2].data == ["decision": "approved"])
        #expect(events[3].data == ["resultCode": "24-019651"])
        let registered = result.events.first { $0.subject == "item/3524002/SO" }
        #expect(registered?.time == "2022-01-04T08:00:00-05:00")
    }

    @Test("Burlington: every event validates; re-importing yields identical events and ids")
    func burlingtonValidAndIdempotent() throws {
        let mapping = try burlingtonMapping()
        let csv = try burlingtonCSV()
        let first = try burlingtonImport.get()
        let encoder = JSONEncoder()
        for event in first.events {
            let json = try OrderedJSON(parsing: Array(try encoder.encode(event))).jsonValue
            #expect(throws: Never.self) { _ = try EventValidator.validate(json) }
        }
        #expect(Set(first.events.map(\.id)).count == first.events.count)
        let second = try LegacyImport.events(csvText: csv, mapping: mapping)
        #expect(second.events == first.events)
        // Streams in order, and globally sorted by time.
        var last: RFC3339Timestamp?
        for event in first.events {
            let t = try RFC3339Timestamp(parsing: event.time)
            if let last { #expect(last <= t) }
            last = t
        }
    }

    @Test("The mapping file round-trips through Codable and justifies every item")
    func mappingCodable() throws {
        let mapping = try burlingtonMapping()
        let again = try LegacyImportMapping(json: JSONEncoder().encode(mapping))
        #expect(again == mapping)
        #expect(mapping.region == "3524002" && mapping.calendar == "CA-ON" && mapping.timeZone == "America/Toronto")
        #expect(mapping.department?.code == "building")
        let items = try #require(mapping.items)
        #expect(Set(items.map(\.code)) == ["SO", "PL", "CP", "SF", "IP", "M9", "GP", "DS", "M3", "TT", "SS", "P1", "AP"])
        #expect(items.allSatisfy { ($0.notes ?? "").count > 20 && [10, 15, 20, 30].contains($0.promisedLimit) })
    }

    static let header = "OBJECTID,ADDRESS,FOLDERTYPE,FILENO,INDATE,ISSUEDATE\n"

    @Test("Byte-order mark, padded fields, bad rows: skipped and rejected with reasons")
    func rowsWithProblems() throws {
        let csv = "\u{FEFF}" + Self.header + [
            "1,  12 MAIN ST.   ,  SO Other Single Detached Dwelling  , 25-000001 ,2025/03/03 00:00:00+00,2025/03/10 00:00:00+00",
            "2,1 ELM ST.,ZZ Unknown,25-000002,2025/03/03 00:00:00+00,2025/03/10 00:00:00+00",
            "3,2 ELM ST.,SO Other Single Detached Dwelling,25-000003,,2025/03/10 00:00:00+00",
            "4,3 ELM ST.,SO Other Single Detached Dwelling,25-000004,2025-03-03,2025/03/10 00:00:00+00",
            "5,4 ELM ST.,SO Other Single Detached Dwelling,25-000005,2025/03/12 00:00:00+00,2025/03/10 00:00:00+00",
            "6,5 ELM ST.,SO Other Single Detached Dwelling,,2025/03/03 00:00:00+00,2025/03/10 00:00:00+00",
            "1,6 ELM ST.,SO Other Single Detached Dwelling,25-000001,2025/03/04 00:00:00+00,2025/03/10 00:00:00+00",
            "7,7 ELM ST.,SS Semi-Detached Dwelling,25-000007,2025/07/02 00:00:00+00,2025/07/02 00:00:00+00",
            "8,8 ELM ST.,SO Other Single Detached Dwelling,25-000008,2025/02/30 00:00:00+00,2025/03/10 00:00:00+00",
            ",,,,,",
        ].joined(separator: "\n") + "\n"
        let result = try LegacyImport.events(csvText: csv, mapping: try burlingtonMapping())
        #expect(result.imported == 2)
        #expect(result.skipped.map(\.row) == [2, 10])
        #expect(result.skipped.first?.reason.contains("'ZZ'") == true)
        #expect(result.rejected.map(\.row) == [3, 4, 5, 6, 7, 9])
        let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.row, $0.reason) })
        #expect(reasons[3] == "INDATE is empty")
        #expect(reasons[4] == "INDATE '2025-03-03' does not match the format 'YYYY/MM/DD 00:00:00+00'")
        #expect(reasons[5] == "ISSUEDATE 2025/03/10 00:00:00+00 is before INDATE 2025/03/12 00:00:00+00")
        #expect(reasons[6] == "FILENO empty: no stream number")
        #expect(reasons[7] == "case/3524002/25-000001-1 was already produced by row 1")
        #expect(reasons[9]?.hasPrefix("INDATE '2025/02/30") == true)
        // Trimmed fields; a same-day issue is four events on one day; EST in March before the switch, EDT in July.
        let first = result.events.filter { $0.subject == "case/3524002/25-000001-1" }
        #expect(first.first?.data["itemCode"] == "SO")
        #expect(first.first?.time == "2025-03-03T09:00:00-05:00")
        let sameDay = result.events.filter { $0.subject == "case/3524002/25-000007-7" }
        #expect(sameDay.map(\.time) == ["2025-07-02T09:00:00-04:00", "2025-07-02T09:30:00-04:00", "2025-07-02T14:00:00-04:00", "2025-07-02T14:30:00-04:00"])
        #expect(result.events.filter { $0.subject.hasPrefix("item/") }.count == 26)
    }

    @Test("A mapping that names a column the CSV lacks is refused as a whole")
    func mappingErrors() throws {
        var mapping = try burlingtonMapping()
        mapping.stream.number = "{PERMITNO}"
        #expect(throws: LegacyImportError.self) { try LegacyImport.events(csvText: Self.header, mapping: mapping) }
        var zone = try burlingtonMapping()
        zone.timeZone = "America/Nowhere"
        #expect(throws: LegacyImportError.self) { try LegacyImport.events(csvText: Self.header, mapping: zone) }
        var type = try burlingtonMapping()
        type.events[0].type = "gov.approval.case.teleported"
        #expect(throws: LegacyImportError.self) { try LegacyImport.events(csvText: Self.header, mapping: type) }
    }
}

@Test("The Burlington import follows the lifecycle and catalog rules the gateway enforces")
func burlingtonLifecycle() throws {
    let violations = lifecycleViolations(try burlingtonImport.get().events)
    #expect(violations.isEmpty, "\(violations)")
}
