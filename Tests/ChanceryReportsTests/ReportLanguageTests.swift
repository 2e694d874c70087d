import ChanceryDomain
import Testing
@testable import ChanceryReports

@Suite struct ReportParameterTests {
    @Test func parsesLanguageCodes() {
        #expect(ReportLanguage(code: "zh-CN") == .chinese)
        #expect(ReportLanguage(code: "EN") == .english)
        #expect(ReportLanguage(code: "fr") == nil)
    }

    @Test func parsesFormats() {
        #expect(ReportFormat(parameter: "md") == .markdown)
        #expect(ReportFormat(parameter: "CSV") == .csv)
        #expect(ReportFormat(parameter: "pdf") == nil)
        #expect(ReportFormat.html.mediaType == "text/html; charset=utf-8")
    }

    @Test func parsesYears() {
        #expect(reportYear("2025") == 2025)
        #expect(reportYear("25") == nil)
        #expect(reportYear("0001") == nil)
    }
}
