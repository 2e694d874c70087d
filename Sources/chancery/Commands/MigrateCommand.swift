import ArgumentParser
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Logging

/// `chancery migrate`: applies pending read-model migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending PostgreSQL migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let applied = try await database.withClient(label: "chancery.migrate") { try await DatabaseMigrations.migrate($0) }
        print(applied.isEmpty ? "up to date" : "applied \(applied.map(String.init).joined(separator: ", "))")
    }
}
