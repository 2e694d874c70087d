import ArgumentParser
import Foundation

/// Reads the file an option names with `load`; nil when the option was not given.
/// - Throws: `ValidationError` naming the option, the path and what `load` threw (the tool prints it with the usage).
func loadOptionFile<T>(_ option: String, _ path: String?, _ load: (URL) throws -> T) throws -> T? {
    guard let path else { return nil }
    do {
        return try load(URL(fileURLWithPath: path))
    } catch {
        throw ValidationError("\(option) \(path): \(error)")
    }
}
