import ArgumentParser
import ChanceryDomain
import ChanceryReports
import Foundation

/// `chancery report circular|annual`: the monthly circular (通报) and the statutory annual report on government
/// information disclosure, from the read models, printed to standard output (or written to `--output`).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print the monthly circular or the annual disclosure report from the read models.",
        subcommands: [CircularReportCommand.self, AnnualReportCommand.self])
}

/// Options shared by both reports.
struct ReportOutputOptions: ParsableArguments {
    @Option(help: "Output format: html, md, csv or json.")
    var format: String = "html"

    @Option(help: "Language: zh (Chinese, the default) or en.")
    var lang: String = "zh"

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    func validated() throws -> (ReportFormat, ReportLanguage) {
        guard let f = ReportFormat(parameter: format) else { throw ValidationError("--format must be one of html, md, csv, json, not '\(format)'") }
        guard let l = ReportLanguage(code: lang) else { throw ValidationError("--lang must be zh or en, not '\(lang)'") }
        return (f, l)
    }

    func emit(_ text: String) throws {
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

func validatedRegion(_ region: String) throws -> String {
    guard Region(region) != nil else { throw ValidationError("--region must be a six-digit (China) or seven-digit (Canada) division code, not '\(region)'") }
    return region
}

/// `chancery report circular --region R --month YYYY-MM`.
struct CircularReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circular", abstract: "The monthly circular (通报): every department's cases, on-time rate, cards, urges, letters, ratings and grade, the ranking and the overdue cases.")

    @Option(help: "Division code (行政区划代码), e.g. 430424.")
    var region: String

    @Option(help: "The month, YYYY-MM.")
    var month: String

    @Option(name: .customLong("efficiency-formula"), help: "A JSON file with the efficiency index weights and grade thresholds (as the server's).")
    var efficiencyFormula: String?

    @OptionGroup var output: ReportOutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var readModels: ReadModelSchemaOption

    func run() async throws {
        let region = try validatedRegion(region)
        guard let month = CalendarMonth(month) else { throw ValidationError("--month must be YYYY-MM, not '\(self.month)'") }
        let (format, language) = try output.validated()
        let chosen = try loadOptionFile("--efficiency-formula", efficiencyFormula, EfficiencyFormula.load) ?? EfficiencyFormula()
        let readModels = self.readModels
        let circular = try await database.withClient(label: "chancery.report") { client in
            try await readModels.reading(client) { try await CircularBuilder(database: client, formula: chosen).build(region: region, month: month) }
        }
        try output.emit(try ReportRenderer.shared().render(circular, as: format, language: language))
    }
}

/// `chancery report annual --region R --year Y [--supplement FILE]`.
struct AnnualReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annual", abstract: "The annual report on government information disclosure (政府信息公开工作年度报告, national format of 2021).")

    @Option(help: "Division code (行政区划代码), e.g. 430405.")
    var region: String

    @Option(help: "The year, e.g. 2025.")
    var year: String

    @Option(help: "The region's supplement for the year (JSON, schemas/annual-report-supplement.schema.json): texts and the figures no event carries.")
    var supplement: String?

    @OptionGroup var output: ReportOutputOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var readModels: ReadModelSchemaOption

    func run() async throws {
        let region = try validatedRegion(region)
        guard let year = reportYear(year) else { throw ValidationError("--year must be four digits, e.g. 2025, not '\(self.year)'") }
        let (format, language) = try output.validated()
        let loaded = try loadOptionFile("--supplement", supplement) { try AnnualReportSupplement.decode(try Data(contentsOf: $0), name: $0.lastPathComponent) }
        let readModels = self.readModels
        let report = try await database.withClient(label: "chancery.report") { [loaded] client in
            try await readModels.reading(client) { try await AnnualReportBuilder(database: client).build(region: region, year: year, supplement: loaded) }
        }
        try output.emit(try ReportRenderer.shared().render(report, as: format, language: language))
    }
}
