import ChanceryDomain

/// The reference scenario (SCENARIO.md): the year 2025 of two Hengyang districts as the CloudEvents their
/// departments publish, generated deterministically from a seed.
///
/// - Zhuhui district (珠晖区, 430405): 29 departments obliged to disclose, 471 documents published and reported to the
///   city portal's direct reporting system by category, the item catalogue clean-up (66 items confirmed by their
///   departments between 19 October and 13 November) and one disclosure request.
/// - Hengdong county (衡东县, 430424): 313 items of 40 approval units and a year of cases — 9,541 accepted and 7,766
///   concluded from January to October — with refusals at intake, supplements and special procedures (hearing,
///   expert review, inspection, public notice, extension) across the Spring Festival and National Day, cases
///   concluded early, on time and late, immediate cases concluded the day they are accepted, reported-upward cases
///   sent to the city and returned, late cases urged, withdrawn cases, deliveries, and ratings — mostly good, the
///   bad ones rectified. A few items are revised and confirmed again, one is retired after its last case. The mailbox
///   letters (accepted, transferred, returned, escalated, urged, extended, replied), consultations and complaints
///   (all answered in time), documents reviewed, published, reported, revised and withdrawn, and disclosure requests
///   with a correction, a third party consulted and an extension.
/// - Hengyang city (衡阳市, 430400): one disclosure request answered by withholding, challenged by reconsideration and
///   then a lawsuit — the districts' figures allow neither (see ``HengyangCityGenerator``).
///
/// Every event type of the catalog occurs at least once except those of `gov.supervision` (DeadlineWarningRaised,
/// DeadlineBreached, IrregularityFlagged, AlertResolved): alerts are raised by Chancery's supervisor from these
/// events, never by a department. For the supervisor's irregularities the scenario holds a few promised cases decided
/// without a review step (StepCompleted `review`); a refusal without a reason cannot be published (CaseRefused
/// requires `reason`).
///
/// The events carry the publisher's attributes only (`id`, `source`, `type`, `subject`, `time`, `region`,
/// `dataschema`, `data`); the gateway assigns `sequence` and the hashes. Event ids are `<subject>#<n>` (the n-th event
/// of the stream), so generating again with the same seed yields identical events and re-sending them appends nothing.
/// A different seed yields different content under the same ids: use one seed per event store.
///
/// ```swift
/// let events = ReferenceScenario().events()   // sorted by time, catalogue items first
/// let figures = ReferenceScenario.expectedFigures
/// ```
public struct ReferenceScenario: Sendable {
    /// The seed of `chancery demo`.
    public static let defaultSeed: UInt64 = 20_251_231

    /// Hengyang city (衡阳市), whose portal receives the direct reports.
    public static let cityRegion = "430400"
    /// Zhuhui district (珠晖区).
    public static let zhuhuiRegion = "430405"
    /// Hengdong county (衡东县).
    public static let hengdongRegion = "430424"
    /// `reportedTo` of every `gov.disclosure.document.reported`: the city portal's direct reporting system (直报系统).
    public static let cityDirectReportingSystem = "/430400/portal/direct-reporting"

    /// The seed of this scenario.
    public var seed: UInt64

    public init(seed: UInt64 = ReferenceScenario.defaultSeed) {
        self.seed = seed
    }

    /// The published figures that the generated events reproduce exactly.
    public static let expectedFigures = ReferenceFigures(
        zhuhui: .init(
            region: zhuhuiRegion,
            disclosingDepartments: 29,
            documentsReported: 471,
            documentsByCategory: [
                "overview": 70, "notices": 32, "work-updates": 264, "normative-documents": 13, "plans": 27,
                "business-work": 30, "major-construction": 1, "fiscal-information": 7, "emergency-management": 2,
                "statistics": 7, "personnel": 10, "other": 8,
            ],
            reportedTo: cityDirectReportingSystem,
            items: 66,
            licensingItems: 59,
            nonLicensingApprovalItems: 7,
            reportedUpwardItems: 16,
            jointItems: 1,
            itemConfirmationPeriod: CivilDate(year: 2025, month: 10, day: 19)...CivilDate(year: 2025, month: 11, day: 13),
            disclosureRequests: 1,
            disclosureRequestsDisclosed: 1
        ),
        hengdong: .init(
            region: hengdongRegion,
            items: 313,
            departments: 40,
            period: CivilDate(year: 2025, month: 1, day: 1)...CivilDate(year: 2025, month: 10, day: 31),
            casesAccepted: 9_541,
            casesConcluded: 7_766,
            repliesInTime: 1.0,
            minimumSatisfaction: 0.8
        )
    )

    /// The scenario's events, sorted by time (catalogue items before anything else at the same instant), so that each
    /// stream's events are in order and every item is registered before its first case.
    public func events() -> [CloudEvent] {
        var sink = EventSink()
        ZhuhuiGenerator(seed: seed).generate(into: &sink)
        HengdongGenerator(seed: seed).generate(into: &sink)
        HengyangCityGenerator(seed: seed).generate(into: &sink)
        return sink.sorted()
    }

