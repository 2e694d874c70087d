import CLibPQ
import Foundation
import Logging

/// Owner of one `PGconn *` (and its `PGcancel *`).
///
/// Threading contract: every method except ``makeOperationToken()`` and ``requestCancel(_:)``
/// blocks or touches queue-confined state and must be called from the owning
/// ``PostgresConnection``'s serial queue, never from Swift's cooperative pool; that queue (plus
/// `cancelLock` for the cancel state) is what makes the `@unchecked Sendable` sound. The C handles are freed only by ``close()``, never by `deinit`.
final class LibPQConnection: @unchecked Sendable {
    /// `PGconn *`; `nil` once closed. Queue-confined.
    private var connection: OpaquePointer?
    /// `PGcancel *` for the connection; guarded by `cancelLock`.
    private var cancelHandle: OpaquePointer?
    /// Whether a statement is executing right now; guarded by `cancelLock`.
    private var statementInFlight = false
    /// Token of the operation running on the queue (see ``beginOperation(_:)``); guarded by
    /// `cancelLock`.
    private var currentOperation: UInt64?
    /// Last token handed out by ``makeOperationToken()``; guarded by `cancelLock`.
    private var lastOperationToken: UInt64 = 0
    private let cancelLock = NSLock()
    /// Counter for savepoint names. Queue-confined.
    private var savepointCounter = 0
    let logger: Logger

