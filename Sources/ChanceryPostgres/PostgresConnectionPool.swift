import Logging

/// Bookkeeping for ``PostgresClient``: idle connections, the open count, and FIFO waiters.
///
/// Connections are opened lazily up to `maxConnections`. A waiter is handed either a released
/// connection or, when a connection was discarded or failed to open, the right to open one.
actor PostgresConnectionPool {
    private enum Lease: Sendable {
        case connection(PostgresConnection)
        case openSlot
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Lease, any Error>
    }

    private let url: String
    nonisolated let maxConnections: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var isShutdown = false

    init(url: String, maxConnections: Int, logger: Logger) {
        self.url = url
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
    }

    /// Takes an idle connection, opens a new one, or waits for one to be released.
    ///
    /// - Throws: ``PostgresError`` `.closed` after shutdown, `.connection` if opening fails,
    ///   `CancellationError` if the task is cancelled while waiting.
    func acquire() async throws -> PostgresConnection {
        guard !isShutdown else { throw PostgresError.closed("client") }
        if let connection = idle.popLast() { return connection }
        if openCount < maxConnections {
            openCount += 1
            return try await openReserved()
        }
        nextWaiterID += 1
        let id = nextWaiterID
        let lease = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        switch lease {
        case .connection(let connection): return connection
        case .openSlot: return try await openReserved()
        }
    }

    /// Returns a connection: reused if healthy and outside a transaction, else closed.
    func release(_ connection: PostgresConnection) async {
        let reusable = await connection.prepareForReuse()
        guard reusable, !isShutdown else {
            await connection.close()
            openCount -= 1
            if !reusable { logger.debug("PostgreSQL pool discarded a connection", metadata: ["postgres.connection": "\(connection.id)"]) }
            grantOpenSlotIfPossible()
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: .connection(connection))
        } else {
            idle.append(connection)
        }
    }

    /// Closes idle connections, fails waiters with `.closed`; in-use connections are closed
    /// when released.
    func shutdown() async {
        guard !isShutdown else { return }
        isShutdown = true
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.continuation.resume(throwing: PostgresError.closed("client")) }
        let connections = idle
        idle.removeAll()
        openCount -= connections.count
        for connection in connections { await connection.close() }
    }

    /// Connections currently open (idle or in use).
    var openConnections: Int { openCount }

    // MARK: - Private

    /// Opens a connection for a slot already counted in `openCount`.
    private func openReserved() async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(url: url, logger: logger)
        } catch {
            openCount -= 1
            grantOpenSlotIfPossible()
            throw error
        }
        if isShutdown {
            await connection.close()
            openCount -= 1
            throw PostgresError.closed("client")
        }
        return connection
    }

    private func grantOpenSlotIfPossible() {
        guard !isShutdown, openCount < maxConnections, !waiters.isEmpty else { return }
        openCount += 1
        waiters.removeFirst().continuation.resume(returning: .openSlot)
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
