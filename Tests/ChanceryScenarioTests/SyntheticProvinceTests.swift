import ChanceryDomain
import ChanceryScenario
import Foundation
import Testing

/// `chancery generate`'s workload (SyntheticProvince): deterministic, every type a department publishes, each county its
/// own streams, and events the gateway's rules accept.
@Suite("Synthetic province")
struct SyntheticProvinceTests {
    static let province = SyntheticProvince(seed: 7, counties: 2)
    static let counties = Array(province.selectedCounties)
    static let second = province.events(of: counties[1])

    @Test("The same seed gives the same events byte for byte; another seed other content under the same ids")
    func deterministic() {
        let again = SyntheticProvince(seed: 7, counties: 2).events(of: Self.counties[1])
        #expect(again.map { $0.jsonBytes() } == Self.second.map { $0.jsonBytes() })
        let other = SyntheticProvince(seed: 8, counties: 2).events(of: Self.counties[1])
        #expect(other.map(\.id).prefix(100) == Self.second.map(\.id).prefix(100))
        #expect(other.map { $0.jsonBytes() } != Self.second.map { $0.jsonBytes() })
    }

    @Test("A county holds every event type a department publishes, under its own code and only there")
    func everyTypeUnderItsOwnCode() {
        let county = Self.counties[1]
        let published = Set(EventCatalog.all.map(\.type).filter { !$0.hasPrefix("gov.supervision.") })
        #expect(Set(Self.second.map(\.type)) == published)
        #expect(Self.second.allSatisfy { $0.region == county.code && $0.subject.contains("/\(county.code)/") })
        #expect((75_000...95_000).contains(Self.second.count), "about 83,000 events a county, got \(Self.second.count)")
        #expect(Self.counties[0].code != county.code)
    }

    @Test("A county's events follow the lifecycle and catalog rules in the order generated")
    func followsTheRules() {
        let violations = lifecycleViolations(Self.second)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("Counties for a number of events: about 83,000 each, at least one, at most the list")
    func countiesForEvents() {
        #expect(SyntheticProvince.counties(forEvents: 1) == 1)
        #expect(SyntheticProvince.counties(forEvents: 1_000_000) == 13)
        #expect(SyntheticProvince.counties(forEvents: 100_000_000) == SyntheticProvince.counties.count)
        #expect(Set(SyntheticProvince.counties.map(\.code)).count == SyntheticProvince.counties.count)
    }
}
