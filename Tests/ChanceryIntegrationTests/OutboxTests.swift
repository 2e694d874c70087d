import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import ChanceryRuntime
import ChanceryServer
import Foundation
import Logging
import Testing

/// The consumers' transactional outbox: derived events are stored with the batch and published after it; a
/// publisher that fails loses nothing.
@Suite("Outbox", .serialized, .timeLimit(.minutes(2)))
struct OutboxTests {
    struct Unavailable: Error {}

    final class Recorder: EventPublisher, @unchecked Sendable {
        private let lock = NSLock()
        private var failing: Bool
        private var published: [String] = []
        init(failing: Bool) { self.failing = failing }
        func publish(_ events: [CloudEvent]) async throws {
            try lock.withLock {
                if failing { throw Unavailable() }
                published += events.map(\.id)
            }
        }
        func recover() { lock.withLock { failing = false } }
        var ids: [String] { lock.withLock { published } }
    }

    @Test("events wait in the outbox while the publisher fails and are published in order, once, when it recovers")
    func waitsThenPublishesInOrder() async throws {
        let db = try await TestDatabase.create()
        let client = PostgresClient(url: db.url, maxConnections: 2, logger: Logger(label: "test"))
        do {
            _ = try await DatabaseMigrations.migrate(client)
            let events = try ["O-1", "O-2", "O-3"].map { try EventValidator.validate(Events.submitted($0)) }
            try await client.transaction { try await Outbox.enqueue(events, group: "g", on: $0) }
            // Another group's events are not this group's to publish.
            try await client.transaction { try await Outbox.enqueue([events[0]], group: "other", on: $0) }
            let publisher = Recorder(failing: true)
            await #expect(throws: Unavailable.self) { try await Outbox.flush(group: "g", database: client, publisher: publisher) }
            #expect(try await client.query("SELECT count(*) FROM projection.outbox WHERE consumer_group = 'g'")[0].decode(Int64.self, at: 0) == 3)
            publisher.recover()
            #expect(try await Outbox.flush(group: "g", database: client, publisher: publisher, chunk: 2) == 3)
            #expect(publisher.ids == ["O-1-1", "O-2-1", "O-3-1"])
            #expect(try await Outbox.flush(group: "g", database: client, publisher: publisher) == 0)
            #expect(try await client.query("SELECT count(*) FROM projection.outbox")[0].decode(Int64.self, at: 0) == 1)
        } catch {
            await client.shutdown()
            await db.drop()
            throw error
        }
        await client.shutdown()
        await db.drop()
    }

    @Test("an outbox write rolls back with its batch")
    func rollsBackWithTheBatch() async throws {
        let db = try await TestDatabase.create()
        let client = PostgresClient(url: db.url, maxConnections: 2, logger: Logger(label: "test"))
        do {
            _ = try await DatabaseMigrations.migrate(client)
            let event = try EventValidator.validate(Events.submitted("O-4"))
            await #expect(throws: Unavailable.self) {
                try await client.transaction { connection in
                    try await Outbox.enqueue([event], group: "g", on: connection)
                    throw Unavailable()
                }
            }
            #expect(try await client.query("SELECT count(*) FROM projection.outbox")[0].decode(Int64.self, at: 0) == 0)
        } catch {
            await client.shutdown()
            await db.drop()
            throw error
        }
        await client.shutdown()
        await db.drop()
    }
}
