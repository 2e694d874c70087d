import CLibPQ

/// One statement's outcome, copied out of a `PGresult` into plain Swift values so that the
/// C result can be cleared immediately.
struct LibPQResultSet: Sendable {
    /// Column names in result order (empty for commands without a result set).
    var columns: [String]
    /// Row values as PostgreSQL text output; `nil` is SQL NULL.
    var rows: [[String?]]
    /// Rows affected for INSERT/UPDATE/DELETE/MERGE/COPY/SELECT/MOVE/FETCH, else 0.
    var affectedRows: Int
    /// Command tag, e.g. `"INSERT 0 3"`, `"COMMIT"`, `"ROLLBACK"`.
    var commandTag: String
}

/// Transaction state of the session (`PQtransactionStatus`).
enum LibPQTransactionStatus: Sendable {
    case idle, active, inTransaction, inError, unknown
}

/// Helpers that read a `PGresult *` (an `OpaquePointer`). None of them frees the result.
enum LibPQResultReader {
    /// Whether a status means success for a statement.
    static func isSuccess(_ result: OpaquePointer) -> Bool {
        let status = PQresultStatus(result)
        return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
            || status == PGRES_EMPTY_QUERY || status == PGRES_SINGLE_TUPLE
    }

    /// Copies columns, rows, affected count and command tag out of a successful result.
    static func materialize(_ result: OpaquePointer) -> LibPQResultSet {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [String] = []
        columns.reserveCapacity(fieldCount)
        for field in 0..<fieldCount {
            columns.append(PQfname(result, Int32(field)).map { String(cString: $0) } ?? "?column?")
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(fieldCount)
            for field in 0..<fieldCount {
                if PQgetisnull(result, Int32(row), Int32(field)) != 0 {
                    values.append(nil)
                } else {
                    values.append(PQgetvalue(result, Int32(row), Int32(field)).map { String(cString: $0) } ?? "")
                }
            }
            rows.append(values)
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return LibPQResultSet(columns: columns, rows: rows, affectedRows: affected, commandTag: tag)
    }

    /// Builds a ``PostgresError`` from an error result's diagnostic fields.
    static func error(from result: OpaquePointer, kind: PostgresError.Kind) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let pointer = PQresultErrorField(result, Int32(ascii)) else {
                return nil
            }
            let value = String(cString: pointer)
            return value.isEmpty ? nil : value
        }
        let fallback = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
        let message = field("M") ?? trimmed(fallback)
        return PostgresError(
            kind: kind,
            message: message,
            sqlState: field("C"),
            detail: field("D"),
            hint: field("H"),
            constraint: field("n"),
            schema: field("s"),
            table: field("t"),
            column: field("c")
        )
    }

    /// Strips the trailing newline libpq puts on its messages.
    static func trimmed(_ message: String) -> String {
        var text = Substring(message)
        while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
        return String(text)
    }
}
