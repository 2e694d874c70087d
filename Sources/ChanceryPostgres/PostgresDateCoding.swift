import Foundation

/// `Date` as `timestamptz`: encoded as RFC 3339 UTC with exactly six fractional digits
/// (microseconds, PostgreSQL's resolution), e.g. `2024-05-01T12:30:00.250000Z`.
///
/// Decoding accepts the server's ISO output for `timestamptz` (`2024-05-01 12:30:00.25+00`,
/// any `±HH[:MM[:SS]]` offset), `timestamp` (no offset: read as UTC), and `date`
/// (`2024-05-01`: midnight UTC), with a space or `T` separator and optional `Z`. `infinity`
/// and `-infinity` map to `Date.distantFuture` / `Date.distantPast`.
extension Date: PostgresEncodable, PostgresDecodable {
    /// RFC 3339 UTC with microseconds (the value is rounded to the nearest microsecond).
    public var postgresText: String { PostgresTimestamp.format(self) }

    /// Parses `timestamptz`, `timestamp` or `date` text.
    ///
    /// - Throws: ``PostgresError`` `.decoding` on anything else (including BC dates).
    public init(postgresText: String) throws { self = try PostgresTimestamp.parse(postgresText) }
}

/// Calendar arithmetic for proleptic Gregorian UTC timestamps, independent of locale and
/// `Calendar` (days-from-civil algorithms by Howard Hinnant).
enum PostgresTimestamp {
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var remainder = micros % perDay
        if remainder < 0 { remainder += perDay; days -= 1 }
        let (year, month, day) = civilFromDays(Int(days))
        let secondsOfDay = Int(remainder / 1_000_000)
        let fraction = Int(remainder % 1_000_000)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        let time = "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(fraction, 6))"
        if year <= 0 {
            // ISO year 0 is 1 BC.
            return "\(pad(1 - year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(time)Z BC"
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(time)Z"
    }

    static func parse(_ text: String) throws -> Date {
        switch text {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        let bytes = Array(text.utf8)
        var index = 0
        func fail() -> PostgresError { PostgresError.decoding("cannot decode Date from '\(text)'") }
        func digits(min: Int, max: Int) throws -> Int {
            var value = 0
            var count = 0
            while index < bytes.count, count < max, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                count += 1
            }
            guard count >= min else { throw fail() }
            return value
        }
        func expect(_ character: UInt8) throws {
            guard index < bytes.count, bytes[index] == character else { throw fail() }
            index += 1
        }

        let year = try digits(min: 4, max: 6)
        try expect(UInt8(ascii: "-"))
        let month = try digits(min: 2, max: 2)
        try expect(UInt8(ascii: "-"))
        let day = try digits(min: 2, max: 2)
        guard (1...12).contains(month), (1...31).contains(day) else { throw fail() }
        var seconds = Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400
        var micros: Int64 = 0

        if index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "T") {
            index += 1
            let hour = try digits(min: 2, max: 2)
            try expect(UInt8(ascii: ":"))
            let minute = try digits(min: 2, max: 2)
            try expect(UInt8(ascii: ":"))
            let second = try digits(min: 2, max: 2)
            guard hour <= 24, minute < 60, second <= 60 else { throw fail() }
            seconds += Int64(hour * 3600 + minute * 60 + second)
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var scale: Int64 = 100_000
                var count = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    if count < 6 { micros += Int64(bytes[index] - 0x30) * scale; scale /= 10 }
                    count += 1
                    index += 1
                }
                guard count > 0 else { throw fail() }
            }
            if index < bytes.count {
                let sign = bytes[index]
                if sign == UInt8(ascii: "Z") {
                    index += 1
                } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    index += 1
                    var offset = try digits(min: 2, max: 2) * 3600
                    if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                        index += 1
                        offset += try digits(min: 2, max: 2) * 60
                        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                            index += 1
                            offset += try digits(min: 2, max: 2)
                        }
                    } else if index + 1 < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        offset += try digits(min: 2, max: 2) * 60 // +HHMM
                    }
                    // Local time = UTC + offset, so UTC = local - offset.
                    seconds -= Int64(sign == UInt8(ascii: "+") ? offset : -offset)
                } else {
                    throw fail()
                }
            }
        }
        guard index == bytes.count else { throw fail() }
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }
}
