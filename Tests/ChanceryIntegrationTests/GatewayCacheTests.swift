import ChanceryDomain
@testable import ChanceryGateway
import ChanceryPostgres
import ChanceryServer
import Testing

/// README, "Performance", P6: the gateway keeps a bounded number of stream heads and idempotency records in memory,
/// forgets only what the projector has stored, and reads what it forgot back from PostgreSQL with the same answers.
@Suite("Gateway caches", .serialized, .timeLimit(.minutes(3)))
struct GatewayCacheTests {
    static func submitted(_ json: JSONValue, expected: ExpectedVersion = .any) -> SubmittedEvent {
        SubmittedEvent(event: try! EventValidator.validate(json), expected: expected)
    }

    /// The code of the refusal `error`, or nil when it is not a refusal.
    static func refusalCode(_ error: any Error) -> String? {
        guard case AppendFailure.rejected(_, let rejection) = error else { return nil }
        return rejection.code
    }

    @Test("a retried event and a continued stream get their first answers and the right sequence after the gateway forgot them")
    func forgottenEntriesComeBackFromTheStore() async throws {
        try await TestCluster.with(configure: { $0.gatewayCache = GatewayCacheCapacity(streams: 2, events: 2) }) { cluster in
            let gateway = cluster.gateway
            var firstAnswers: [String: AppendedEvent] = [:]
            for n in ["K-1", "K-2", "K-3", "K-4"] {
                let result = try await gateway.append([Events.submitted(n), Events.accepted(n)].map { Self.submitted($0) })
                firstAnswers[n] = result.events[0]
            }
            // Nothing is projected yet: the gateway forgets nothing, whatever its capacity (3 items + 4 cases, 11 events).
            let unprojected = await gateway.cachedEntries
            #expect(unprojected.streams == 7)
            #expect(unprojected.events == 11)

            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events", equals: 11)
            }
            // The next group lets the gateway forget what the projector stored, down to its capacity.
            _ = try await gateway.append([Events.submitted("K-5"), Events.accepted("K-5")].map { Self.submitted($0) })
            let trimmed = await gateway.cachedEntries
            #expect(trimmed.streams == 2)
            #expect(trimmed.events == 2)

            // A retried event whose answer was forgotten: the first answer (position, sequence, hash, offset), nothing appended.
            let again = try await gateway.append([Self.submitted(Events.submitted("K-1")), Self.submitted(Events.submitted("K-2"))])
            #expect(again.replayed)
            #expect(again.events == [firstAnswers["K-1"]!, firstAnswers["K-2"]!])
            // The same id with other content is still refused.
            do {
                _ = try await gateway.append([Self.submitted(Events.setting(Events.submitted("K-3"), "time", "2025-03-03T09:30:00+08:00"))])
                Issue.record("the same id with other content was appended")
            } catch {
                #expect(Self.refusalCode(error) == "duplicate-id-conflict")
            }
            // A stream whose head was forgotten continues at the next sequence, with its lifecycle state.
            let step = try await gateway.append([Self.submitted(Events.step("K-2", id: "K-2-s"))])
            #expect(step.events.map(\.sequence) == [3])
            do {
                _ = try await gateway.append([Self.submitted(Events.accepted("K-3", id: "K-3-again"))])
                Issue.record("a case accepted twice was appended")
            } catch {
                #expect(Self.refusalCode(error) != nil)
            }

            // Concurrent requests on a forgotten head: of those expecting version 2 exactly one wins; the others get a
            // version conflict; requests without expectation get contiguous sequences.
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<4 {
                    group.addTask {
                        do {
                            let r = try await gateway.append([Self.submitted(Events.step("K-4", id: "K-4-s\(i)"), expected: .exact(2))])
                            return "appended \(r.events[0].sequence)"
                        } catch {
                            return Self.refusalCode(error) ?? "\(error)"
                        }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all.sorted()
            }
            #expect(outcomes == ["appended 3", "version-conflict", "version-conflict", "version-conflict"])
            let sequences = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<4 {
                    group.addTask { try await gateway.append([Self.submitted(Events.step("K-1", id: "K-1-s\(i)"))]).events[0].sequence }
                }
                var all: [Int64] = []
                for try await s in group { all.append(s) }
                return all.sorted()
            }
            #expect(sequences == [3, 4, 5, 6])

            // The hash chains continue unbroken: the projector applies all 16 case events and quarantines none.
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE subject LIKE 'case/%'", equals: 16)
            }
            let database = cluster.node.database
            #expect(try await database.query("SELECT count(*) FROM audit.quarantine")[0].decode(Int64.self, at: 0) == 0)
            let links = try await database.query(
                """
                SELECT count(*) FROM audit.events e JOIN audit.events p ON p.subject = e.subject AND p.sequence = e.sequence - 1
                WHERE e.subject LIKE 'case/%' AND e.prevhash = p.hash
                """)
            #expect(try links[0].decode(Int64.self, at: 0) == 16 - 5)
        }
    }
}

/// ``ClockCache``: the second-chance approximation of LRU that bounds the gateway's caches.
@Suite("Clock cache")
struct ClockCacheTests {
    @Test("of entries used equally the oldest goes first; an entry used since the last sweep survives it")
    func secondChance() {
        var cache = ClockCache<String, Int>(capacity: 2)
        cache.set(1, forKey: "a")
        cache.set(2, forKey: "b")
        cache.set(3, forKey: "c")
        let first = cache.evict(downTo: 2) { _, _ in true }
        #expect(first == 1)
        #expect(!cache.contains("a"))
        let b = cache.value(forKey: "b")
        #expect(b == 2)
        cache.set(4, forKey: "d")
        let second = cache.evict(downTo: 2) { _, _ in true }
        #expect(second == 1)
        #expect(cache.contains("b"))
        #expect(!cache.contains("c"))
        #expect(cache.contains("d"))
        #expect(cache.count == 2)
    }

    @Test("an entry the caller may not evict stays, above the capacity if need be")
    func keepsWhatMayNotGo() {
        var cache = ClockCache<String, Int>(capacity: 1)
        for (i, key) in ["a", "b", "c"].enumerated() { cache.set(i, forKey: key) }
        let removed = cache.evict(downTo: 1) { key, _ in key == "c" }
        #expect(removed == 1)
        #expect(cache.count == 2)
        #expect(cache.contains("a") && cache.contains("b"))
        let none = cache.evict(downTo: 1) { _, _ in false }
        #expect(none == 0)
        #expect(cache.count == 2)
    }

    @Test("replacing a value keeps one entry; a cache that shrank keeps every remaining value under its key")
    func replaceAndCompact() {
        var cache = ClockCache<Int, String>(capacity: 10)
        cache.set("one", forKey: 1)
        cache.set("uno", forKey: 1)
        let replaced = cache.value(forKey: 1)
        #expect(cache.count == 1)
        #expect(replaced == "uno")
        for i in 2...300 { cache.set("v\(i)", forKey: i) }
        let removed = cache.evict(downTo: 10) { key, _ in key != 150 }
        #expect(removed == 290)
        #expect(cache.count == 10)
        let kept = cache.value(forKey: 150)
        #expect(kept == "v150")
        for i in 301...320 { cache.set("v\(i)", forKey: i) }
        let newest = cache.value(forKey: 320)
        let oldest = cache.value(forKey: 150)
        #expect(cache.count == 30)
        #expect(newest == "v320")
        #expect(oldest == "v150")
    }
}
