import ChanceryDomain

/// A synthetic workload of any size for benchmarks and chaos runs: a province of county-level governments, each with a
/// year shaped like Hengdong county's in the reference scenario (SCENARIO.md) — about 83,000 events: its item catalogue,
/// about 9,500 cases with every kind of step, supplement, special procedure, urge and rating, mailbox letters,
/// consultations, complaints, disclosure documents and requests, one of them challenged by reconsideration and a lawsuit —
/// so every event type a department publishes occurs, in the proportions of a real county. Each county has its own GB/T 2260 code, its own streams and its own content (the
/// generator's seed mixed with the code); the same seed gives the same events, byte for byte.
///
/// Counties come in the order of ``counties`` (real county-level divisions of Hunan, 湖南省); each county's events are in
/// time order, so each stream's events are in order. The list holds 35 counties: about 2.9 million events at most.
///
/// ```swift
/// let province = SyntheticProvince(seed: 7, counties: 12)
/// try province.forEachCounty { county, events in … }   // about 1,000,000 events in all
/// ```
public struct SyntheticProvince: Sendable {
    /// A county-level division: its GB/T 2260 code and name.
    public struct County: Sendable, Hashable {
        public var code: String
        public var name: String
    }

    /// County-level divisions of Hunan (GB/T 2260): Changsha 4301, Zhuzhou 4302, Xiangtan 4303 and Hengyang 4304.
    public static let counties: [County] = [
        ("430424", "衡东县"), ("430421", "衡阳县"), ("430422", "衡南县"), ("430423", "衡山县"), ("430426", "祁东县"), ("430481", "耒阳市"),
        ("430482", "常宁市"), ("430405", "珠晖区"), ("430406", "雁峰区"), ("430407", "石鼓区"), ("430408", "蒸湘区"), ("430412", "南岳区"),
        ("430102", "芙蓉区"), ("430103", "天心区"), ("430104", "岳麓区"), ("430105", "开福区"), ("430111", "雨花区"), ("430112", "望城区"),
        ("430121", "长沙县"), ("430181", "浏阳市"), ("430182", "宁乡市"), ("430202", "荷塘区"), ("430203", "芦淞区"), ("430204", "石峰区"),
        ("430211", "天元区"), ("430212", "渌口区"), ("430223", "攸县"), ("430224", "茶陵县"), ("430225", "炎陵县"), ("430281", "醴陵市"),
        ("430302", "雨湖区"), ("430304", "岳塘区"), ("430321", "湘潭县"), ("430381", "湘乡市"), ("430382", "韶山市"),
    ].map { County(code: $0.0, name: $0.1) }

    /// The seed: the same seed gives the same events.
    public var seed: UInt64
    /// How many counties (at most ``counties``.count).
    public var countyCount: Int

    /// - Precondition: `1 ≤ counties ≤ SyntheticProvince.counties.count`.
    public init(seed: UInt64, counties: Int) {
        precondition((1...Self.counties.count).contains(counties), "1 to \(Self.counties.count) counties")
        self.seed = seed
        self.countyCount = counties
    }

    /// The counties of this workload, in order.
    public var selectedCounties: ArraySlice<County> { Self.counties.prefix(countyCount) }

    /// The events of one county, in time order (items first at the same instant).
    public func events(of county: County) -> [CloudEvent] {
        var mixer = SplitMix64(seed: seed, stream: "province.\(county.code)")
        var sink = EventSink()
        let countySeed = mixer.next()
        HengdongGenerator(seed: countySeed, region: county.code).generate(into: &sink)
        // One request challenged by reconsideration and a lawsuit, as the reference scenario's city has.
        HengyangCityGenerator(seed: countySeed, region: county.code, number: "2025-C01").generate(into: &sink)
        return sink.sorted()
    }

    /// Calls `body` with each county's events in turn, so that only one county is held in memory.
    public func forEachCounty(_ body: (County, [CloudEvent]) throws -> Void) rethrows {
        for county in selectedCounties { try body(county, events(of: county)) }
    }

    /// The number of counties that give at least `events` events (each county gives about 83,000).
    public static func counties(forEvents events: Int) -> Int {
        min(counties.count, max(1, (events + 82_999) / 83_000))
    }
}
