import ChanceryGateway
import ChanceryPostgres
import ChanceryProjections

extension PostgresGatewayStore {
    /// The store of the read models that ``ReadModelProjector`` writes (its consumer group `chancery-projector`).
    /// - Parameter database: the pool of the read models' database.
    public init(database: PostgresClient) {
        self.init(database: database, projectorGroup: ReadModelProjector.consumerGroup)
    }
}
