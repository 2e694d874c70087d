import ChanceryProjections
import Logging
import ServiceLifecycle

/// Runs an ``ExactlyOnceConsumer`` as a service: until graceful shutdown, restarting it (after a pause
/// that doubles up to 30 s) when it fails, so a PostgreSQL outage or a broker error never ends the process.
public struct ConsumerService: Service {
    let name: String
    let makeConsumer: @Sendable () -> ExactlyOnceConsumer
    let logger: Logger

    public init(name: String, logger: Logger, makeConsumer: @escaping @Sendable () -> ExactlyOnceConsumer) {
        self.name = name
        self.logger = logger
        self.makeConsumer = makeConsumer
    }

    public func run() async throws {
        var pause = Duration.milliseconds(500)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await makeConsumer().run()
                }
                return
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.error("\(name) failed; restarting from its stored offsets", metadata: ["error": "\(error)", "pause": "\(pause)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
            }
        }
    }
}
