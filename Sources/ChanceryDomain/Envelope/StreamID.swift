/// A stream id, `<kind>/<region>/<number>` (GLOSSARY.md, "Event types"), e.g. `case/430424/2026-000123`.
public struct StreamID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stream kind: `item`, `case`, `document`, `request`, `letter`, `consultation`, `complaint`, `alert`.
    public var kind: String
    /// The six-digit administrative division code.
    public var region: String
    /// The number within the region, e.g. `2026-000123` or an item code.
    public var number: String

    public init(kind: String, region: String, number: String) {
        self.kind = kind
        self.region = region
        self.number = number
    }

    /// Parses `kind/region/number`; `nil` when the shape is wrong or the region is not six digits.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[2].isEmpty, Region(String(parts[1])) != nil else { return nil }
        self.init(kind: String(parts[0]), region: String(parts[1]), number: String(parts[2]))
    }

    public var description: String { "\(kind)/\(region)/\(number)" }
}

/// An administrative division code: six digits in China (行政区划代码, GB/T 2260), e.g. `430424` Hengdong
/// county; seven digits for a Canadian census subdivision (Statistics Canada SGC), e.g. `3524002` Burlington.
public struct Region: Sendable, Hashable, Codable, CustomStringConvertible {
    public var code: String
    /// `nil` unless `code` is six or seven ASCII digits.
    public init?(_ code: String) {
        guard (6...7).contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.code = code
    }
    public var description: String { code }
}