    private init(connection: OpaquePointer, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Opens a blocking connection.
    ///
    /// - Parameters:
    ///   - url: `postgresql://user[:password]@host:port/db?…` URI or `key=value` conninfo.
    ///     Values in it override the defaults set here (UTF8 client encoding, UTC time zone,
    ///     ISO date style, 10 s connect timeout, application name `chancery`).
    /// - Throws: ``PostgresError`` of kind `.connection` with libpq's message.
    static func connect(url: String, logger: Logger) throws -> LibPQConnection {
        // Later keywords override earlier ones, and `dbname` is expanded (URI or conninfo),
        // so the caller's URL wins over these defaults.
        let pairs: [(String, String)] = [
            ("client_encoding", "UTF8"),
            ("options", "-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres"),
            ("connect_timeout", "10"),
            ("application_name", "chancery"),
            ("dbname", url),
        ]
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers: [UnsafePointer<CChar>?] = keywords.map { $0.map { UnsafePointer($0) } } + [nil]
        let valuePointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } } + [nil]
        guard let raw = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        let owner = LibPQConnection(connection: raw, logger: logger)
        guard PQstatus(raw) == CONNECTION_OK else {
            let message = LibPQResultReader.trimmed(PQerrorMessage(raw).map { String(cString: $0) } ?? "")
            owner.close()
            throw PostgresError(kind: .connection, message: "could not connect to PostgreSQL: \(message)")
        }
        owner.cancelLock.withLock { owner.cancelHandle = PQgetCancel(raw) }
        PQsetNoticeReceiver(raw, { context, result in
            guard let context, let result else { return }
            let owner = Unmanaged<LibPQConnection>.fromOpaque(context).takeUnretainedValue()
            owner.logNotice(result)
        }, Unmanaged.passUnretained(owner).toOpaque())
        return owner
    }

    /// Whether ``close()`` has run.
    var isClosed: Bool { connection == nil }

    /// Whether the connection is open and healthy (`PQstatus == CONNECTION_OK`).
    var isHealthy: Bool {
        guard let connection else { return false }
        return PQstatus(connection) == CONNECTION_OK
    }

    /// Server version as an integer, e.g. `150010` for 15.10; 0 when closed.
    var serverVersion: Int {
        guard let connection else { return 0 }
        return Int(PQserverVersion(connection))
    }

    /// The session's transaction state; `.unknown` when closed or broken.
    var transactionStatus: LibPQTransactionStatus {
        guard let connection else { return .unknown }
        switch PQtransactionStatus(connection) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .inError
        default: return .unknown
        }
    }

    /// A fresh savepoint name unique within this connection (`chancery_sp_N`).
    func nextSavepointName() -> String {
        savepointCounter += 1
        return "chancery_sp_\(savepointCounter)"
    }

    /// Runs one statement with `$1…$n` parameters sent separately in text format
    /// (`PQexecParams`; multi-statement strings are rejected by the server).
    ///
    /// - Parameters:
    ///   - sql: a single SQL statement.
    ///   - parameters: text values for `$1…$n`; `nil` is SQL NULL.
    /// - Throws: ``PostgresError`` `.query` (server error, or a parameter containing NUL),
    ///   `.connection` (connection broke), `.closed`.
    func execute(_ sql: String, parameters: [String?]) throws -> LibPQResultSet {
        let connection = try openConnection()
        for (index, parameter) in parameters.enumerated() where parameter?.utf8.contains(0) == true {
            throw PostgresError(
                kind: .query,
                message: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot store"
            )
        }
        let copies = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let result = inFlight {
            PQexecParams(connection, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result, kind: .query)
    }

    /// Runs a script of one or more `;`-separated statements without parameters (`PQexec`,
    /// simple protocol). Stops at the first failing statement.
    ///
    /// - Returns: the result of the last statement.
    /// - Throws: ``PostgresError`` `.query`, `.connection`, `.closed`.
    func executeScript(_ sql: String) throws -> LibPQResultSet {
        let connection = try openConnection()
        let result = inFlight { PQexec(connection, sql) }
        return try consume(result, kind: .query)
    }

    /// Runs `COPY … FROM STDIN` (text format) and streams `rows` in 64 KiB chunks.
    ///
    /// - Returns: rows copied, as reported by the server.
    /// - Throws: ``PostgresError`` `.copy` (server rejected the data or the statement is not a
    ///   `COPY FROM STDIN`), `.connection`, `.closed`.
    func copyIn(_ sql: String, rows: [[String?]]) throws -> Int {
        let connection = try openConnection()
        // Encode everything up front so an unsendable value cannot leave COPY half-done.
        var chunks: [[UInt8]] = []
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        for row in rows {
            try PostgresCopyText.appendRow(row, to: &buffer)
            if buffer.count >= 64 * 1024 {
                chunks.append(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { chunks.append(buffer) }

        return try inFlight { () throws -> Int in
            guard let start = PQexec(connection, sql) else { throw connectionError(kind: .copy) }
            let startStatus = PQresultStatus(start)
            if startStatus != PGRES_COPY_IN {
                let error: PostgresError
                if LibPQResultReader.isSuccess(start) {
                    error = PostgresError(kind: .copy, message: "statement is not a COPY … FROM STDIN: \(sql)")
                } else {
                    error = LibPQResultReader.error(from: start, kind: .copy)
                }
                PQclear(start)
                if startStatus == PGRES_COPY_OUT { drainCopyOut(connection) }
                drainResults(connection)
                throw error
            }
            PQclear(start)

            var sendFailure: String?
            for chunk in chunks {
                let sent = chunk.withUnsafeBufferPointer { bytes in
                    bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        PQputCopyData(connection, $0, Int32(bytes.count))
                    }
                }
                if sent != 1 {
                    sendFailure = LibPQResultReader.trimmed(PQerrorMessage(connection).map { String(cString: $0) } ?? "")
                    break
                }
            }
            if PQputCopyEnd(connection, nil) != 1, sendFailure == nil {
                sendFailure = LibPQResultReader.trimmed(PQerrorMessage(connection).map { String(cString: $0) } ?? "")
            }

            var firstError: PostgresError?
            var copied = 0
            while let result = PQgetResult(connection) {
                if LibPQResultReader.isSuccess(result) {
                    copied = LibPQResultReader.materialize(result).affectedRows
                } else if firstError == nil {
                    firstError = LibPQResultReader.error(from: result, kind: .copy)
                }
                PQclear(result)
            }
            if var firstError {
                if PQstatus(connection) != CONNECTION_OK { firstError.kind = .connection }
                throw firstError
            }
            if let sendFailure {
                throw PostgresError(
                    kind: PQstatus(connection) == CONNECTION_OK ? .copy : .connection,
                    message: "sending COPY data failed: \(sendFailure)"
                )
            }
            return copied
        }
    }

    /// A fresh token identifying one queued operation, for ``requestCancel(_:)``. Any thread.
    func makeOperationToken() -> UInt64 {
        cancelLock.withLock {
            lastOperationToken += 1
            return lastOperationToken
        }
    }

    /// Marks the operation `token` as the one now running on the queue (queue only).
    func beginOperation(_ token: UInt64) {
        cancelLock.withLock { currentOperation = token }
    }

    /// Clears the running operation (queue only).
    func endOperation() {
        cancelLock.withLock { currentOperation = nil }
    }

    /// Asks the server to cancel the statement in flight (`PQcancel`, best effort), but only
    /// while it belongs to operation `token`, so a late request cannot hit a later statement:
    /// the lock is held across `PQcancel`, and the queue cannot start another statement
    /// without it. Safe from any thread; returns immediately and performs the network round
    /// trip on a global queue.
    func requestCancel(_ token: UInt64) {
        let shouldCancel = cancelLock.withLock { currentOperation == token && cancelHandle != nil }
        guard shouldCancel else { return }
        DispatchQueue.global().async { [self] in
            cancelLock.withLock {
                guard statementInFlight, currentOperation == token, let handle = cancelHandle else { return }
                var buffer = [CChar](repeating: 0, count: 256)
                if PQcancel(handle, &buffer, Int32(buffer.count)) == 0 {
                    logger.debug("PostgreSQL cancel request failed", metadata: [
                        "error": "\(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))",
                    ])
                }
            }
        }
    }

    /// Closes the connection and frees the `PGconn` and `PGcancel`. Idempotent. This is the
    /// only place the C handles are released.
    func close() {
        cancelLock.withLock {
            if let handle = cancelHandle { PQfreeCancel(handle) }
            cancelHandle = nil
        }
        guard let connection else { return }
        self.connection = nil
        PQfinish(connection)
    }

    // MARK: - Private

    private func openConnection() throws -> OpaquePointer {
        guard let connection else { throw PostgresError.closed() }
        return connection
    }

    /// Marks a statement as in flight for ``requestCancel(_:)`` while `body` runs.
    private func inFlight<T>(_ body: () throws -> T) rethrows -> T {
        cancelLock.withLock { statementInFlight = true }
        defer { cancelLock.withLock { statementInFlight = false } }
        return try body()
    }

    /// Turns a `PGresult *` (or its absence) into a result set or a thrown error, and clears it.
    private func consume(_ result: OpaquePointer?, kind: PostgresError.Kind) throws -> LibPQResultSet {
        guard let result else { throw connectionError(kind: kind) }
        defer { PQclear(result) }
        guard LibPQResultReader.isSuccess(result) else {
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                if let connection {
                    if status == PGRES_COPY_IN { _ = PQputCopyEnd(connection, "COPY FROM STDIN is only supported through copyFrom") }
                    if status == PGRES_COPY_OUT { drainCopyOut(connection) }
                    drainResults(connection)
                }
                throw PostgresError(kind: kind, message: "COPY statements must go through copyFrom(_:rows:)")
            }
            var error = LibPQResultReader.error(from: result, kind: kind)
            if let connection, PQstatus(connection) != CONNECTION_OK { error.kind = .connection }
            throw error
        }
        return LibPQResultReader.materialize(result)
    }

    private func connectionError(kind: PostgresError.Kind) -> PostgresError {
        guard let connection else { return PostgresError.closed() }
        let message = LibPQResultReader.trimmed(PQerrorMessage(connection).map { String(cString: $0) } ?? "")
        let broken = PQstatus(connection) != CONNECTION_OK
        return PostgresError(kind: broken ? .connection : kind, message: message.isEmpty ? "no result from server" : message)
    }

    private func drainCopyOut(_ connection: OpaquePointer) {
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(connection, &buffer, 0) > 0 {
            PQfreemem(buffer)
            buffer = nil
        }
    }

    private func drainResults(_ connection: OpaquePointer) {
        while let result = PQgetResult(connection) { PQclear(result) }
    }

    fileprivate func logNotice(_ result: OpaquePointer) {
        let severity = PQresultErrorField(result, Int32(Character("V").asciiValue!)).map { String(cString: $0) } ?? "NOTICE"
        let message = PQresultErrorField(result, Int32(Character("M").asciiValue!)).map { String(cString: $0) } ?? ""
        let level: Logger.Level = severity == "WARNING" ? .warning : .debug
        logger.log(level: level, "PostgreSQL \(severity): \(message)")
    }
}
