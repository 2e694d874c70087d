import Foundation

/// What the annual report needs and the events do not carry, for one region and year: the texts of sections 一, 五
/// and 六, the reporting organ, the figures of section 二 that no event records (regulations and normative documents
/// issued, repealed and in force; administrative punishments and coercions; fees collected), the licensing decisions
/// of a region whose cases are not handled in Chancery, and the kind of each organisation that applied. Every member
/// is optional: what is absent is printed "—" (JSON `null`) with a note, never invented.
///
/// A JSON file (schema: `schemas/annual-report-supplement.schema.json`; example: `examples/reports/430405-2025.json`),
/// named `<region>-<year>.json` in the server's `--report-supplements` directory:
/// `{"region":"430405","year":2025,"authority":"…","overview":"…","problemsAndImprovements":"…","otherMatters":"…",
///   "regulations":{"issued":0,"repealed":0,"inForce":0},"normativeDocuments":{…},"licensingDecisions":0,
///   "punishmentDecisions":0,"coercionDecisions":0,"feesCollected":0.0,"organisationKinds":{"request/…":"commercial-enterprise"}}`.
public struct AnnualReportSupplement: Sendable, Hashable, Codable {
    /// Division code; must be the report's.
    public var region: String
    /// The year; must be the report's.
    public var year: Int
    /// The reporting organ, e.g. 珠晖区人民政府.
    public var authority: String?
    /// 一、总体情况.
    public var overview: String?
    /// 五、存在的主要问题及改进情况.
    public var problemsAndImprovements: String?
    /// 六、其他需要报告的事项.
    public var otherMatters: String?
    /// 规章: issued, repealed, in force.
    public var regulations: ProactiveDisclosure.DocumentCounts?
    /// 行政规范性文件: issued, repealed, in force.
    public var normativeDocuments: ProactiveDisclosure.DocumentCounts?
    /// 行政许可 decisions: used only when the region has no case in Chancery (otherwise they are counted from the cases).
    public var licensingDecisions: Int?
    /// 行政处罚 decisions.
    public var punishmentDecisions: Int?
    /// 行政强制 decisions.
    public var coercionDecisions: Int?
    /// 行政事业性收费, 万元 (10,000 yuan).
    public var feesCollected: Double?
    /// Disclosure request subject → organisation kind: `commercial-enterprise`, `research-institution`,
    /// `social-welfare-organisation`, `legal-service-agency`, `other-organisation`.
    public var organisationKinds: [String: String]?

    static let members: Set<String> = ["region", "year", "authority", "overview", "problemsAndImprovements", "otherMatters", "regulations",
                                       "normativeDocuments", "licensingDecisions", "punishmentDecisions", "coercionDecisions", "feesCollected",
                                       "organisationKinds", "$schema"]

    /// Decodes and validates a supplement.
    /// - Parameter name: how to name the file in errors.
    /// - Throws: ``ReportError/invalidSupplement(_:)`` naming the file and the member: not JSON, an unknown member, a
    ///   member of the wrong type, a negative count or amount, an unknown organisation kind.
    public static func decode(_ data: Data, name: String) throws -> AnnualReportSupplement {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReportError.invalidSupplement("\(name) is not a JSON object")
        }
        if let unknown = object.keys.filter({ !members.contains($0) }).sorted().first {
            throw ReportError.invalidSupplement("\(name): unknown member \"\(unknown)\"")
        }
        let s: AnnualReportSupplement
        do {
            s = try JSONDecoder().decode(AnnualReportSupplement.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ReportError.invalidSupplement("\(name): /\(context.codingPath.map(\.stringValue).joined(separator: "/")) \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw ReportError.invalidSupplement("\(name): the member \"\(key.stringValue)\" is required")
        } catch {
            throw ReportError.invalidSupplement("\(name): \(error)")
        }
        let counts: [(String, Int?)] = [
            ("regulations/issued", s.regulations?.issued), ("regulations/repealed", s.regulations?.repealed),
            ("regulations/inForce", s.regulations?.inForce), ("normativeDocuments/issued", s.normativeDocuments?.issued),
            ("normativeDocuments/repealed", s.normativeDocuments?.repealed), ("normativeDocuments/inForce", s.normativeDocuments?.inForce),
            ("licensingDecisions", s.licensingDecisions), ("punishmentDecisions", s.punishmentDecisions), ("coercionDecisions", s.coercionDecisions),
        ]
        if let bad = counts.first(where: { ($0.1 ?? 0) < 0 }) {
            throw ReportError.invalidSupplement("\(name): /\(bad.0) must be a count ≥ 0")
        }
        if let fees = s.feesCollected, !(fees >= 0) || !fees.isFinite {
            throw ReportError.invalidSupplement("\(name): /feesCollected must be an amount ≥ 0 in 万元")
        }
        for (subject, kind) in (s.organisationKinds ?? [:]).sorted(by: { $0.key < $1.key }) where ApplicantColumn.organisation(kind) == nil {
            throw ReportError.invalidSupplement(
                "\(name): /organisationKinds/\(subject) must be one of \(ApplicantColumn.organisations.map(\.id).joined(separator: ", ")), not \"\(kind)\"")
        }
        return s
    }

    /// Checks that the supplement is the one of `region` and `year`.
    /// - Throws: ``ReportError/invalidSupplement(_:)`` when it names another region or year.
    public func check(region: String, year: Int, name: String) throws {
        guard self.region == region, self.year == year else {
            throw ReportError.invalidSupplement("\(name) is for region \(self.region), year \(self.year), not region \(region), year \(year)")
        }
    }
}

/// The supplements of a directory (`<region>-<year>.json`), read once when the server starts (no file I/O per request).
public struct AnnualReportSupplements: Sendable {
    /// `<region>-<year>` → supplement.
    public private(set) var byKey: [String: AnnualReportSupplement]

    /// Supplements given in memory (the first of a region and year wins).
    public init(_ supplements: [AnnualReportSupplement] = []) {
        byKey = Dictionary(supplements.map { ("\($0.region)-\($0.year)", $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads every `*.json` file of `directory`.
    /// - Throws: ``ReportError/invalidSupplement(_:)`` for a file that is malformed or whose name does not match its region and year.
    public static func load(directory: URL) throws -> AnnualReportSupplements {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        var out: [AnnualReportSupplement] = []
        for file in files {
            let s = try AnnualReportSupplement.decode(try Data(contentsOf: file), name: file.lastPathComponent)
            guard file.deletingPathExtension().lastPathComponent == "\(s.region)-\(s.year)" else {
                throw ReportError.invalidSupplement("\(file.lastPathComponent) holds region \(s.region), year \(s.year): name it \(s.region)-\(s.year).json")
            }
            out.append(s)
        }
        return AnnualReportSupplements(out)
    }

    /// The supplement of `region` and `year`, if any.
    public func supplement(region: String, year: Int) -> AnnualReportSupplement? { byKey["\(region)-\(year)"] }

    /// The (region, year) pairs that have a supplement.
    public var keys: [(region: String, year: Int)] { byKey.values.map { ($0.region, $0.year) } }
}
