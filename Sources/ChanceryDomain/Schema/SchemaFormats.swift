// The domain speaks JSON through the general validator's values: every module that imports the domain sees them.
@_exported import ChanceryJSONSchema

extension JSONSchema.Format {
    /// `date`: `YYYY-MM-DD` in ASCII digits naming a real day of years 1–9999 (``CivilDate``), as Python's
    /// `jsonschema` format checker asserts it.
    public static let date = JSONSchema.Format(name: "date", expectation: "a date YYYY-MM-DD") { s in
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
              b.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || ($0.element >= 0x30 && $0.element <= 0x39) }),
              let d = CivilDate(s), d.year >= 1 else { return false }
        return true
    }

    /// `date-time`: a strict RFC 3339 date-time (``RFC3339Timestamp``) without a leap second and in years 1–9999.
    public static let dateTime = JSONSchema.Format(name: "date-time", expectation: "an RFC 3339 date-time") { s in
        guard (try? RFC3339Timestamp(parsing: s)) != nil else { return false }
        let b = Array(s.utf8)
        let year = Int(String(decoding: b[0..<4], as: UTF8.self)) ?? 0
        let second = Int(String(decoding: b[17..<19], as: UTF8.self)) ?? 0
        return year >= 1 && second <= 59
    }

    /// The formats Chancery's published schemas use.
    public static let chancery: [JSONSchema.Format] = [.date, .dateTime]
}
