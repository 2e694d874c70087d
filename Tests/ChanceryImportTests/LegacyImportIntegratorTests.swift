import ChanceryDomain
import ChanceryImport
import Foundation
import Testing

/// The letter mapping of ``letterMapping(_:)`` with three optional fields of `gov.interaction.letter.received`, read
/// from columns whose names hold a space and a hyphen: `letterKind` (a lookup with `omit`), `writerPhone` (a
/// template with `omit`) and `writerAddress` (a template with literal text around its column).
func omittingLetterMapping(_ edit: @escaping (inout [String: Any]) -> Void = { _ in }) throws -> LegacyImportMapping {
    try letterMapping { object in
        var events = object["events"] as! [[String: Any]]
        var data = events[0]["data"] as! [String: Any]
        data["letterKind"] = ["column": "LETTER KIND", "values": ["咨询": "consultation", "投诉": "complaint", "不详": ""], "omit": ["其他"]]
        data["writerPhone"] = ["template": "{WRITER-PHONE}", "omit": ["无", "-"]]
        data["writerAddress"] = "Addr: {ADDR}"
        events[0]["data"] = data
        object["events"] = events
        edit(&object)
    }
}

@Suite("Legacy import as an integrator meets it (issue 14)")
struct LegacyImportIntegratorTests {
    static let header = "NO,WHO,TITLE,RECEIVED,ACCEPTED,DAYS,REPLIED,LETTER KIND,WRITER-PHONE,ADDR\n"

    @Test("A lookup or template can leave a field out for given values; an empty rendering is left out; columns with spaces and hyphens work")
    func omittedFields() throws {
        let csv = Self.header +
            "L1,a,t,2025-03-03 08:00:00,2025/03/03,15,,咨询,13800000000,1 Main St\n" +
            "L2,a,t,2025-03-03 08:00:00,2025/03/03,15,,其他,无,\n" +
            "L3,a,t,2025-03-03 08:00:00,2025/03/03,15,,不详,-,\n" +
            "L4,a,t,2025-03-03 08:00:00,2025/03/03,15,,建议,,\n" +
            "L5,,t,2025-03-03 08:00:00,2025/03/03,15,,咨询,,\n"
        let result = try LegacyImport.events(csvText: csv, mapping: try omittingLetterMapping())
        #expect(result.imported == 3)
        func received(_ number: String) -> [String: JSONValue]? {
            result.events.first { $0.subject == "letter/430424/\(number)" && $0.type == "gov.interaction.letter.received" }?.data.objectValue
        }
        let first = try #require(received("L1"))
        #expect(first["letterKind"] == "consultation")
        #expect(first["writerPhone"] == "13800000000")
        #expect(first["writerAddress"] == "Addr: 1 Main St")
        // 其他 is omitted by the lookup, 无 by the template; ADDR empty leaves "Addr: " out.
        let second = try #require(received("L2"))
        #expect(second["letterKind"] == nil && second["writerPhone"] == nil && second["writerAddress"] == nil)
        #expect(second["writerName"] == "a")
        // 不详 maps to "": an empty rendering, left out.
        let third = try #require(received("L3"))
        #expect(third["letterKind"] == nil && third["writerPhone"] == nil)
        #expect(result.rejected.map(\.row) == [4, 5])
        #expect(result.rejected.first?.reason == "LETTER KIND '建议' is not one of the mapped values (不详, 咨询, 投诉); left out for 其他")
        // A required field left out (WHO empty) rejects the row, naming the field.
        let required = try #require(result.rejected.last?.reason)
        #expect(required.hasPrefix("gov.interaction.letter.received: ") && required.contains("writerName"), "\(required)")
    }

    @Test("Without omit, the same values still reject the row or are refused by the schema, as before")
    func withoutOmit() throws {
        let csv = Self.header + "L2,a,t,2025-03-03 08:00:00,2025/03/03,15,,其他,无,\n"
        let mapping = try omittingLetterMapping { object in
            var events = object["events"] as! [[String: Any]]
            var data = events[0]["data"] as! [String: Any]
            data["letterKind"] = ["column": "LETTER KIND", "values": ["咨询": "consultation"]]
            events[0]["data"] = data
            object["events"] = events
        }
        let result = try LegacyImport.events(csvText: csv, mapping: mapping)
        #expect(result.imported == 0)
        #expect(result.rejected.first?.reason == "LETTER KIND '其他' is not one of the mapped values (咨询)")
    }

