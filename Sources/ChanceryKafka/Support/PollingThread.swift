import Foundation

/// A dedicated Foundation `Thread` that calls `pollOnce` in a loop until ``stop()``.
///
/// Blocking librdkafka polls (`rd_kafka_poll` with a timeout) run here so that they never
/// occupy a thread of Swift's cooperative pool. `pollOnce` is expected to block for a bounded
/// time (e.g. 100 ms) so that a stop request is noticed promptly. After the stop request is
/// seen (``stop()`` also calls `wake` to cut the current poll short), `finalPoll` runs once (to serve what is left), then the thread exits.
final class PollingThread: Sendable {
    private struct State {
        var stopRequested = false
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())
    private let wake: @Sendable () -> Void

    /// - Parameter wake: interrupts a `pollOnce` in progress (e.g. `rd_kafka_yield`).
    init(
        name: String,
        pollOnce: @escaping @Sendable () -> Void,
        finalPoll: @escaping @Sendable () -> Void,
        wake: @escaping @Sendable () -> Void
    ) {
        self.wake = wake
        let state = self.state
        let thread = Thread {
            while !state.withLock({ $0.stopRequested }) {
                pollOnce()
            }
            finalPoll()
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.finished = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = name
        thread.start()
    }

    /// Asks the thread to stop and suspends (without blocking a thread) until it has exited.
    /// Idempotent: later and concurrent calls also return once the thread has exited.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyFinished = self.state.withLock { state -> Bool in
                state.stopRequested = true
                if state.finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if alreadyFinished {
                continuation.resume()
            } else {
                self.wake()
            }
        }
    }
}
