import Foundation

/// A value guarded by an `NSLock`.
///
/// Used for the small pieces of mutable state that the Kafka clients share between the
/// caller's task, librdkafka's callback threads and the clients' own threads. Critical
/// sections are short and never call blocking librdkafka functions.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.value)
    }
}
