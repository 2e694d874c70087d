import Logging
import ServiceLifecycle

/// Runs a consumer loop (an ``ExactlyOnceConsumer`` or the inbound door) as a service: until graceful
/// shutdown, restarting it (after a pause that doubles up to 30 s) when it fails, so a PostgreSQL outage
/// or a broker error never ends the process.
public struct ConsumerService: Service {
    let name: String
    let body: @Sendable () async throws -> Void
    let logger: Logger
    let status: ConsumerStatus?

    /// - Parameter status: where failures and restarts are counted (for `/health` and `/metrics`).
    public init(name: String, logger: Logger, status: ConsumerStatus? = nil, makeConsumer: @escaping @Sendable () -> ExactlyOnceConsumer) {
        self.init(name: name, logger: logger, status: status, run: { try await makeConsumer().run() })
    }

    /// - Parameters:
    ///   - run: one life of the consumer; it returns on cancellation and throws on failure.
    ///   - status: where failures and restarts are counted.
    public init(name: String, logger: Logger, status: ConsumerStatus? = nil, run: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.logger = logger
        self.status = status
        self.body = run
    }

    public func run() async throws {
        var pause = Duration.milliseconds(500)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await body()
                }
                return
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                status?.failed(error)
                logger.error("\(name) failed; restarting from its stored offsets", metadata: ["error": "\(error)", "pause": "\(pause)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
            }
        }
    }
}
