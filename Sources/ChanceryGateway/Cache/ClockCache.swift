/// A map that forgets its least recently used entries once it holds more than a capacity: the CLOCK algorithm
/// (Corbató, "A paging experiment with the Multics system", 1968), the second-chance approximation of LRU that
/// operating systems and PostgreSQL's buffer manager use. A hit only sets the entry's reference bit; ``evict(downTo:where:)``
/// sweeps a hand over the entries, clearing set bits (a second chance) and removing entries whose bit is clear.
///
/// Eviction asks the caller, per entry, whether the entry may go: the gateway keeps what its store cannot answer yet
/// however full the cache is (the cache then holds more than its capacity until the store catches up).
///
/// Not thread-safe: a value type, owned by one actor.
struct ClockCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var key: Key
        var value: Value
        var referenced: Bool
    }

    /// Slot of every key held.
    private var index: [Key: Int] = [:]
    /// Entries in the order the hand visits them; nil: free (its number is in ``free``).
    private var slots: [Slot?] = []
    private var free: [Int] = []
    private var hand = 0

    /// How many entries ``evict(downTo:where:)`` is usually asked to keep; the cache never evicts by itself.
    let capacity: Int

    /// - Parameter capacity: the number of entries to keep (at least 1; smaller values are read as 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The number of entries held (may exceed ``capacity`` until the next ``evict(downTo:where:)``).
    var count: Int { index.count }

    /// Whether `key` is held, without counting as a use.
    func contains(_ key: Key) -> Bool { index[key] != nil }

    /// The value of `key` without counting as a use, or nil.
    func peek(_ key: Key) -> Value? {
        index[key].map { slots[$0]!.value }
    }

    /// The value of `key`, counting as a use (it survives the next sweep), or nil.
    mutating func value(forKey key: Key) -> Value? {
        guard let i = index[key] else { return nil }
        slots[i]!.referenced = true
        return slots[i]!.value
    }

    /// Stores `value` under `key` (a use), replacing any value held.
    mutating func set(_ value: Value, forKey key: Key) {
        if let i = index[key] {
            slots[i]!.value = value
            slots[i]!.referenced = true
            return
        }
        let slot = Slot(key: key, value: value, referenced: true)
        if let i = free.popLast() {
            slots[i] = slot
            index[key] = i
        } else {
            index[key] = slots.count
            slots.append(slot)
        }
    }

    /// Removes the entries the hand finds unused since its last pass and that `evictable` allows, until at most
    /// `target` entries remain or the hand has gone twice around (every entry had its second chance and what is
    /// left is not evictable).
    /// - Returns: the number of entries removed.
    @discardableResult
    mutating func evict(downTo target: Int, where evictable: (Key, Value) -> Bool) -> Int {
        var removed = 0
        var steps = 0
        let limit = 2 * slots.count
        while index.count > target && steps < limit {
            if hand >= slots.count { hand = 0 }
            if let slot = slots[hand] {
                if slot.referenced {
                    slots[hand]!.referenced = false
                } else if evictable(slot.key, slot.value) {
                    index[slot.key] = nil
                    slots[hand] = nil
                    free.append(hand)
                    removed += 1
                }
            }
            hand += 1
            steps += 1
        }
        compactIfSparse()
        return removed
    }

    /// Rebuilds the slot array when more than half of it is free, so that a cache that once held many entries
    /// (while its store lagged) gives the memory back.
    private mutating func compactIfSparse() {
        guard slots.count > 64, free.count * 2 > slots.count else { return }
        var packed: [Slot?] = []
        packed.reserveCapacity(index.count)
        var newIndex: [Key: Int] = [:]
        newIndex.reserveCapacity(index.count)
        for case let slot? in slots {
            newIndex[slot.key] = packed.count
            packed.append(slot)
        }
        slots = packed
        index = newIndex
        free = []
        hand = 0
    }
}
