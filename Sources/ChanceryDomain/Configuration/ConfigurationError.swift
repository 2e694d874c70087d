import Foundation

/// Why a supervision configuration file (``InteractionLimits``, ``SupervisionPolicy``) could
/// not be had.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not of the documented shape, or a value is out of range; the text says where.
    case malformed(String)
    /// The configured file could not be read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed configuration: \(reason)"
        case .unreadable(let path, let reason): "cannot read configuration \(path): \(reason)"
        }
    }

    /// The bytes of `url`.
    /// - Throws: ``unreadable(path:reason:)``.
    static func read(_ url: URL) throws(ConfigurationError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
    }

    /// `T` decoded from JSON `data`.
    /// - Throws: ``malformed(_:)`` naming `origin`.
    static func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, origin: String) throws(ConfigurationError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw .malformed("\(origin): \(error)")
        }
    }
}
