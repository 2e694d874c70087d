import ArgumentParser
import ChanceryPostgres
import ChanceryProjections
import Logging

/// `chancery migrate`: applies pending read-model migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending PostgreSQL migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let client = PostgresClient(url: database.databaseURL, maxConnections: 1, logger: Logger(label: "chancery.migrate"))
        do {
            let applied = try await ReadModelMigrations.migrate(client)
            print(applied.isEmpty ? "up to date" : "applied \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}
