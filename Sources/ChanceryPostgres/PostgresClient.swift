import Logging

/// A small connection pool: up to `maxConnections` sessions to one database, opened lazily.
///
/// Each `withConnection` borrows one connection exclusively for the duration of its body;
/// waiting borrowers are served first come, first served. A connection is returned to the
/// pool only if it is healthy and outside a transaction (a transaction left open is rolled
/// back); broken connections are closed and replaced on demand.
public final class PostgresClient: Sendable {
    private let pool: PostgresConnectionPool
    /// Logger used for pool events and passed to every connection.
    public let logger: Logger

    /// Creates a client. No connection is opened until first use.
    ///
    /// - Parameters:
    ///   - url: `postgresql://user[:password]@host[:port]/database` (see
    ///     ``PostgresConnection/connect(url:logger:)``).
    ///   - maxConnections: upper bound on open sessions (values below 1 are treated as 1).
    ///   - logger: logger for the pool and its connections.
    public init(url: String, maxConnections: Int = 4, logger: Logger) {
        self.pool = PostgresConnectionPool(url: url, maxConnections: maxConnections, logger: logger)
        self.logger = logger
    }

    /// Borrows a connection for `body`, returning it to the pool afterwards (also when `body`
    /// throws).
    ///
    /// - Parameter body: work on the borrowed connection; do not keep the connection after
    ///   `body` returns.
    /// - Returns: `body`'s result.
    /// - Throws: `body`'s error; ``PostgresError`` `.closed` after ``shutdown()``,
    ///   `.connection` if no connection can be opened; `CancellationError` if the task is
    ///   cancelled while waiting for a connection.
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await pool.acquire()
        let result: T
        do {
            result = try await body(connection)
        } catch {
            await pool.release(connection)
            throw error
        }
        await pool.release(connection)
        return result
    }

    /// Runs one statement on a pooled connection and returns all rows.
    /// See ``PostgresConnection/query(_:)`` for the statement and errors.
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs one statement on a pooled connection and returns the affected row count.
    /// See ``PostgresConnection/execute(_:)`` for the statement and errors.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    /// Runs `body` in a transaction on one pooled connection.
    /// See ``PostgresConnection/transaction(isolation:_:)`` for semantics and errors.
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel? = nil,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { try await $0.transaction(isolation: isolation, body) }
    }

    /// The most sessions this client opens at once.
    public var maxConnections: Int { pool.maxConnections }

    /// Number of connections currently open (idle or borrowed).
    public var openConnections: Int {
        get async { await pool.openConnections }
    }

    /// Closes idle connections and refuses new work (``PostgresError`` `.closed`); borrowed
    /// connections are closed when their bodies finish. Idempotent.
    public func shutdown() async {
        await pool.shutdown()
    }
}
