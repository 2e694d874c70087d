import Foundation

/// One SQL statement and the values bound to its `$1…$n` placeholders.
///
/// Written as a string literal, every interpolated value becomes a bound parameter, never SQL text:
///
/// ```swift
/// try await db.query("SELECT status FROM approval.cases WHERE region = \(region) AND accepted_on >= \(from)::date")
/// // sql: "SELECT status FROM approval.cases WHERE region = $1 AND accepted_on >= $2::date", binds: [region, from]
/// ```
///
/// `nil` of an optional value binds SQL NULL. Text that must be part of the statement itself — a schema, table or
/// column name chosen by the program, a clause assembled from fixed pieces — is spliced only when asked for by name:
/// `\(unescaped: "approval.cases")`, or ``init(unsafeSQL:binds:)`` for a statement built elsewhere with its own
/// numbered placeholders. Neither may ever carry a value that came from outside the program; both are easy to find
/// in review (`unescaped:`, `unsafeSQL:`). The model is postgres-nio's `PostgresQuery`.
///
/// Placeholders are numbered in the order the values are interpolated, continuing after those of any statement text
/// already appended; each interpolation binds a new parameter even when the same value appears twice.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1…$n` placeholders.
    public private(set) var sql: String
    /// The values of `$1…$n`, in order; `nil` is SQL NULL. Sent in PostgreSQL text format, separately from ``sql``.
    public private(set) var binds: [(any PostgresEncodable)?]

    /// A statement without values: the literal text.
    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    /// A statement written with interpolations; see ``StringInterpolation``.
    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// A statement built elsewhere, with its own `$1…$n` placeholders and their values.
    ///
    /// - Parameters:
    ///   - unsafeSQL: the statement text. It is sent as is: it must be assembled only from text the program itself
    ///     holds (fixed fragments, names it chose), never from a value received from outside — those go in `binds`.
    ///   - binds: the values of `$1…$n` in order; `nil` is SQL NULL.
    public init(unsafeSQL: String, binds: [(any PostgresEncodable)?] = []) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    /// The statement text and the number of bound values (never the values: they may be personal data).
    public var description: String { "\(sql) [\(binds.count) bound]" }

    /// Builds a ``PostgresQuery`` from a string literal with interpolations.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var binds: [(any PostgresEncodable)?]

        /// Reserves room for the literal text and the values.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        /// Appends statement text.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next parameter and appends its placeholder (`$n`).
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Binds `value` as the next parameter, SQL NULL when `nil`, and appends its placeholder (`$n`).
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        /// Appends `text` to the statement itself — a name or clause the program chose, never a value from outside.
        public mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }

        /// Appends `name` as a quoted SQL identifier (`"name"`, embedded quotes doubled), e.g. a schema the program
        /// derived from a user's name for a replay.
        public mutating func appendInterpolation(identifier name: String) {
            sql += "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
