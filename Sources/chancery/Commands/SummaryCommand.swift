import ArgumentParser
import ChanceryPostgres
import Logging

/// `chancery summary`: prints the reference figures and the Burlington figures from the read models.
struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print the demo's figures from the read models.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var readModels: ReadModelSchemaOption

    func run() async throws {
        let readModels = self.readModels
        print(try await database.withClient(label: "chancery.summary") { client in try await readModels.reading(client) { try await Summary.render(database: client) } })
    }
}
