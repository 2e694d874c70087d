/// An error raised by the PostgreSQL edge.
///
/// Server-side failures carry the fields PostgreSQL reports (`sqlState`, `message`,
/// `detail`, `hint`, `constraint`, `schema`, `table`, `column`); client-side failures
/// (lost connection, undecodable value, use after `close()`) carry only `kind` and `message`.
///
/// Branch on `sqlState` using the constants in ``PostgresError/SQLState``, e.g.
/// `error.sqlState == PostgresError.SQLState.uniqueViolation`.
public struct PostgresError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Where the failure happened.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Connecting failed, or the connection broke (network, server shutdown). The
        /// connection is unusable afterwards.
        case connection
        /// The server rejected a statement (syntax, constraint, missing table, …), or a
        /// parameter could not be sent (e.g. it contains a NUL character).
        case query
        /// A `COPY … FROM STDIN` failed (server error or an unsendable field).
        case copy
        /// A result value could not be decoded into the requested Swift type (including
        /// NULL into a non-optional type, and an unknown column name or index).
        case decoding
        /// The connection or client was already closed / shut down.
        case closed
        /// Migration bookkeeping failed: a bad migration file name, duplicate versions, or
        /// an applied migration whose checksum no longer matches its SQL.
        case migration
    }

    /// Which stage failed.
    public var kind: Kind
    /// Five-character SQLSTATE code from the server (e.g. `"23505"`), or `nil` for
    /// client-side failures.
    public var sqlState: String?
    /// Primary human-readable message (never empty).
    public var message: String
    /// Optional secondary message from the server (e.g. `Key (id)=(1) already exists.`).
    public var detail: String?
    /// Optional suggestion from the server.
    public var hint: String?
    /// Name of the violated constraint, when the error concerns one.
    public var constraint: String?
    /// Schema of the object the error concerns, when reported.
    public var schema: String?
    /// Table of the object the error concerns, when reported.
    public var table: String?
    /// Column the error concerns, when reported.
    public var column: String?

    /// Creates an error. Only `kind` and `message` are required; the remaining fields default
    /// to `nil`.
    public init(
        kind: Kind,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil,
        schema: String? = nil,
        table: String? = nil,
        column: String? = nil
    ) {
        self.kind = kind
        self.message = message.isEmpty ? "unknown PostgreSQL error" : message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.schema = schema
        self.table = table
        self.column = column
    }

    /// One line: `PostgresError(query, 23505): message; detail: …; hint: …; constraint: …`.
    public var description: String {
        var text = "PostgresError(\(kind.rawValue)"
        if let sqlState { text += ", \(sqlState)" }
        text += "): \(message)"
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        if let constraint { text += "; constraint: \(constraint)" }
        return text
    }

    /// A `.decoding` error with the given message.
    /// Whether retrying the same work later may succeed: the connection failed or was closed, the server ran
    /// out of resources or is shutting down or restarting, the statement was cancelled, or the transaction lost
    /// a serialization or deadlock race. SQLSTATE classes 08, 40, 53, 57 and 58, 55P03 (lock not available) and
    /// the client-side kinds `.connection` and `.closed` (PostgreSQL manual, appendix A "Error Codes").
    /// Everything else — data exceptions (22), integrity violations (23), syntax or undefined objects (42),
    /// decoding — fails the same way on every retry: it is permanent.
    public var isTransient: Bool {
        if kind == .connection || kind == .closed { return true }
        guard let state = sqlState, state.count == 5 else { return false }
        if state == SQLState.lockNotAvailable { return true }
        return ["08", "40", "53", "57", "58"].contains(String(state.prefix(2)))
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(kind: .decoding, message: message)
    }

    /// The `.closed` error thrown by operations after `close()` / `shutdown()`.
    static func closed(_ what: String = "connection") -> PostgresError {
        PostgresError(kind: .closed, message: "the PostgreSQL \(what) is closed")
    }

    /// Frequently branched-on SQLSTATE codes (PostgreSQL Appendix A). Each is a
    /// five-character `String` comparable with ``PostgresError/sqlState``.
    public enum SQLState {
        /// `23505` unique_violation.
        public static let uniqueViolation = "23505"
        /// `23503` foreign_key_violation.
        public static let foreignKeyViolation = "23503"
        /// `23502` not_null_violation.
        public static let notNullViolation = "23502"
        /// `23514` check_violation.
        public static let checkViolation = "23514"
        /// `42P01` undefined_table.
        public static let undefinedTable = "42P01"
        /// `42703` undefined_column.
        public static let undefinedColumn = "42703"
        /// `42601` syntax_error.
        public static let syntaxError = "42601"
        /// `22P02` invalid_text_representation (e.g. `'abc'::int`).
        public static let invalidTextRepresentation = "22P02"
        /// `40001` serialization_failure (retry the transaction).
        public static let serializationFailure = "40001"
        /// `40P01` deadlock_detected (retry the transaction).
        public static let deadlockDetected = "40P01"
        /// `25P02` in_failed_sql_transaction.
        public static let inFailedTransaction = "25P02"
        /// `57014` query_canceled (statement timeout or task cancellation).
        public static let queryCanceled = "57014"
        /// `55P03` lock_not_available.
        public static let lockNotAvailable = "55P03"
    }
}
