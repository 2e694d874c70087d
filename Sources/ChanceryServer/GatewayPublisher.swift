import ChanceryDomain
import ChanceryGateway
import ChanceryRuntime
import Logging

/// The in-process ``EventPublisher``: appends a consumer's derived events (the supervisor's alerts) through the
/// gateway of this process. One refused event does not hold back the others: when a group is refused, each event
/// is appended on its own and the refused ones are logged and dropped (the gateway refuses an alert only when it
/// breaks a rule, which no retry mends).
public struct GatewayPublisher: EventPublisher {
    let appender: any EventAppender
    let logger: Logger

    public init(appender: any EventAppender, logger: Logger) {
        self.appender = appender
        self.logger = logger
    }

    /// - Throws: ``ConsumerFailure/transient(_:)`` when the gateway is unavailable (nothing is lost: the events stay
    ///   in the outbox).
    public func publish(_ events: [CloudEvent]) async throws {
        guard !events.isEmpty else { return }
        do {
            do {
                _ = try await appender.append(events.map { SubmittedEvent(event: $0) })
            } catch AppendFailure.rejected {
                for event in events {
                    do { _ = try await appender.append([SubmittedEvent(event: event)]) } catch AppendFailure.rejected(_, let why) {
                        logger.error("derived event refused by the gateway", metadata: ["id": "\(event.id)", "reason": "\(why)"])
                    }
                }
            }
        } catch AppendFailure.unavailable(let why) {
            throw ConsumerFailure.transient("the gateway could not append derived events: \(why)")
        }
        let counts = Dictionary(grouping: events, by: { EventCatalog.eventType($0.type)?.name ?? $0.type }).mapValues(\.count)
        logger.info("derived events appended", metadata: counts.mapValues { "\($0)" })
    }
}