    /// The events of the scenario with `seed` (see ``events()``).
    public static func events(seed: UInt64 = defaultSeed) -> [CloudEvent] {
        ReferenceScenario(seed: seed).events()
    }
}

/// The figures of the two year-end work reports (SCENARIO.md) that the reference scenario reproduces.
public struct ReferenceFigures: Sendable, Hashable {
    /// Zhuhui district: disclosure and the item catalogue clean-up.
    public struct Zhuhui: Sendable, Hashable {
        public var region: String
        /// Departments obliged to disclose: the distinct `departmentCode`s of the published documents.
        public var disclosingDepartments: Int
        /// Documents reported to the city portal's direct reporting system during the year.
        public var documentsReported: Int
        /// Reported documents by category (codes of ``EventCatalog/disclosureCategories``).
        public var documentsByCategory: [String: Int]
        /// The `reportedTo` of the reports.
        public var reportedTo: String
        /// Items registered and confirmed by their departments.
        public var items: Int
        public var licensingItems: Int
        public var nonLicensingApprovalItems: Int
        /// Items whose case type is `reported-upward` (上报件).
        public var reportedUpwardItems: Int
        /// Items whose case type is `joint` (联办件).
        public var jointItems: Int
        /// Business dates of the confirmations: first and last.
        public var itemConfirmationPeriod: ClosedRange<CivilDate>
        public var disclosureRequests: Int
        /// Requests answered with outcome `disclosed`.
        public var disclosureRequestsDisclosed: Int
    }

    /// Hengdong county: the item catalogue and the approval cases.
    public struct Hengdong: Sendable, Hashable {
        public var region: String
        /// Items registered and confirmed.
        public var items: Int
        /// Approval units owning those items.
        public var departments: Int
        /// January–October 2025 (business dates in Asia/Shanghai).
        public var period: ClosedRange<CivilDate>
        /// `gov.approval.case.accepted` events dated in ``period``.
        public var casesAccepted: Int
        /// `gov.approval.case.concluded` events dated in ``period``.
        public var casesConcluded: Int
        /// Target for consultations and complaints: the share answered within their `replyLimit` (100%).
        public var repliesInTime: Double
        /// Target for ratings (好差评): the least share of satisfied ratings — `satisfactionCode` 1 to 3, very satisfied,
        /// satisfied, basically satisfied — among all ratings (80%).
        public var minimumSatisfaction: Double
    }

    public var zhuhui: Zhuhui
    public var hengdong: Hengdong
}

// MARK: - Event assembly

/// A local time in Asia/Shanghai (UTC+8, no daylight saving since 1991).
struct LocalTime: Comparable {
    var date: CivilDate
    /// Seconds since local midnight.
    var second: Int

    var key: Int { date.daysSinceEpoch * 86_400 + second }

    static func < (a: LocalTime, b: LocalTime) -> Bool { a.key < b.key }

    /// RFC 3339 with the +08:00 offset, e.g. `2025-03-04T09:17:23+08:00`.
    var rfc3339: String {
        func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(date)T\(pad2(second / 3600)):\(pad2(second % 3600 / 60)):\(pad2(second % 60))+08:00"
    }
}

/// Collects the events of the generated streams and sorts them.
struct EventSink {
    private struct Pending {
        var key: Int
        var rank: Int
        var ordinal: Int
        var event: CloudEvent
    }

    private var pending: [Pending] = []

    init() { pending.reserveCapacity(80_000) }

    /// Appends one stream's events, which must be strictly increasing in time; ids are `<subject>#<n>`.
    mutating func append(subject: String, source: String, region: String, events: [(LocalTime, String, JSONValue)]) {
        let rank = subject.hasPrefix("item/") ? 0 : 1
        var previous: LocalTime?
        for (i, (time, type, data)) in events.enumerated() {
            if let previous { precondition(previous < time, "events of \(subject) must be strictly increasing in time: \(events.map { $0.0.rfc3339 + " " + $0.1 })") }
            previous = time
            guard let eventType = EventCatalog.eventType(type) else { preconditionFailure("unknown event type \(type)") }
            let event = CloudEvent(
                id: "\(subject)#\(i + 1)", source: source, type: type, subject: subject, time: time.rfc3339,
                // The 2025 history was published by systems that speak version 1 of every type; consumers read
                // it through the upcasters (CaseAccepted v1 → v2), as they would read a real year-old log.
                region: region, data: data, dataschema: eventType.dataschema(version: 1)
            )
            pending.append(Pending(key: time.key, rank: rank, ordinal: i + 1, event: event))
        }
    }

    /// By time; at the same instant items first, then by subject and position in the stream.
    func sorted() -> [CloudEvent] {
        pending.sorted { a, b in
            if a.key != b.key { return a.key < b.key }
            if a.rank != b.rank { return a.rank < b.rank }
            if a.event.subject != b.event.subject { return a.event.subject < b.event.subject }
            return a.ordinal < b.ordinal
        }.map(\.event)
    }
}

/// A catalogued item (事项) as generated.
struct ScenarioItem {
    var code: String
    var name: String
    var kind: String
    var department: ScenarioTables.Department
    var caseType: String
    var promisedLimit: Int
    var statutoryLimit: Int

