import Foundation

/// A strict RFC 3339 `date-time` (RFC 3339 §5.6): `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)`.
///
/// CloudEvents 1.0 requires `time` to be RFC 3339; Chancery never replaces an
/// unparseable time by the current time. The instant is kept with nanosecond
/// precision as seconds since the Unix epoch plus nanoseconds, and the offset is
/// kept so that the civil date can be computed in the region's own time zone.
public struct RFC3339Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64
    /// Nanoseconds within the second, 0…999,999,999.
    public var nanoseconds: Int32
    /// The offset from UTC written in the text, in seconds east of UTC (0 for `Z`).
    public var offsetSeconds: Int32

    /// Parses `text`, throwing ``Failure`` with the reason when it is not a strict RFC 3339 date-time
    /// (wrong shape, month 13, day 31 in a 30-day month, hour 24, more than 9 fractional digits, missing offset…).
    public init(parsing text: String) throws(Failure) {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) throws(Failure) -> Int {
            guard range.upperBound <= b.count else { throw Failure(text: text, reason: "too short") }
            var v = 0
            for i in range {
                let c = b[i]
                guard c >= 48 && c <= 57 else { throw Failure(text: text, reason: "expected a digit at position \(i + 1)") }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        func expect(_ i: Int, _ chars: String) throws(Failure) {
            guard i < b.count, chars.utf8.contains(b[i]) else {
                throw Failure(text: text, reason: "expected '\(chars.prefix(1))' at position \(i + 1)")
            }
        }
        let year = try digits(0..<4); try expect(4, "-")
        let month = try digits(5..<7); try expect(7, "-")
        let day = try digits(8..<10); try expect(10, "Tt")
        let hour = try digits(11..<13); try expect(13, ":")
        let minute = try digits(14..<16); try expect(16, ":")
        let second = try digits(17..<19)
        var i = 19
        var nanos = 0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
            let count = i - start
            guard count >= 1 && count <= 9 else { throw Failure(text: text, reason: "fractional seconds must have 1 to 9 digits") }
            nanos = try digits(start..<i)
            for _ in count..<9 { nanos *= 10 }
        }
        guard i < b.count else { throw Failure(text: text, reason: "missing time zone offset (Z or ±hh:mm)") }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            let oh = try digits(i + 1..<i + 3); try expect(i + 3, ":")
            let om = try digits(i + 4..<i + 6)
            guard oh <= 23 && om <= 59 else { throw Failure(text: text, reason: "offset out of range") }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            throw Failure(text: text, reason: "missing time zone offset (Z or ±hh:mm)")
        }
        guard i == b.count else { throw Failure(text: text, reason: "unexpected characters after the offset") }
        guard (1...12).contains(month) else { throw Failure(text: text, reason: "month out of range") }
        guard day >= 1 && day <= CivilDate.daysIn(month: month, year: year) else { throw Failure(text: text, reason: "day out of range") }
        guard hour <= 23, minute <= 59, second <= 60 else { throw Failure(text: text, reason: "time of day out of range") }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        epochSeconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offset)
        nanoseconds = Int32(nanos)
        offsetSeconds = Int32(offset)
    }

    /// An instant with a UTC offset of zero.
    public init(epochSeconds: Int64, nanoseconds: Int32 = 0, offsetSeconds: Int32 = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
        self.offsetSeconds = offsetSeconds
    }

    /// The current wall-clock instant, in UTC.
    public static func now() -> RFC3339Timestamp {
        let t = Date().timeIntervalSince1970
        let s = t.rounded(.down)
        return RFC3339Timestamp(epochSeconds: Int64(s), nanoseconds: Int32((t - s) * 1_000_000_000))
    }

    /// The civil date of this instant at a UTC offset (seconds east), e.g. 28,800 for Asia/Shanghai.
    public func civilDate(atOffsetSeconds offset: Int32) -> CivilDate {
        let local = epochSeconds + Int64(offset)
        return CivilDate(daysSinceEpoch: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// Milliseconds since the Unix epoch.
    public var epochMilliseconds: Int64 { epochSeconds * 1000 + Int64(nanoseconds / 1_000_000) }

    /// The instant in RFC 3339 form in UTC with millisecond precision, e.g. `2026-03-02T01:02:03.004Z`.
    public var description: String {
        let date = CivilDate(daysSinceEpoch: Int(epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400))
        let secs = Int(epochSeconds - Int64(date.daysSinceEpoch) * 86_400)
        let ms = Int(nanoseconds / 1_000_000)
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(date)T\(pad(secs / 3600, 2)):\(pad(secs % 3600 / 60, 2)):\(pad(secs % 60, 2)).\(pad(ms, 3))Z"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.epochSeconds, lhs.nanoseconds) < (rhs.epochSeconds, rhs.nanoseconds)
    }

    /// Why a text is not an RFC 3339 date-time.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "'\(text)' is not an RFC 3339 date-time: \(reason)" }
    }
}
