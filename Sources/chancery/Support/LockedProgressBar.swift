import Foundation

/// A ``ProgressBar`` behind a lock, for progress reported from `@Sendable` callbacks (restore, export).
final class LockedProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let bar: ProgressBar

    init(title: String, total: Int) { bar = ProgressBar(title: title, total: total) }

    /// Shows `done` of the total (`total`, when it is known only now), with `detail` (a rate, say) after the counts.
    func set(_ done: Int, of total: Int? = nil, detail: String) {
        lock.lock()
        defer { lock.unlock() }
        if let total { bar.total = total }
        bar.detail = detail
        bar.update(done)
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar.finish()
    }
}
