import Foundation
import Testing
@testable import ChanceryReports

@Suite struct SupplementTests {
    func decode(_ json: String) throws -> AnnualReportSupplement {
        try AnnualReportSupplement.decode(Data(json.utf8), name: "s.json")
    }

    @Test func decodesAWholeSupplement() throws {
        let s = try decode(#"{"region":"430405","year":2025,"authority":"珠晖区人民政府","feesCollected":1.5,"normativeDocuments":{"issued":2,"repealed":1,"inForce":30},"organisationKinds":{"request/430405/1":"research-institution"}}"#)
        #expect(s.normativeDocuments?.inForce == 30)
        #expect(s.feesCollected == 1.5)
        #expect(throws: ReportError.self) { try s.check(region: "430405", year: 2024, name: "s.json") }
    }

    @Test func refusesUnknownMembersNegativeCountsAndKinds() {
        for (json, fragment) in [
            (#"{"region":"430405","year":2025,"fees":1}"#, "unknown member \"fees\""),
            (#"{"region":"430405","year":2025,"regulations":{"issued":-1}}"#, "/regulations/issued"),
            (#"{"region":"430405","year":2025,"organisationKinds":{"request/430405/1":"company"}}"#, "/organisationKinds/request/430405/1"),
            (#"{"region":"430405","year":"2025"}"#, "/year"),
            (#"{"year":2025}"#, "\"region\" is required"),
            ("[]", "not a JSON object"),
        ] {
            #expect {
                _ = try decode(json)
            } throws: { error in
                (error as? ReportError)?.description.contains(fragment) == true
            }
        }
    }
}

/// The example of the README and of `--report-supplements` decodes, and its file name matches its region and year.
@Suite struct SupplementExampleTests {
    @Test func exampleDirectoryLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let supplements = try AnnualReportSupplements.load(directory: root.appendingPathComponent("examples/reports"))
        let s = try #require(supplements.supplement(region: "430405", year: 2025))
        #expect(s.authority == "珠晖区人民政府")
        #expect(s.overview?.contains("471") == true)
        #expect(s.feesCollected == nil)
    }
}
