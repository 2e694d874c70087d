import ArgumentParser
import ChanceryPostgres
import Logging

/// `chancery summary`: prints the reference figures and the Burlington figures from the read models.
struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Print the demo's figures from the read models.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let client = PostgresClient(url: database.databaseURL, maxConnections: 1, logger: Logger(label: "chancery.summary"))
        do {
            print(try await Summary.render(database: client))
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}
