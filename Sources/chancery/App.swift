import ArgumentParser
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Foundation
import Logging

/// `chancery`: the event-sourced backend for government approval, disclosure and supervision.
@main
struct Chancery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chancery",
        abstract: "Event-sourced backend for online approval (网上审批), information disclosure (政府信息公开) and electronic supervision (电子监察).",
        subcommands: [ServerCommand.self, DemoCommand.self, GenerateCommand.self, ImportCommand.self, CalendarsCommand.self, SummaryCommand.self, MigrateCommand.self, DeadLetterCommand.self, TokensCommand.self, HistoryCommand.self, VerifyCommand.self, AuditCommand.self, ProofCommand.self, ExportCommand.self, RestoreCommand.self, ReportCommand.self, ReplayCommand.self, RebuildCommand.self]
    )
}

/// The bearer token of commands that publish through the HTTP door.
struct TokenOptions: ParsableArguments {
    @Option(help: "Bearer token (chancery_<id>.<secret>) with the right to publish; default: $CHANCERY_TOKEN.")
    var token: String?

    var resolved: String? { token ?? ProcessInfo.processInfo.environment["CHANCERY_TOKEN"] }
}

/// Options shared by commands that talk to PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "libpq connection URL of the read models.")
    var databaseURL: String = "postgresql://postgres@127.0.0.1:54329/chancery"

    /// Runs `body` with a small pool on the read models, shutting it down afterwards whatever happens.
    /// - Parameter migrate: apply pending migrations first (commands that may run before any server).
    @discardableResult
    func withClient<T: Sendable>(label: String, connections: Int = 1, migrate: Bool = false,
                                 _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let client = PostgresClient(url: databaseURL, maxConnections: connections, logger: logger)
        do {
            if migrate { _ = try await DatabaseMigrations.migrate(client) }
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
