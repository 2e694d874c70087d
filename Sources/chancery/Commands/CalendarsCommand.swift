import ArgumentParser
import ChanceryImport

/// `chancery calendars`: the working-day calendars Chancery counts deadlines on.
struct CalendarsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendars",
        abstract: "The working-day calendars (the ids a mapping's \"calendar\" may name).",
        subcommands: [List.self], defaultSubcommand: List.self)

    /// `chancery calendars list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the calendars: id, name, time zone, coverage, holidays, working weekends, source, regions (tab-separated).")

        func run() throws {
            for line in LegacyImportCalendars.listing() { print(line) }
        }
    }
}
