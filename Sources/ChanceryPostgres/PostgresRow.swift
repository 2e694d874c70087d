/// One result row: column names plus each value in PostgreSQL text output (`nil` = NULL).
///
/// Decode values by index (0-based) or by column name, or a whole row at once with a tuple:
/// ```swift
/// let (id, name, note) = try row.decode((Int64, String, String?).self)
/// ```
/// All decoding errors are ``PostgresError`` of kind `.decoding` naming the column.
public struct PostgresRow: Sendable, Equatable, CustomStringConvertible {
    /// Column names in result order (duplicates possible, e.g. two `?column?`).
    public var columns: [String]
    /// Raw values in text format, one per column; `nil` is SQL NULL.
    public var values: [String?]

    /// Creates a row. `values` should have one entry per column.
    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    /// Number of values in the row.
    public var count: Int { values.count }

    /// `name=value` pairs, NULL shown as `NULL`.
    public var description: String {
        let pairs = zip(columns, values).map { "\($0)=\($1 ?? "NULL")" }
        return "PostgresRow(\(pairs.joined(separator: ", ")))"
    }

    /// Whether the value at `index` is SQL NULL. Out-of-range indices also return `true`.
    public func isNull(at index: Int) -> Bool {
        guard values.indices.contains(index) else { return true }
        return values[index] == nil
    }

    /// Whether the value in the first column called `name` is SQL NULL.
    ///
    /// - Throws: ``PostgresError`` `.decoding` if there is no such column.
    public func isNull(column name: String) throws -> Bool {
        values[try index(of: name)] == nil
    }

    /// The raw text at `index`, or `nil` for NULL.
    ///
    /// - Throws: ``PostgresError`` `.decoding` for an out-of-range index.
    public func text(at index: Int) throws -> String? {
        try checkIndex(index)
        return values[index]
    }

    /// Decodes the value at `index` (0-based) as `T`.
    ///
    /// - Throws: ``PostgresError`` `.decoding` for an out-of-range index, NULL when `T` is not
    ///   optional, or text that is not a valid `T`.
    public func decode<T: PostgresDecodable>(_: T.Type, at index: Int) throws -> T {
        try decodeValue(T.self, at: index)
    }

    /// Decodes the value at `index` (0-based) as `T?`; SQL NULL gives `nil`.
    ///
    /// - Throws: ``PostgresError`` `.decoding` for an out-of-range index or text that is not a
    ///   valid `T`.
    public func decode<T: PostgresDecodable>(_: T?.Type, at index: Int) throws -> T? {
        try decodeValue(T?.self, at: index)
    }

    /// Decodes the value of the first column called `name` as `T`.
    ///
    /// - Throws: ``PostgresError`` `.decoding` for an unknown column, NULL when `T` is not
    ///   optional, or text that is not a valid `T`.
    public func decode<T: PostgresDecodable>(_: T.Type, column name: String) throws -> T {
        try decodeValue(T.self, at: try index(of: name))
    }

    /// Decodes the value of the first column called `name` as `T?`; SQL NULL gives `nil`.
    ///
    /// - Throws: ``PostgresError`` `.decoding` for an unknown column or text that is not a
    ///   valid `T`.
    public func decode<T: PostgresDecodable>(_: T?.Type, column name: String) throws -> T? {
        try decodeValue(T?.self, at: try index(of: name))
    }

    /// Single implementation behind every `decode` overload.
    private func decodeValue<T: PostgresDecodable>(_: T.Type, at index: Int) throws -> T {
        try checkIndex(index)
        do {
            guard let text = values[index] else { return try T.postgresNull() }
            return try T(postgresText: text)
        } catch let error as PostgresError {
            throw PostgresError.decoding("column \(index) (\(columns.indices.contains(index) ? columns[index] : "?")): \(error.message)")
        }
    }

    /// Decodes the whole row into a tuple, column `i` into the `i`-th element type, e.g.
    /// `row.decode((Int64, String, Date?).self)`.
    ///
    /// - Throws: ``PostgresError`` `.decoding` when the tuple's arity differs from the column
    ///   count, or any element fails to decode.
    public func decode<each T: PostgresDecodable>(_: (repeat each T).Type) throws -> (repeat each T) {
        var arity = 0
        for _ in repeat (each T).self { arity += 1 }
        guard arity == values.count else {
            throw PostgresError.decoding("row has \(values.count) columns but \(arity) types were requested")
        }
        var index = 0
        func next<U: PostgresDecodable>(_: U.Type) throws -> U {
            defer { index += 1 }
            return try decodeValue(U.self, at: index)
        }
        return (repeat try next((each T).self))
    }

    // MARK: - Private

    private func checkIndex(_ index: Int) throws {
        guard values.indices.contains(index) else {
            throw PostgresError.decoding("column index \(index) out of range (row has \(values.count) columns)")
        }
    }

    private func index(of name: String) throws -> Int {
        guard let index = columns.firstIndex(of: name) else {
            throw PostgresError.decoding("no column named '\(name)' (columns: \(columns.joined(separator: ", ")))")
        }
        return index
    }
}
