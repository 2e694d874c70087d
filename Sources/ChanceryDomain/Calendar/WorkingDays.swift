/// A number of working days (工作日), the unit of every statutory and promised
/// time limit (法定办结时限 / 承诺办结时限; GLOSSARY.md "working day").
///
/// A `WorkingDays` is not an `Int` and not a number of calendar days: it only
/// becomes a date through a ``WorkingDayCalendar``
/// (``WorkingDayCalendar/date(addingWorkingDays:after:)``), which knows the
/// weekend, the public holidays and the adjusted working days (调休) of a region.
///
/// Encoded in JSON as a bare integer (`5`).
public struct WorkingDays: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The number of working days; may be negative only as the result of a subtraction
    /// (e.g. "remaining" after a deadline was passed).
    public var count: Int

    public init(_ count: Int) {
        self.count = count
    }

    /// No working days: the limit of an immediate case (即办件).
    public static let zero = WorkingDays(0)

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.count < rhs.count }
    public static func + (lhs: Self, rhs: Self) -> Self { WorkingDays(lhs.count + rhs.count) }
    public static func - (lhs: Self, rhs: Self) -> Self { WorkingDays(lhs.count - rhs.count) }

    /// `"1 working day"`, `"5 working days"`.
    public var description: String {
        count == 1 || count == -1 ? "\(count) working day" : "\(count) working days"
    }

    public init(from decoder: any Decoder) throws {
        count = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(count)
    }
}
