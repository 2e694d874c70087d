import Foundation

/// `value` as compact JSON text, for the `jsonb` columns where the projections keep their clocks.
/// - Throws: the `EncodingError` of `JSONEncoder` (never for the domain's clocks).
package func jsonText<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
}
