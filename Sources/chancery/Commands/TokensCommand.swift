import ArgumentParser
import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChanceryServer
import Logging

/// `chancery tokens add|list|revoke`: bearer tokens for integrators, analysts, auditors and admins.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Manage bearer tokens (stored hashed in auth.tokens).",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it (once).")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "integrator, analyst, auditor or admin.")
        var role: String

        @Option(name: .customLong("source"), help: "A source prefix an integrator may publish for (repeatable), e.g. /430424/departments/planning.")
        var sources: [String] = []

        @Option(name: .customLong("region"), help: "A region code an integrator may publish for (repeatable); * for all.")
        var regions: [String] = []

        @Option(help: "What the token is for.")
        var description: String?

        @Flag(help: "Print only the token.")
        var quiet = false

        func validate() throws {
            guard let r = Principal.Role(rawValue: role) else { throw ValidationError("role must be integrator, analyst, auditor or admin") }
            if r == .integrator && (sources.isEmpty || regions.isEmpty) {
                throw ValidationError("an integrator token needs at least one --source prefix and one --region")
            }
        }

        func run() async throws {
            let role = Principal.Role(rawValue: role)!
            let (sources, regions, description) = (self.sources, self.regions, self.description)
            let token = try await database.withClient(label: "chancery.tokens", migrate: true) { db in
                try await PostgresTokenStore.add(role: role, sources: sources, regions: regions, description: description, database: db)
            }
            if quiet { print(token.text) } else {
                print("token \(token.id) (\(role.rawValue)) — keep it, it is shown only once:\n\(token.text)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (ids, roles, grants; never secrets).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let rows = try await database.withClient(label: "chancery.tokens", migrate: true) { db in
                try await db.query("SELECT id, role, array_to_string(sources, ','), array_to_string(regions, ','), coalesce(description, ''), revoked_at IS NOT NULL FROM auth.tokens ORDER BY created_at")
            }
            for r in rows {
                let (id, role, sources, regions, description, revoked) = try r.decode((String, String, String, String, String, Bool).self)
                print("\(id)\t\(role)\tsources=\(sources)\tregions=\(regions)\t\(description)\(revoked ? "\trevoked" : "")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id (effective within seconds).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The token id.")
        var id: String

        func run() async throws {
            let id = self.id
            let n = try await database.withClient(label: "chancery.tokens", migrate: true) { db in
                try await db.execute("UPDATE auth.tokens SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL")
            }
            if n == 0 { throw ValidationError("no active token \(id)") }
            print("revoked \(id)")
        }
    }
}