    var registeredData: JSONValue {
        [
            "itemCode": .string(code), "itemName": .string(name), "itemKind": .string(kind),
            "departmentCode": .string(department.code), "departmentName": .string(department.name),
            "statutoryLimit": .integer(Int64(statutoryLimit)), "promisedLimit": .integer(Int64(promisedLimit)),
            "caseType": .string(caseType), "legalBasis": .string(legalBasis),
        ]
    }

    var legalBasis: String {
        switch kind {
        case "licensing": "《中华人民共和国行政许可法》及相关法律法规"
        case "non-licensing-approval": "国务院关于非行政许可审批事项的相关规定"
        case "public-service": "湖南省政务服务事项基本目录"
        default: "湖南省行政权力事项目录"
        }
    }
}

/// Helpers shared by the two districts' generators.
enum ScenarioText {
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// A generated Chinese personal name (2 or 3 characters, 4 with a two-character surname).
    static func personName(_ rng: inout SplitMix64) -> String {
        let surname = rng.chance(0.55)
            ? ScenarioTables.surnames[rng.int(in: 0...9)]  // the ten commonest in Hunan
            : rng.pick(ScenarioTables.surnames)
        let given = rng.pick(ScenarioTables.givenChars) + (rng.chance(0.8) ? rng.pick(ScenarioTables.givenChars) : "")
        return surname + given
    }

    /// A generated company name in the county.
    static func companyName(_ rng: inout SplitMix64, county: String) -> String {
        county + rng.pick(ScenarioTables.companyWords) + rng.pick(ScenarioTables.companyWords)
            + rng.pick(ScenarioTables.industries) + rng.pick(ScenarioTables.companyForms)
    }

    /// A synthetic resident identity number (GB 11643-1999 shape and check digit) registered in `region`.
    static func residentID(_ rng: inout SplitMix64, region: String) -> String {
        let birth = CivilDate(daysSinceEpoch: CivilDate(year: 1950, month: 1, day: 1).daysSinceEpoch + rng.int(in: 0...(55 * 365)))
        let body = region + pad(birth.year, 4) + pad(birth.month, 2) + pad(birth.day, 2) + pad(rng.int(in: 0...999), 3)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (i, c) in body.utf8.enumerated() { sum += Int(c - 48) * weights[i] }
        let check = Array("10X98765432")[sum % 11]
        return body + String(check)
    }

    /// A synthetic unified social credit code (GB 32100-2015 shape and check character) registered in `region`.
    static func creditCode(_ rng: inout SplitMix64, region: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var chars: [Character] = Array("91" + region)
        for _ in 0..<9 { chars.append(alphabet[rng.int(in: 0...9)]) }  // organisation code: digits here
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        var sum = 0
        for (i, c) in chars.enumerated() { sum += alphabet.firstIndex(of: c)! * weights[i] }
        let check = (31 - sum % 31) % 31
        return String(chars) + String(alphabet[check])
    }

    /// A synthetic mobile number.
    static func mobile(_ rng: inout SplitMix64) -> String {
        "1" + rng.pick(["3", "5", "7", "8", "9"]) + pad(rng.int(in: 0...999_999_999), 9)
    }

    /// `count` strictly increasing times of day within office hours (08:30–11:50, 14:30–17:30).
    static func officeSeconds(_ count: Int, _ rng: inout SplitMix64, notBefore: Int = 8 * 3600 + 30 * 60) -> [Int] {
        let morning = (8 * 3600 + 30 * 60)..<(11 * 3600 + 50 * 60)
        let afternoon = (14 * 3600 + 30 * 60)..<(17 * 3600 + 30 * 60)
        var values: [Int] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            var s: Int
            repeat {
                let x = rng.int(in: 0...(morning.count + afternoon.count - 1))
                s = x < morning.count ? morning.lowerBound + x : afternoon.lowerBound + (x - morning.count)
            } while s < notBefore
            values.append(s)
        }
        values.sort()
        for i in values.indices.dropFirst() where values[i] <= values[i - 1] { values[i] = values[i - 1] + 1 }
        return values
    }

    /// Times for a stream's dated events (dates non-decreasing): events on the same date get increasing office times.
    static func times(for dates: [CivilDate], _ rng: inout SplitMix64) -> [LocalTime] {
        var out: [LocalTime] = []
        out.reserveCapacity(dates.count)
        var i = 0
        while i < dates.count {
            var j = i
            while j + 1 < dates.count && dates[j + 1] == dates[i] { j += 1 }
            for s in officeSeconds(j - i + 1, &rng) { out.append(LocalTime(date: dates[i], second: s)) }
            i = j + 1
        }
        return out
    }

    /// Splits `total` over `weights` exactly (largest remainder), deterministically.
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var counts = exact.map { Int($0.rounded(.down)) }
        let left = total - counts.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let fa = exact[a] - Double(counts[a]), fb = exact[b] - Double(counts[b])
            return fa != fb ? fa > fb : a < b
        }
        for k in 0..<left { counts[order[k]] += 1 }
        return counts
    }
}

extension CivilDate {
    static func ymd(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d) }
}
