/// Makes an asynchronous shutdown idempotent: the first caller performs it, every other
/// caller (concurrent or later) suspends until it has completed.
final class ShutdownGate: Sendable {
    private enum Phase {
        case open
        case closing([CheckedContinuation<Void, Never>])
        case closed
    }

    private let phase = Locked(Phase.open)

    /// `true` once a shutdown has started (or finished).
    var isClosing: Bool {
        self.phase.withLock { phase in
            if case .open = phase { return false }
            return true
        }
    }

    /// Runs `body` if this is the first call, otherwise waits until the first call's `body`
    /// has finished.
    func close(_ body: () async -> Void) async {
        let first = self.phase.withLock { phase -> Bool in
            if case .open = phase {
                phase = .closing([])
                return true
            }
            return false
        }
        if first {
            await body()
            let waiters = self.phase.withLock { phase -> [CheckedContinuation<Void, Never>] in
                defer { phase = .closed }
                if case .closing(let waiters) = phase { return waiters }
                return []
            }
            for waiter in waiters { waiter.resume() }
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = self.phase.withLock { phase -> Bool in
                switch phase {
                case .open, .closed:
                    return true
                case .closing(var waiters):
                    waiters.append(continuation)
                    phase = .closing(waiters)
                    return false
                }
            }
            if done { continuation.resume() }
        }
    }
}
