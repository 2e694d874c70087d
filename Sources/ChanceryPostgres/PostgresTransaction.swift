import Logging

/// Transaction isolation levels for ``PostgresConnection/transaction(isolation:_:)``.
public enum PostgresIsolationLevel: String, Sendable, CaseIterable {
    /// `READ COMMITTED` (PostgreSQL's default).
    case readCommitted = "READ COMMITTED"
    /// `REPEATABLE READ` (snapshot isolation; may fail with `40001`).
    case repeatableRead = "REPEATABLE READ"
    /// `SERIALIZABLE` (may fail with `40001`; retry the whole transaction).
    case serializable = "SERIALIZABLE"
}

extension PostgresConnection {
    /// Runs `body` inside a transaction: `BEGIN`, then `COMMIT` if `body` returns, or
    /// `ROLLBACK` if it throws (the original error is rethrown; a failing rollback is only
    /// logged).
    ///
    /// When called while a transaction is already open on this connection (nested use), the
    /// body runs inside a `SAVEPOINT` instead, released on success and rolled back to on
    /// error; `isolation` is then ignored.
    ///
    /// If `body` swallows a statement error, PostgreSQL has already aborted the transaction;
    /// the commit then fails with a `.query` error (SQLSTATE `25P02` for savepoints) rather
    /// than silently rolling back.
    ///
    /// - Parameters:
    ///   - isolation: isolation level for `BEGIN`; `nil` uses the server default.
    ///   - body: the work; use only the connection it is given, and do not run it
    ///     concurrently with other work on this connection.
    /// - Returns: `body`'s result, after a successful commit.
    /// - Throws: `body`'s error (after rollback); ``PostgresError`` `.query` if `BEGIN` or
    ///   `COMMIT` fails (e.g. `40001` serialization failure at commit), `.connection`,
    ///   `.closed`.
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel? = nil,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        switch try await transactionStatus() {
        case .idle:
            return try await topLevelTransaction(isolation: isolation, body)
        case .inTransaction:
            return try await savepointTransaction(body)
        case .inError:
            throw PostgresError(
                kind: .query,
                message: "current transaction is aborted; cannot open a nested transaction",
                sqlState: PostgresError.SQLState.inFailedTransaction
            )
        case .active, .unknown:
            throw PostgresError(kind: .connection, message: "connection is not in a usable state for a transaction")
        }
    }

    private func topLevelTransaction<T: Sendable>(
        isolation: PostgresIsolationLevel?,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        _ = try await control(isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN")
        let result: T
        do {
            result = try await body(self)
        } catch {
            await rollback("ROLLBACK", after: error)
            throw error
        }
        let tag: String
        do {
            tag = try await control("COMMIT")
        } catch {
            // A failed COMMIT ends the transaction; make sure nothing is left open.
            if (try? await transactionStatus()) != .idle { await rollback("ROLLBACK", after: error) }
            throw error
        }
        if tag == "ROLLBACK" {
            throw PostgresError(
                kind: .query,
                message: "transaction was aborted by an earlier error and has been rolled back",
                sqlState: PostgresError.SQLState.inFailedTransaction
            )
        }
        return result
    }

    private func savepointTransaction<T: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let name = try await nextSavepointName()
        _ = try await control("SAVEPOINT \(name)")
        let result: T
        do {
            result = try await body(self)
            _ = try await control("RELEASE SAVEPOINT \(name)")
        } catch {
            await rollback("ROLLBACK TO SAVEPOINT \(name)", after: error)
            _ = try? await control("RELEASE SAVEPOINT \(name)")
            throw error
        }
        return result
    }

    private func rollback(_ sql: String, after error: any Error) async {
        do {
            _ = try await control(sql)
        } catch let rollbackError {
            logger.warning("PostgreSQL rollback failed", metadata: [
                "postgres.error": "\(rollbackError)",
                "postgres.original-error": "\(error)",
            ])
        }
    }
}
