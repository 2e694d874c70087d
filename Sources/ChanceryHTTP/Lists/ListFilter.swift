import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One filter of a list endpoint: the query parameter and the SQL condition it adds when present.
///
/// Every value is checked before it reaches PostgreSQL; a bad one is a 400 `invalid-parameter` problem naming the
/// parameter. Values are bound as parameters, never spliced into the SQL.
struct ListFilter: Sendable {
    enum Kind: Sendable {
        /// `column = value`.
        case equals(column: String)
        /// `column = value` for a six- or seven-digit division code (行政区划代码).
        case region(column: String)
        /// `column = value` for one of `values` (an enumeration of the OpenAPI document).
        case oneOf(column: String, values: [String])
        /// `column >= value` for a `YYYY-MM-DD` day; `column` is a `date` expression.
        case onOrAfter(column: String)
        /// `column <= value` for a `YYYY-MM-DD` day; `column` is a `date` expression.
        case onOrBefore(column: String)
        /// `true`: `condition`; `false`: not `condition` (a boolean SQL expression that is never null).
        case flag(condition: String)
        /// Case-insensitive substring of `column` (1 to ``ListFilter/maxSearchCharacters`` characters).
        case contains(column: String)
        /// `column >= value` for a whole number from `minimum` (a signed 64-bit integer; `column` is an integer expression).
        case atLeast(column: String, minimum: Int64)
        /// `column <= value` for a whole number from `minimum`.
        case atMost(column: String, minimum: Int64)
        /// `column < value` for a whole number from `minimum`.
        case below(column: String, minimum: Int64)
    }

    /// Most Unicode scalar values (JSON Schema's characters) in a filter value (`maxLength` in schemas/openapi.yaml).
    static let maxCharacters = 256
    /// Most characters in a text search (`q`).
    static let maxSearchCharacters = 200

    /// The query parameter.
    var name: String
    var kind: Kind

    static func equals(_ name: String, _ column: String) -> ListFilter { .init(name: name, kind: .equals(column: column)) }
    static func region(_ column: String = "region") -> ListFilter { .init(name: "region", kind: .region(column: column)) }
    static func oneOf(_ name: String, _ column: String, _ values: [String]) -> ListFilter { .init(name: name, kind: .oneOf(column: column, values: values)) }
    static func onOrAfter(_ name: String, _ column: String) -> ListFilter { .init(name: name, kind: .onOrAfter(column: column)) }
    static func onOrBefore(_ name: String, _ column: String) -> ListFilter { .init(name: name, kind: .onOrBefore(column: column)) }
    static func flag(_ name: String, _ condition: String) -> ListFilter { .init(name: name, kind: .flag(condition: condition)) }
    static func contains(_ name: String, _ column: String) -> ListFilter { .init(name: name, kind: .contains(column: column)) }
    static func atLeast(_ name: String, _ column: String, minimum: Int64 = 0) -> ListFilter { .init(name: name, kind: .atLeast(column: column, minimum: minimum)) }
    static func atMost(_ name: String, _ column: String, minimum: Int64 = 0) -> ListFilter { .init(name: name, kind: .atMost(column: column, minimum: minimum)) }
    static func below(_ name: String, _ column: String, minimum: Int64 = 0) -> ListFilter { .init(name: name, kind: .below(column: column, minimum: minimum)) }

    static func invalid(_ name: String, _ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: "\(name) \(detail)")
    }

    /// Adds this filter's condition to `conditions` when the request has the parameter.
    /// - Throws: 400 `invalid-parameter` naming the parameter for a value it cannot take.
    func apply(_ text: Substring?, to conditions: inout SQLConditions) throws {
        guard let text else { return }
        let value = String(text)
        guard !value.utf8.contains(0), value.unicodeScalars.count <= Self.maxCharacters else {
            throw Self.invalid(name, "must have at most \(Self.maxCharacters) characters and no NUL")
        }
        switch kind {
        case .equals(let column):
            conditions.add({ "\(column) = \($0)" }, value: value)
        case .region(let column):
            guard Region(value) != nil else {
                throw Self.invalid(name, "must be a six-digit (China) or seven-digit (Canada) division code, not '\(value)'")
            }
            conditions.add({ "\(column) = \($0)" }, value: value)
        case .oneOf(let column, let values):
            guard values.contains(value) else { throw Self.invalid(name, "must be one of \(values.joined(separator: ", ")), not '\(value)'") }
            conditions.add({ "\(column) = \($0)" }, value: value)
        case .onOrAfter(let column):
            conditions.add({ "\(column) >= \($0)::date" }, value: try Self.day(name, value))
        case .onOrBefore(let column):
            conditions.add({ "\(column) <= \($0)::date" }, value: try Self.day(name, value))
        case .flag(let condition):
            switch value {
            case "true": conditions.clauses.append("(\(condition))")
            case "false": conditions.clauses.append("NOT (\(condition))")
            default: throw Self.invalid(name, "must be true or false, not '\(value)'")
            }
        case .contains(let column):
            guard (1...Self.maxSearchCharacters).contains(value.unicodeScalars.count) else {
                throw Self.invalid(name, "must have 1 to \(Self.maxSearchCharacters) characters")
            }
            conditions.add({ "strpos(lower(\(column)), lower(\($0)::text)) > 0" }, value: value)
        case .atLeast(let column, let minimum):
            conditions.add({ "\(column) >= \($0)::bigint" }, value: try Self.integer(name, value, minimum: minimum))
        case .atMost(let column, let minimum):
            conditions.add({ "\(column) <= \($0)::bigint" }, value: try Self.integer(name, value, minimum: minimum))
        case .below(let column, let minimum):
            conditions.add({ "\(column) < \($0)::bigint" }, value: try Self.integer(name, value, minimum: minimum))
        }
    }

    /// A whole number in decimal (an optional `-`, ASCII digits) from `minimum` to `Int64.max`.
    static func integer(_ name: String, _ value: String, minimum: Int64) throws -> Int64 {
        guard let n = Int64(value), n >= minimum else {
            throw invalid(name, "must be an integer from \(minimum) to \(Int64.max), not '\(value.prefix(100))'")
        }
        return n
    }

    /// A strict `YYYY-MM-DD` civil date from 0001-01-01 to 9999-12-31.
    static func day(_ name: String, _ value: String) throws -> String {
        let digits = value.utf8.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == UInt8(ascii: "-") : (c >= 48 && c <= 57) }
        guard value.utf8.count == 10, digits, let date = CivilDate(value), date.year >= 1 else {
            throw invalid(name, "must be a date YYYY-MM-DD, not '\(value)'")
        }
        return value
    }
}

/// The WHERE clauses of a list query and the values bound to their `$n` placeholders.
struct SQLConditions {
    var clauses: [String] = []
    var parameters: [(any PostgresEncodable)?] = []

    /// Binds `value` as the next parameter and adds the clause `make` builds around its placeholder.
    mutating func add(_ make: (String) -> String, value: (any PostgresEncodable)?) {
        parameters.append(value)
        clauses.append(make("$\(parameters.count)"))
    }

    /// The next placeholder for `value`, bound now.
    mutating func placeholder(_ value: (any PostgresEncodable)?) -> String {
        parameters.append(value)
        return "$\(parameters.count)"
    }

    /// `WHERE …` or the empty string.
    var whereClause: String { clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ") }
}
