import ArgumentParser
import Foundation

/// `chancery`: the event-sourced backend for government approval, disclosure and supervision.
@main
struct Chancery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chancery",
        abstract: "Event-sourced backend for online approval (网上审批), information disclosure (政府信息公开) and electronic supervision (电子监察).",
        subcommands: [ServerCommand.self, DemoCommand.self, ImportCommand.self, SummaryCommand.self, MigrateCommand.self, DeadLetterCommand.self, TokensCommand.self]
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
}
