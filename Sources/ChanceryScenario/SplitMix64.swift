/// A small seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014) for the reference scenario.
///
/// The helpers below (`int(in:)`, `double()`, `chance(_:)`, `pick(_:)`) are written here rather than taken from the
/// standard library's `random(in:using:)`, whose algorithm may change between toolchains: the scenario must be
/// identical on every machine and Swift version, because its event ids are idempotency keys.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one part of the scenario, independent of the others, so that changing how one part draws
    /// numbers leaves the other parts unchanged.
    init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        var mixer = SplitMix64(seed: seed ^ h)
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    mutating func double() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range` (Lemire's multiply-high; the tiny bias is irrelevant here).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { double() < p }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

    /// An element chosen with the given relative weights (all ≥ 0, at least one > 0).
    mutating func pick<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var x = double() * total
        for (item, w) in items {
            if x < w { return item }
            x -= w
        }
        return items[items.count - 1].0
    }

    /// The array shuffled (Fisher–Yates with this generator).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, int(in: 0...i))
        }
        return a
    }
}
