import Dispatch
import Foundation
import Logging

/// One PostgreSQL session over libpq.
///
/// Every blocking libpq call runs on this connection's own serial `DispatchQueue`, never on
/// Swift's cooperative thread pool; the async methods suspend until it finishes. Calls are
/// executed one at a time in the order they were issued. A connection is a *session*: do not
/// interleave work from concurrent tasks on one connection (their statements would mix inside
/// each other's transactions); use ``PostgresClient`` to share connections.
///
/// Statements are ``PostgresQuery`` values: their values are always sent as `$1…$n` parameters in text format, never
/// spliced into SQL.
///
/// When the calling task has a ``PostgresSchemaRoute`` bound, statements, scripts and `COPY` are rewritten by it first
/// (a read-model replay or shadow schema read and written by unchanged code).
///
/// Cancelling the calling task sends a best-effort cancel request for the statement in flight;
/// the statement then fails with SQLSTATE `57014`.
///
/// Call ``close()`` exactly when done; there is no implicit close on deinit.
public final class PostgresConnection: Sendable {
    private let handle: LibPQConnection
    private let queue: DispatchQueue
    /// Logger carrying `postgres.connection` metadata.
    public let logger: Logger
    /// Process-unique id of this connection (for logs), starting at 1.
    public let id: Int

    private init(handle: LibPQConnection, queue: DispatchQueue, logger: Logger, id: Int) {
        self.handle = handle
        self.queue = queue
        self.logger = logger
        self.id = id
    }

