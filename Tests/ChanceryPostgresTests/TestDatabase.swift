import ChanceryPostgres
import Foundation
import Logging

/// Thrown when the test database is not configured, so database tests fail loudly instead of
/// passing silently.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
}

/// Access to the server named by `CHANCERY_TEST_DATABASE_URL`.
enum TestDatabase {
    static let environmentKey = "CHANCERY_TEST_DATABASE_URL"

    /// The server URL, or a clear failure when unset.
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[environmentKey], !url.isEmpty else {
            throw TestSetupError(description: """
                \(environmentKey) is not set. Start a server with \
                `bash infra/postgres/pg-local.sh start /tmp/pgtest-data 54329` and run \
                `\(environmentKey)=postgresql://postgres@127.0.0.1:54329/chancery swift test`.
                """)
        }
        return url
    }

    static var logger: Logger {
        var logger = Logger(label: "chancery.postgres.tests")
        logger.logLevel = .error
        return logger
    }

    /// A fresh schema name, unique per call (`t_<32 hex>`).
    static func uniqueSchemaName() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    static func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(url: try url(), logger: logger)
    }

    /// Opens a connection, creates a unique schema and puts it first on the `search_path`,
    /// runs `body`, then drops the schema and closes the connection (also on failure).
    static func withSchema(
        _ body: (_ connection: PostgresConnection, _ schema: String) async throws -> Void
    ) async throws {
        let connection = try await connect()
        let schema = uniqueSchemaName()
        do {
            try await connection.execute("CREATE SCHEMA \(unescaped: schema)")
            try await connection.execute("SET search_path TO \(unescaped: schema)")
            try await body(connection, schema)
        } catch {
            await dropSchema(schema)
            await connection.close()
            throw error
        }
        await dropSchema(schema)
        await connection.close()
    }

    /// Drops a test schema on a separate connection (the test's own may be broken).
    static func dropSchema(_ schema: String) async {
        guard let connection = try? await connect() else { return }
        _ = try? await connection.execute("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE")
        await connection.close()
    }
}
