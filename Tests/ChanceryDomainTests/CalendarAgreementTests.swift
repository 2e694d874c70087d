import ChanceryDomain
import Foundation
import Testing

// The bundled CN calendar against the `chinese-calendar` PyPI package (pinned in
// scripts/requirements-calendars.txt, installed by infra/install-deps.sh), day by day, and
// regional overrides layered over CN.

private func day(_ text: String) -> CivilDate {
    guard let d = CivilDate(text) else { fatalError("bad test date \(text)") }
    return d
}

private let cn: WorkingDayCalendar = {
    do { return try WorkingDayCalendar.bundled("CN") } catch { fatalError("\(error)") }
}()

@Suite("CN calendar agrees with chinese-calendar")
struct CalendarPackageAgreementTests {
    @Test("every day of 2008–2026 has chinese-calendar's verdict (scripts/cn-workdays.py)")
    func everyDayAgrees() throws {
        // given chinese-calendar's is_workday() for every day of 2008-01-01 … 2026-12-31
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/cn-workdays.py").path, "2008-01-01", "2026-12-31"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "scripts/cn-workdays.py failed (pip install -r scripts/requirements-calendars.txt): \(stderr)")
        let answer = try JSONDecoder().decode(JSONValue.self, from: stdout)
        let bits = Array(try #require(answer["workdays"]?.stringValue).utf8)
        let version = answer["version"]?.stringValue ?? "?"
        // then the package covered 6,940 days and the Swift calendar agrees on each
        #expect(bits.count == 6_940)
        var d = day("2008-01-01")
        var disagreements: [String] = []
        for bit in bits {
            let python = bit == UInt8(ascii: "1")
            if cn.isWorkingDay(d) != python { disagreements.append("\(d): chinese-calendar \(version) says \(python ? "working" : "off")") }
            d = d.adding(days: 1)
        }
        #expect(d == day("2027-01-01"))
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }
}

@Suite("Regional calendar overrides")
struct RegionalOverrideTests {
    /// A test notice (not real data): the province 450000 gives Monday 2025-03-31 off.
    private let province = WorkingDayCalendar(
        id: "CN-450000", timeZoneIdentifier: "Asia/Shanghai", weekend: [6, 7],
        holidays: [day("2025-03-31"): "provincial festival (test)"], workingWeekends: [:],
        coverage: day("2025-03-01")...day("2025-04-30"), utcOffsetSeconds: 28_800, version: "450000-test")
    /// A county of it works that day after all, and takes Tuesday 2025-04-01 off instead.
    private let county = WorkingDayCalendar(
        id: "CN-450102", timeZoneIdentifier: "Asia/Shanghai", weekend: [6, 7],
        holidays: [day("2025-04-01"): "county day (test)"], workingWeekends: [day("2025-03-31"): "cancelled (test)"],
        coverage: day("2025-03-01")...day("2025-04-30"), utcOffsetSeconds: 28_800, version: "450102-test")

    @Test func provinceOverrideAppliesToEveryRegionBelowIt() throws {
        let regions = try RegionCalendars.bundled(overrides: ["450000": province])
        // then every 45xxxx region has 03-31 off, on top of the national holidays
        for code in ["450000", "450100", "450102", "451000"] {
            let cal = try #require(regions.calendar(for: code))
            #expect(!cal.isWorkingDay(day("2025-03-31")), "\(code)")
            #expect(!cal.isWorkingDay(day("2025-01-28")), "\(code): national Spring Festival kept")
            #expect(cal.isWorkingDay(day("2025-01-26")), "\(code): national adjusted Sunday kept")
            #expect(cal.version == "chinese-calendar-1.11.0 + 450000-test")
        }
        // and other provinces and Ontario keep their calendars
        #expect(regions.calendar(for: "430424")?.isWorkingDay(day("2025-03-31")) == true)
        #expect(regions.calendar(for: "3521005")?.id == "CA-ON")
        // and a deadline across it moves: Fri 03-28 + 1 working day is Monday 03-31 nationally, Tuesday 04-01 there
        let guangxi = try #require(regions.calendar(for: "450102"))
        #expect(cn.date(addingWorkingDays: WorkingDays(1), after: day("2025-03-28")) == day("2025-03-31"))
        #expect(guangxi.date(addingWorkingDays: WorkingDays(1), after: day("2025-03-28")) == day("2025-04-01"))
    }

    @Test func moreLocalOverrideWinsPerDate() throws {
        let regions = try RegionCalendars.bundled(overrides: ["450000": province, "450102": county])
        // the county works 03-31 and is off 04-01; its neighbour 450103 keeps the province's day
        let county = try #require(regions.calendar(for: "450102"))
        #expect(county.isWorkingDay(day("2025-03-31")))
        #expect(!county.isWorkingDay(day("2025-04-01")))
        #expect(county.version == "chinese-calendar-1.11.0 + 450000-test + 450102-test")
        let neighbour = try #require(regions.calendar(for: "450103"))
        #expect(!neighbour.isWorkingDay(day("2025-03-31")))
        #expect(neighbour.isWorkingDay(day("2025-04-01")))
    }

    @Test func overrideFileLoadsLikeAnyCalendar() throws {
        // given an override as a configured file (the shape of the bundled calendars)
        let json = """
            {"id":"CN-430424","timeZone":"Asia/Shanghai","utcOffsetSeconds":28800,"weekend":[6,7],
             "coverage":{"from":"2025-06-01","through":"2025-06-30"},"holidays":{"2025-06-03":"local (test)"},"workingWeekends":{}}
            """
        let layer = try WorkingDayCalendar.decode(Data(json.utf8))
        let regions = try RegionCalendars.bundled(overrides: ["430424": layer])
        #expect(regions.calendar(for: "430424")?.isWorkingDay(day("2025-06-03")) == false)
        #expect(regions.calendar(for: "430405")?.isWorkingDay(day("2025-06-03")) == true)
    }
}
