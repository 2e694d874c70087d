import ChanceryDomain
import ChanceryProjections
import ChancerySupervision
import Logging

/// The consumers that build the read models, as the server runs them (``ChanceryNode``), for rebuilding them from the
/// log (``JournalReplay``): the projector over every canonical topic and the supervisor over approval, disclosure and
/// interaction, with the same configuration.
public enum ReadModelConsumers {
    /// The projector and the supervisor with `policy`, `interactionLimits` and the topic names of `topics`.
    /// - Throws: ``RegionCalendars/bundled()`` errors.
    public static func live(policy: SupervisionPolicy = .standard, interactionLimits: InteractionLimits = .defaults,
                            topics: TopicNames = TopicNames(), logger: Logger) throws -> [ReplayConsumer] {
        let calendars = try RegionCalendars.bundled()
        let projector = ReadModelProjector(calendars: calendars, interactionLimits: interactionLimits, urgeLimit: policy.urgeLimit)
        let supervisor = Supervisor(calendars: calendars, policy: policy, interactionLimits: interactionLimits, topics: topics, logger: logger)
        return [
            ReplayConsumer(group: ReadModelProjector.consumerGroup, topics: topics.allCanonical, handler: projector),
            ReplayConsumer(group: Supervisor.consumerGroup, topics: Supervisor.topics(topics), handler: supervisor),
        ]
    }
}
