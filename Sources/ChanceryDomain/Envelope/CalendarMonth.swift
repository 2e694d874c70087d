/// A calendar month `YYYY-MM` (ISO 8601): the period of a monthly circular (通报) and of the metrics' month parameters.
public struct CalendarMonth: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Four-digit year.
    public let year: Int
    /// Month 1–12.
    public let month: Int

    /// Parses `YYYY-MM` (four digits, a hyphen, two digits, month 01–12, year 0001–9999: PostgreSQL's dates have no
    /// year 0); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let y = Int(parts[0]), let m = Int(parts[1]), (1...9999).contains(y), (1...12).contains(m) else { return nil }
        year = y
        month = m
    }

    /// The first day, `YYYY-MM-01`.
    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1) }
    /// The last day of the month.
    public var lastDay: CivilDate {
        let next = month == 12 ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: month + 1, day: 1)
        return next.adding(days: -1)
    }

    public var description: String { String(firstDay.description.prefix(7)) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let m = CalendarMonth(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not YYYY-MM: \(text)"))
        }
        self = m
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
