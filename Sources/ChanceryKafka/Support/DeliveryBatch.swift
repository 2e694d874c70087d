/// Collects the delivery reports of one ``KafkaProducer/send(_:)`` call and resumes the
/// caller once every enqueued record has its report.
final class DeliveryBatch: Sendable {
    private struct State {
        var reports: [KafkaDeliveryReport?]
        var errors: [Int: KafkaError] = [:]
        var pending = 0
        var sealed = false
        var finished = false
        var continuation: CheckedContinuation<[KafkaDeliveryReport], any Error>?
    }

    private let state: Locked<State>

    init(count: Int) {
        self.state = Locked(State(reports: Array(repeating: nil, count: count)))
    }

    /// Call before handing record `index` to librdkafka.
    func willEnqueue() {
        self.state.withLock { $0.pending += 1 }
    }

    /// The record at `index` was refused by `rd_kafka_produceva`; no report will come.
    func didNotEnqueue() {
        self.state.withLock { $0.pending -= 1 }
    }

    /// Records a delivery report (from librdkafka's delivery report callback).
    func deliver(index: Int, _ result: Result<KafkaDeliveryReport, KafkaError>) {
        let resume = self.state.withLock { state -> (() -> Void)? in
            guard !state.finished else { return nil }
            switch result {
            case .success(let report): state.reports[index] = report
            case .failure(let error): state.errors[index] = error
            }
            state.pending -= 1
            return Self.finishIfDone(&state)
        }
        resume?()
    }

    /// Waits for all reports of the records enqueued so far (no more will be enqueued).
    /// - Throws: the delivery error of the lowest-indexed failed record, or the error passed
    ///   to ``fail(_:)``.
    func wait() async throws -> [KafkaDeliveryReport] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[KafkaDeliveryReport], any Error>) in
            let resume = self.state.withLock { state -> (() -> Void)? in
                state.sealed = true
                state.continuation = continuation
                return Self.finishIfDone(&state)
            }
            resume?()
        }
    }

    /// Ends the wait with `error` regardless of outstanding reports (used when the producer is
    /// destroyed with records whose reports can no longer come).
    func fail(_ error: KafkaError) {
        let resume = self.state.withLock { state -> (() -> Void)? in
            guard !state.finished else { return nil }
            if state.errors.isEmpty { state.errors[Int.max] = error }
            state.pending = 0
            return Self.finishIfDone(&state)
        }
        resume?()
    }

    private static func finishIfDone(_ state: inout State) -> (() -> Void)? {
        guard state.sealed, state.pending <= 0, !state.finished, let continuation = state.continuation else { return nil }
        state.finished = true
        state.continuation = nil
        if let firstError = state.errors.min(by: { $0.key < $1.key })?.value {
            return { continuation.resume(throwing: firstError) }
        }
        let reports = state.reports.compactMap { $0 }
        return { continuation.resume(returning: reports) }
    }
}