    @Test("A mapping that both maps and omits a value, or writes omit wrongly, is refused naming the problem")
    func omitMappingErrors() throws {
        let both = try omittingLetterMapping { object in
            var events = object["events"] as! [[String: Any]]
            var data = events[0]["data"] as! [String: Any]
            data["letterKind"] = ["column": "LETTER KIND", "values": ["其他": "other"], "omit": ["其他"]]
            events[0]["data"] = data
            object["events"] = events
        }
        #expect(throws: LegacyImportError("letterKind of gov.interaction.letter.received: '其他' is both a mapped value and omitted; keep one")) {
            try LegacyImport.events(csvText: Self.header, mapping: both)
        }
        func decodes(_ value: Any) -> Bool {
            (try? omittingLetterMapping { object in
                var events = object["events"] as! [[String: Any]]
                var data = events[0]["data"] as! [String: Any]
                data["writerPhone"] = value
                events[0]["data"] = data
                object["events"] = events
            }) != nil
        }
        #expect(decodes(["template": "{WRITER-PHONE}", "omit": ["无"]]))
        #expect(!decodes(["template": "{WRITER-PHONE}", "omit": "无"]))
        #expect(!decodes(["template": "{WRITER-PHONE}", "omitted": ["无"]]))
        #expect(!decodes(["column": "WRITER-PHONE", "omit": [1]]))
    }

    @Test("The long template form round-trips through Codable")
    func templateRoundTrip() throws {
        let mapping = try omittingLetterMapping()
        let again = try LegacyImportMapping(json: JSONEncoder().encode(mapping))
        #expect(again == mapping)
        #expect(again.events[0].data["writerPhone"] == .template("{WRITER-PHONE}", omit: ["无", "-"]))
    }

    @Test("The calendar a mapping names must be one Chancery knows and the one its region is counted on")
    func calendars() throws {
        #expect(LegacyImportCalendars.all.map(\.id) == ["CA-ON", "CN"])
        let cn = try #require(LegacyImportCalendars.all.first { $0.id == "CN" })
        #expect(cn.timeZone == "Asia/Shanghai" && cn.coverage.lowerBound == CivilDate(year: 2008, month: 1, day: 1))
        #expect(cn.holidays > 100 && cn.workingWeekends > 10 && cn.source.contains("chinese-calendar"))
        let listing = LegacyImportCalendars.listing()
        #expect(listing.count == 3)
        #expect(listing[2].hasPrefix("CN\tChina (national, State Council holiday notices)\tAsia/Shanghai\t2008-01-01…"))
        #expect(throws: LegacyImportError("calendar 'CHINA' is not one Chancery knows (CA-ON, CN; see `chancery calendars list`)")) {
            try LegacyImport.events(csvText: Self.header, mapping: try letterMapping { $0["calendar"] = "CHINA" })
        }
        #expect(throws: LegacyImportError("region 430424 is counted on the CN calendar, not CA-ON: set \"calendar\": \"CN\"")) {
            try LegacyImport.events(csvText: Self.header, mapping: try letterMapping { $0["calendar"] = "CA-ON" })
        }
    }

    @Test("A date-only column takes the rule's time; a date-time column refuses one")
    func timeOfDateOnlyFormat() throws {
        let csv = Self.header + "L1,a,t,2025-03-03 07:42:10,2025/03/03,15,,,,\n"
        let result = try LegacyImport.events(csvText: csv, mapping: try letterMapping())
        #expect(result.events.map(\.time) == ["2025-03-03T07:42:10+08:00", "2025-03-03T09:00:00+08:00"])
    }

    @Test("Rows whose events the gateway refused count as rejected, with its status and code, in the list and in --rejections")
    func gatewayRefusals() throws {
        let result = try HengdongExample.letters.run()
        let (subject, row) = try #require(result.rowOfStream.min { $0.value < $1.value })
        let body = Array(#"{"type":"/problems/duplicate-id-conflict","title":"Conflict","status":409,"detail":"id reused with other content"}"#.utf8)
        let refusal = LegacyImportRefusal(eventID: "\(subject)#2", subject: subject, status: 409, body: body)
        #expect(refusal.code == "duplicate-id-conflict" && refusal.detail == "id reused with other content")
        let summary = LegacyImportSummary(file: "letters.csv", result: result, appended: 40, alreadyPresent: 0,
                                          refused: [refusal, LegacyImportRefusal(eventID: "\(subject)#3", subject: subject, status: 422, body: Array("nope".utf8))])
        let lines = summary.lines(listing: 100)
        #expect(lines[0] == "letters.csv: 22 rows read, 15 imported, 0 skipped, 7 rejected")
        #expect(lines[1].hasSuffix("2 refused by the gateway"))
        let reason = "refused by the gateway: 409 duplicate-id-conflict: id reused with other content (\(subject)#2)"
        #expect(lines.contains("  row \(row): \(reason)"))
        #expect(!lines.contains("refused by the gateway:"), "refusals of rows are listed with the rows, not apart")
        #expect(summary.rowReport().split(separator: "\n").contains("\(row)\trejected\t\(reason)"))
        #expect(summary.rejected.count == 7 && summary.imported == 15)
        // A refusal that is not problem+json keeps the answer's text and the status as code.
        #expect(summary.refused[1].problem == "422 http-422: nope")
    }

    @Test("Refused item events belong to no row: they are listed apart")
    func itemRefusals() throws {
        let result = try HengdongExample.cases.run()
        let item = try #require(result.events.first { $0.subject.hasPrefix("item/") })
        let summary = LegacyImportSummary(file: "cases.csv", result: result, appended: 0, alreadyPresent: 0,
                                          refused: [LegacyImportRefusal(eventID: item.id, subject: item.subject, status: 403, code: "forbidden", detail: "x")])
        #expect(summary.imported == result.imported)
        #expect(summary.lines(listing: 10).suffix(2) == ["refused by the gateway:", "  \(item.id): 403 forbidden: x"])
    }

    @Test("A dry run's events: items first, then by business time, as CloudEvents JSON Lines that read back as the events")
    func dryRunEvents() throws {
        let result = try HengdongExample.cases.run()
        let events = result.sendingOrder
        #expect(events.count == result.events.count)
        let firstCase = try #require(events.firstIndex { !$0.subject.hasPrefix("item/") })
        #expect(events[..<firstCase].allSatisfy { $0.subject.hasPrefix("item/") } && events[firstCase...].allSatisfy { !$0.subject.hasPrefix("item/") })
        let times = try events[firstCase...].map { try RFC3339Timestamp(parsing: $0.time) }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        let lines = String(decoding: LegacyImport.jsonLines(events), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == events.count + 1 && lines.last == "")
        let decoded = try lines.dropLast().map { try JSONDecoder().decode(CloudEvent.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.id) == events.map(\.id))
        #expect(decoded.map(\.data) == events.map(\.data))
        let summary = LegacyImportSummary(dryRunOf: result, file: "cases.csv").lines(listing: 1)
        #expect(summary[0] == "cases.csv: 30 rows read, 22 imported, 0 skipped, 8 rejected")
        #expect(summary[1] == "events: \(events.count) (12 for the item catalogue), dry run: nothing sent")
    }
}

