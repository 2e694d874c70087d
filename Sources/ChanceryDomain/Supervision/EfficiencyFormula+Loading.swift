import Foundation

extension EfficiencyFormula {
    /// Reads a formula file: ``EfficiencyFormula``'s members as JSON, every one optional (the defaults fill in).
    ///
    /// - Throws: ``ConfigurationError/unreadable(path:reason:)`` or ``ConfigurationError/malformed(_:)`` naming the file.
    public static func load(contentsOf url: URL) throws(ConfigurationError) -> EfficiencyFormula {
        let data = try ConfigurationError.read(url)
        do {
            return try JSONDecoder().decode(EfficiencyFormula.self, from: data)
        } catch {
            throw .malformed("\(url.lastPathComponent): \(error)")
        }
    }
}
