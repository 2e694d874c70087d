import Foundation

/// `value` as compact JSON text, for `jsonb` parameters (the projections and the supervisor keep their clocks so).
/// - Throws: the `EncodingError` of `JSONEncoder` (never for the domain's clocks).
package func jsonText<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
}
