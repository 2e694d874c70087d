import ChanceryDomain
import ChanceryImport
import Foundation
import Testing

/// A small letter mapping over the columns NO, WHO, TITLE, RECEIVED (date-time), ACCEPTED (date), REPLIED, DAYS.
func letterMapping(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> LegacyImportMapping {
    var object: [String: Any] = [
        "region": "430424", "source": "/430424/departments/xfj", "timeZone": "Asia/Shanghai", "calendar": "CN",
        "stream": ["kind": "letter", "number": "{NO}"],
        "dates": [
            "received": ["column": "RECEIVED", "format": "YYYY-MM-DD hh:mm:ss"],
            "accepted": ["column": "ACCEPTED", "format": "YYYY/MM/DD"],
            "replied": ["column": "REPLIED", "format": "YYYY-MM-DD hh:mm"],
        ],
        "events": [
            ["type": "gov.interaction.letter.received", "date": "received",
             "data": ["mailbox": "county-head", "writerName": "{WHO}", "title": "{TITLE}", "content": "row {$row}"]],
            ["type": "gov.interaction.letter.accepted", "date": "accepted", "time": "09:00",
             "data": ["replyLimit": ["column": "DAYS", "type": "integer"]]],
            ["type": "gov.interaction.letter.replied", "date": "replied", "optional": true, "data": ["reply": "done"]],
        ],
    ]
    edit(&object)
    return try LegacyImportMapping(json: JSONSerialization.data(withJSONObject: object))
}

@Suite("Legacy import: formats, date-times, optional events, column values")
struct LegacyImportFormatsTests {
    @Test("JSONL: members are columns; numbers, booleans and null become text; blank lines are skipped; bad lines are rejected by line number")
    func jsonl() throws {
        let text = [
            #"{"NO": "L1", "WHO": "张某某", "TITLE": "路灯", "RECEIVED": "2025-03-03 07:42:10", "ACCEPTED": "2025/03/03", "DAYS": 15, "REPLIED": null}"#,
            "",
            #"{"NO": 2, "WHO": "李某某", "TITLE": true, "RECEIVED": "2025-03-04 08:10:00", "ACCEPTED": "2025/03/04", "DAYS": 10.0, "REPLIED": "2025-03-05 16:30"}"#,
            #"{"NO": "L3", "WHO": "王某某""#,
            #""just a string""#,
            #"{"NO": "L4", "NO": "L5"}"#,
            #"{"NO": "L6", "WHO": ["a"]}"#,
            #"{"NO": "L7", "WHO": "赵某某", "TITLE": "x", "RECEIVED": "2025-03-06 08:00:00", "ACCEPTED": "2025/03/06", "DAYS": "ten"}"#,
        ].joined(separator: "\r\n") + "\r\n"
        let result = try LegacyImport.events(text: text, format: .jsonl, mapping: try letterMapping())
        #expect(result.rowsRead == 8)
        #expect(result.imported == 2)
        #expect(result.skipped.map(\.row) == [2])
        #expect(result.skipped.first?.reason == "blank row")
        #expect(result.rejected.map(\.row) == [4, 5, 6, 7, 8])
        let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.row, $0.reason) })
        #expect(reasons[4]?.hasPrefix("line 4 is not valid JSON") == true)
        #expect(reasons[5] == "line 5 is a JSON string, not an object")
        #expect(reasons[6] == "line 6: member 'NO' appears twice")
        #expect(reasons[7] == "line 7: member 'WHO' is a JSON array, not a value")
        #expect(reasons[8] == "DAYS 'ten' is not an integer")
        let first = result.events.filter { $0.subject == "letter/430424/L1" }
        try #require(first.map(\.time) == ["2025-03-03T07:42:10+08:00", "2025-03-03T09:00:00+08:00"])
        #expect(first[1].data == ["replyLimit": 15])
        #expect(first[0].data["content"] == "row 1")
        let second = result.events.filter { $0.subject == "letter/430424/2" }
        try #require(second.map(\.id) == ["letter/430424/2#1", "letter/430424/2#2", "letter/430424/2#3"])
        #expect(second[0].data["title"] == "true")
        #expect(second[1].data == ["replyLimit": 10])
        #expect(second[2].time == "2025-03-05T16:30:00+08:00")
    }

    @Test("A JSONL file with no object at all cannot be imported; an empty one neither")
    func jsonlWithoutRecords() throws {
        let mapping = try letterMapping()
        #expect(throws: LegacyImportError.self) { try LegacyImport.events(text: "[1]\n{oops\n", format: .jsonl, mapping: mapping) }
        #expect(throws: LegacyImportError.self) { try LegacyImport.events(text: "", format: .jsonl, mapping: mapping) }
        // A mapping naming a member that no line has is refused as a whole, as a missing CSV column is.
        let typo = try letterMapping { $0["stream"] = ["kind": "letter", "number": "{NUMBER}"] }
        #expect(throws: LegacyImportError.self) { try LegacyImport.events(text: #"{"NO": "1"}"#, format: .jsonl, mapping: typo) }
    }

    @Test("The same records as CSV and as JSONL give the same events")
    func csvEqualsJSONL() throws {
        let csv = "\u{FEFF}NO,WHO,TITLE,RECEIVED,ACCEPTED,DAYS,REPLIED\n" +
            "L1, 张某某 ,\"路灯, 不亮\",2025-03-03 07:42:10,2025/03/03,15,\n" +
            "L2,李某某,噪音,2025-03-04 08:10:00,2025/03/04,10,2025-03-05 16:30\n"
        let jsonl = #"""
        {"NO": "L1", "WHO": "张某某", "TITLE": "路灯, 不亮", "RECEIVED": "2025-03-03 07:42:10", "ACCEPTED": "2025/03/03", "DAYS": 15}
        {"NO": "L2", "WHO": "李某某", "TITLE": "噪音", "RECEIVED": "2025-03-04 08:10:00", "ACCEPTED": "2025/03/04", "DAYS": 10, "REPLIED": "2025-03-05 16:30"}
        """#
        let mapping = try letterMapping()
        let a = try LegacyImport.events(csvText: csv, mapping: mapping)
        let b = try LegacyImport.events(text: jsonl, format: .jsonl, mapping: mapping)
        #expect(a.events.count == 5)
        #expect(a.events == b.events)
        #expect(a.events.first?.data["writerName"] == "张某某")
    }

    @Test("Event times may be equal but never go back; optional events need a filled date")
    func ordering() throws {
        let csv = "NO,WHO,TITLE,RECEIVED,ACCEPTED,DAYS,REPLIED\n" +
            "L1,a,t,2025-03-03 09:00:00,2025/03/03,15,2025-03-03 09:00\n" +   // accepted at 09:00, replied at 09:00: fine
            "L2,a,t,2025-03-03 09:30:00,2025/03/03,15,\n" +                   // accepted 09:00 before received 09:30
            "L3,a,t,2025-03-03 08:00:00,,15,\n" +                             // a required date is empty
            "L4,a,t,2025-03-03 08:00:00,2025/03/03,15,2025-03-03 25:00\n"     // no such hour
        let result = try LegacyImport.events(csvText: csv, mapping: try letterMapping())
        #expect(result.imported == 1)
        let reasons = Dictionary(uniqueKeysWithValues: result.rejected.map { ($0.row, $0.reason) })
        #expect(reasons[2] == "ACCEPTED 2025/03/03 is before RECEIVED 2025-03-03 09:30:00")
        #expect(reasons[3] == "ACCEPTED is empty")
        #expect(reasons[4] == "REPLIED '2025-03-03 25:00' does not match the format 'YYYY-MM-DD hh:mm'")
        #expect(result.events.filter { $0.subject == "letter/430424/L1" }.map(\.time) == Array(repeating: "2025-03-03T09:00:00+08:00", count: 3))
    }

    @Test("Mappings that cannot work are refused whole, naming the problem")
    func mappingErrors() throws {
        let csv = "NO,WHO,TITLE,RECEIVED,ACCEPTED,DAYS,REPLIED\n"
        func message(_ edit: @escaping (inout [String: Any]) -> Void) throws -> String? {
            do {
                _ = try LegacyImport.events(csvText: csv, mapping: try letterMapping(edit))
                return nil
            } catch let error as LegacyImportError {
                return error.message
            }
        }
        func editEvent(_ n: Int, _ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
            { object in
                var events = object["events"] as! [[String: Any]]
                events[n][key] = value
                object["events"] = events
            }
        }
        #expect(try message(editEvent(0, "time", "08:00")) == "gov.interaction.letter.received is dated by the date-time column RECEIVED: leave out its time '08:00'")
        #expect(try message(editEvent(1, "time", NSNull())) == "gov.interaction.letter.accepted is dated by the date column ACCEPTED: give its local time, HH:MM")
        #expect(try message(editEvent(0, "optional", true)) == "gov.interaction.letter.received starts the stream, so it cannot be optional")
        #expect(try message(editEvent(1, "data", ["replyLimit": ["column": "LIMIT", "type": "integer"]]))
                == "replyLimit of gov.interaction.letter.accepted names column 'LIMIT', which the export lacks")
        #expect(try message(editEvent(1, "data", ["handler": "{$item}"])) == "variable {$item} cannot be used in '{$item}'")
        #expect(try message(editEvent(1, "type", "gov.approval.case.accepted")) == "gov.approval.case.accepted belongs to 'case' streams, not 'letter'")
        #expect(try message { $0["dates"] = ["received": ["column": "RECEIVED", "format": "YYYY-MM-DD hh"], "accepted": ["column": "ACCEPTED", "format": "YYYY/MM/DD"], "replied": ["column": "REPLIED", "format": "YYYY-MM-DD hh:mm"]] }
                == "date format 'YYYY-MM-DD hh': a time of day is hh and mm, optionally ss, once each")
        #expect(try message { $0["items"] = [["code": "X", "name": "x", "promisedLimit": 1]] } == "'items' and 'catalog' need an 'itemCode' column")
        #expect(try message { _ in } == nil)
    }

    @Test("An item code the mapping lacks is skipped by default and rejected with unmapped: reject")
    func unmappedItems() throws {
        let csv = LegacyImportTests.header + "1,1 ELM ST.,ZZ Unknown,25-000002,2025/03/03 00:00:00+00,2025/03/10 00:00:00+00\n"
        var mapping = try burlingtonMapping()
        #expect(try LegacyImport.events(csvText: csv, mapping: mapping).skipped.map(\.row) == [1])
        mapping.itemCode?.unmapped = .reject
        let result = try LegacyImport.events(csvText: csv, mapping: mapping)
        #expect(result.skipped.isEmpty)
        #expect(result.rejected.first?.reason == "item code 'ZZ' (FOLDERTYPE 'ZZ Unknown') is not in the mapping")
    }

    @Test("The format comes from the extension: .csv, .jsonl, .ndjson; anything else is unknown")
    func formatFromExtension() {
        #expect(LegacyImportFormat(pathExtension: "csv") == .csv)
        #expect(LegacyImportFormat(pathExtension: "JSONL") == .jsonl)
        #expect(LegacyImportFormat(pathExtension: "ndjson") == .jsonl)
        #expect(LegacyImportFormat(pathExtension: "txt") == nil)
    }

    @Test("The summary counts rows and events, lists the first rejections, and the row report lists them all")
    func summary() throws {
        let result = try HengdongExample.letters.run()
        let summary = LegacyImportSummary(file: "letters.csv", result: result, appended: 50, alreadyPresent: 7,
                                          refused: [LegacyImportRefusal(eventID: "letter/430424/X#1", subject: "letter/430424/X", status: 403,
                                                                        code: "forbidden", detail: "no")])
        let lines = summary.lines(listing: 2, rejectionsFile: "out.tsv")
        #expect(lines[0] == "letters.csv: 22 rows read, 16 imported, 0 skipped, 6 rejected")
        #expect(lines[1] == "events: 57 (0 for the item catalogue), 50 appended, 7 already present (replayed), 1 refused by the gateway")
        #expect(lines[2] == "rejected:")
        #expect(lines[3].hasPrefix("  row 17: HFSJ"))
        #expect(lines[5] == "  … and 4 more (all rows in out.tsv)")
        #expect(lines.suffix(2) == ["refused by the gateway:", "  letter/430424/X#1: 403 forbidden: no"])
        let report = summary.rowReport().split(separator: "\n")
        #expect(report.count == 1 + 6)
        #expect(report[0] == "row\toutcome\treason")
        #expect(report[1] == "17\trejected\tHFSJ 2025-03-20 15:00 is before ZBSJ 2025-03-21 11:00")
        #expect(report.dropFirst().allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 3 })
    }
}

@Suite("Legacy import: damaged files")
struct LegacyImportDamageTests {
    /// A small deterministic generator (64-bit LCG), so that a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test("Truncated, spliced and byte-damaged exports never crash: every row is imported, skipped or rejected, or the file is refused whole",
          arguments: HengdongExample.allCases)
    func damagedFiles(example: HengdongExample) throws {
        let mapping = try example.mapping()
        let format = try #require(LegacyImportFormat(pathExtension: URL(fileURLWithPath: example.dataFile).pathExtension))
        let original = Array(try example.text().utf8)
        var random = Generator(state: 0x5EED)
        var refused = 0
        for round in 0..<60 {
            var bytes = original
            switch round % 3 {
            case 0: bytes = Array(bytes.prefix(random.next(bytes.count)))
            case 1:
                let cut = random.next(bytes.count)
                bytes.insert(contentsOf: Array("\"{,\n".utf8)[random.next(4)...], at: cut)
            default:
                for _ in 0..<5 { bytes[random.next(bytes.count)] = UInt8(random.next(256)) }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let result = try LegacyImport.events(text: text, format: format, mapping: mapping)
                #expect(result.imported + result.skipped.count + result.rejected.count == result.rowsRead, "round \(round)")
                #expect(Set(result.events.map(\.id)).count == result.events.count, "round \(round)")
            } catch {
                refused += 1
                #expect(!error.message.isEmpty)
            }
        }
        #expect(refused < 60)
    }
}