    /// Opens a connection.
    ///
    /// - Parameters:
    ///   - url: `postgresql://user[:password]@host[:port]/database[?param=value…]` (or a libpq
    ///     `key=value` conninfo string). The session is set to UTF-8 client encoding, UTC
    ///     time zone and ISO date style unless the URL overrides them.
    ///   - logger: used for connection lifecycle (debug), statements (trace) and server
    ///     notices (debug; warnings at warning level).
    /// - Returns: an open connection; close it with ``close()``.
    /// - Throws: ``PostgresError`` of kind `.connection` if the server is unreachable or
    ///   rejects the login.
    public static func connect(url: String, logger: Logger) async throws -> PostgresConnection {
        let id = ConnectionIDs.next()
        var logger = logger
        logger[metadataKey: "postgres.connection"] = "\(id)"
        let queue = DispatchQueue(label: "chancery.postgres.connection.\(id)")
        let connectLogger = logger
        let handle: LibPQConnection = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try LibPQConnection.connect(url: url, logger: connectLogger) })
            }
        }
        logger.debug("PostgreSQL connection opened")
        return PostgresConnection(handle: handle, queue: queue, logger: logger, id: id)
    }

    /// Runs one statement and returns all rows.
    ///
    /// - Parameter query: a single statement (no trailing second statement); its interpolated values are bound as
    ///   `$1…$n` parameters (see ``PostgresQuery``).
    /// - Returns: every row of the result, materialised (empty for commands without rows).
    /// - Throws: ``PostgresError`` `.query` with the server's SQLSTATE/message/detail,
    ///   `.connection` if the connection broke, `.closed` after ``close()``.
    public func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let result = try await run(query)
        let columns = result.columns
        return result.rows.map { PostgresRow(columns: columns, values: $0) }
    }

    /// Runs one statement and returns the number of rows it affected.
    ///
    /// - Parameter query: a single statement; its interpolated values are bound as `$1…$n` parameters (see
    ///   ``PostgresQuery``).
    /// - Returns: rows inserted/updated/deleted/selected as reported by the command tag; 0 for
    ///   commands that report none (DDL, `BEGIN`, …).
    /// - Throws: ``PostgresError`` `.query`, `.connection`, `.closed`.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await run(query).affectedRows
    }

    /// Runs a script of `;`-separated statements without parameters (simple query protocol),
    /// e.g. a migration. Outside a transaction the whole script runs in one implicit
    /// transaction; it stops at the first error.
    ///
    /// - Parameter sql: one or more statements; never build it from untrusted values.
    /// - Throws: ``PostgresError`` `.query`, `.connection`, `.closed`.
    public func executeScript(_ sql: String) async throws {
        let sql = PostgresSchemaRoute.current?.rewrite(sql) ?? sql
        logger.trace("PostgreSQL script", metadata: ["postgres.sql.bytes": "\(sql.utf8.count)"])
        _ = try await perform { try $0.executeScript(sql) }
    }

    /// Streams rows into `COPY table [(columns)] FROM STDIN` in text format.
    ///
    /// Values are escaped per the COPY text rules (`\N` for NULL; backslash, tab, newline and
    /// carriage return backslash-escaped), so any text without NUL survives unchanged.
    ///
    /// - Parameters:
    ///   - copySQL: e.g. `COPY events (id, body) FROM STDIN` (default text format, tab
    ///     delimiter; do not add `WITH (FORMAT csv)` or a custom delimiter).
    ///   - rows: one array per row, one entry per copied column; `nil` is SQL NULL.
    /// - Returns: rows copied, as reported by the server.
    /// - Throws: ``PostgresError`` `.copy` (server rejected the data, a value contains NUL,
    ///   or `copySQL` is not a `COPY … FROM STDIN`), `.connection`, `.closed`. On error nothing
    ///   is copied.
    public func copyFrom(_ copySQL: String, rows: [[String?]]) async throws -> Int {
        let copySQL = PostgresSchemaRoute.current?.rewrite(copySQL) ?? copySQL
        logger.trace("PostgreSQL COPY", metadata: ["postgres.sql": "\(copySQL)", "postgres.rows": "\(rows.count)"])
        return try await perform { try $0.copyIn(copySQL, rows: rows) }
    }

    /// Server version as an integer (`150010` for 15.10).
    ///
    /// - Throws: ``PostgresError`` `.closed` after ``close()``.
    public func serverVersion() async throws -> Int {
        try await perform(cancellable: false) { handle in
            guard !handle.isClosed else { throw PostgresError.closed() }
            return handle.serverVersion
        }
    }

    /// Closes the session and frees its libpq resources. Idempotent; later calls on this
    /// connection throw ``PostgresError`` `.closed`. Waits for the statement in flight, if
    /// any, to finish first.
    public func close() async {
        let wasOpen: Bool = (try? await perform(cancellable: false) { handle in
            let wasOpen = !handle.isClosed
            handle.close()
            return wasOpen
        }) ?? false
        if wasOpen { logger.debug("PostgreSQL connection closed") }
    }

    // MARK: - Internal

    /// Whether the connection can be handed to another user: open, healthy, and not inside a
    /// transaction. A leftover open or failed transaction is rolled back first.
    func prepareForReuse() async -> Bool {
        (try? await perform(cancellable: false) { handle -> Bool in
            guard handle.isHealthy else { return false }
            switch handle.transactionStatus {
            case .idle:
                return true
            case .inTransaction, .inError:
                _ = try handle.executeScript("ROLLBACK")
                return handle.isHealthy && handle.transactionStatus == .idle
            case .active, .unknown:
                return false
            }
        }) ?? false
    }

    /// The session's transaction state.
    func transactionStatus() async throws -> LibPQTransactionStatus {
        try await perform(cancellable: false) { handle in
            guard !handle.isClosed else { throw PostgresError.closed() }
            return handle.transactionStatus
        }
    }

    /// A savepoint name unique within this connection.
    func nextSavepointName() async throws -> String {
        try await perform(cancellable: false) { $0.nextSavepointName() }
    }

    /// Runs a parameterless control statement (BEGIN/COMMIT/ROLLBACK/SAVEPOINT) ignoring task
    /// cancellation, so cleanup still happens in cancelled tasks.
    func control(_ sql: String) async throws -> String {
        logger.trace("PostgreSQL statement", metadata: ["postgres.sql": "\(sql)"])
        return try await perform(cancellable: false) { try $0.execute(sql, parameters: []).commandTag }
    }

    // MARK: - Private

    private func run(_ query: PostgresQuery) async throws -> LibPQResultSet {
        let sql = PostgresSchemaRoute.current?.rewrite(query.sql) ?? query.sql
        let texts = query.binds.map { $0?.postgresText }
        logger.trace("PostgreSQL statement", metadata: ["postgres.sql": "\(sql)", "postgres.parameters": "\(texts.count)"])
        return try await perform { try $0.execute(sql, parameters: texts) }
    }

    /// Runs `work` on the connection's queue and resumes with its result.
    private func perform<T: Sendable>(
        cancellable: Bool = true,
        _ work: @escaping @Sendable (LibPQConnection) throws -> T
    ) async throws -> T {
        let handle = self.handle
        let queue = self.queue
        let token = handle.makeOperationToken()
        let operation = {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                queue.async {
                    handle.beginOperation(token)
                    let result = Result { try work(handle) }
                    handle.endOperation()
                    continuation.resume(with: result)
                }
            }
        }
        guard cancellable else { return try await operation() }
        return try await withTaskCancellationHandler(operation: operation, onCancel: { handle.requestCancel(token) })
    }
}

/// Process-wide counter for connection ids.
private enum ConnectionIDs {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last = 0

    static func next() -> Int {
        lock.withLock {
            last += 1
            return last
        }
    }
}