/// The `chancery` executable as built next to the tests.
@Suite("chancery import --dry-run and chancery calendars list, run as a user would")
struct ChanceryCommandLineTests {
    static var executable: URL { repositoryRoot.appendingPathComponent(".build/debug/chancery") }

    /// Runs `chancery` with `arguments`; its exit status, standard output and standard error.
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["CHANCERY_TOKEN"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test("--dry-run sends nothing (no server at --url), prints the real run's summary and writes every event as JSON Lines")
    func dryRun() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the chancery executable first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chancery-dry-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("events.jsonl"), rejections = directory.appendingPathComponent("rows.tsv")
        let example = HengdongExample.requests
        let (status, out, err) = try Self.run([
            "import", "--dry-run", "--url", "http://127.0.0.1:9", "--output", output.path, "--rejections", rejections.path,
            "--mapping", "examples/mappings/\(example.rawValue).json", "examples/data/\(example.dataFile)",
        ])
        #expect(status == 0, "\(err)")
        let result = try example.run()
        let expected = LegacyImportSummary(dryRunOf: result, file: "examples/data/\(example.dataFile)")
        let printed = out.split(separator: "\n").map(String.init)
        #expect(Array(printed.prefix(2)) == Array(expected.lines(listing: 10, rejectionsFile: rejections.path).prefix(2)))
        #expect(printed.last == "events written to \(output.path) (CloudEvents JSON Lines)")
        #expect(!out.contains("read models"))
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == result.events.count)
        #expect(lines.map(String.init) == result.sendingOrder.map { String(decoding: $0.jsonBytes(), as: UTF8.self) })
        #expect(try String(contentsOf: rejections, encoding: .utf8) == expected.rowReport())
    }

    @Test("calendars list prints each calendar's id, name, coverage and source")
    func calendarsList() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the chancery executable first")
        let (status, out, _) = try Self.run(["calendars", "list"])
        #expect(status == 0)
        #expect(out.split(separator: "\n").map(String.init) == LegacyImportCalendars.listing())
        #expect(out.contains("CA-ON\tCanada, Ontario (statutory holidays)\tAmerica/Toronto\t2015-01-01…2027-12-31"))
    }
}
