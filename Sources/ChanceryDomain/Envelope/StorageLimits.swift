import Foundation

/// What the read models can store: the rules that keep every event a door accepts storable in PostgreSQL, so
/// that no accepted event can stop the projector ("whatever a door accepts, the projector can store"; issue 9).
///
/// A value outside them is refused at both doors with code `unstorable-value` (HTTP 422 problem+json, or a
/// dead letter on `gov.inbound`) and the JSON Pointer (RFC 6901) of the offending member. The rules, each with
/// the PostgreSQL behaviour it avoids (PostgreSQL 15, checked by hand against a server):
///
/// - no string, member value or member name, holds U+0000 (NUL): `text` and `jsonb` cannot hold it
///   (SQLSTATE 22P05, "\u0000 cannot be converted to text");
/// - no string holds a lone UTF-16 surrogate (`\ud800` without its low half, or a low half alone): `jsonb`
///   refuses it (22P02, "Unicode low surrogate must follow a high surrogate"), and a Swift `String` cannot keep
///   it (it would silently become U+FFFD). Only the JSON parser (``EventJSON``) sees these;
/// - arrays and objects nest at most ``maxNestingDepth`` levels;
/// - every number is finite, and every integer (a number without fraction or exponent, or an integral value)
///   fits a signed 64-bit integer: Chancery keeps integers as `Int64` (``JSONValue/integer(_:)``); a larger one
///   would be rounded to a binary floating-point number. Integer fields stored in `integer` columns (limits in
///   working days, satisfaction codes) are bounded by their JSON Schemas (`minimum`, `maximum`, at most 3,650);
/// - `id`, `source` and `subject` have at most ``maxIdentifierBytes`` bytes of UTF-8 (B-tree index entries);
/// - `time` is a date-time PostgreSQL `timestamptz` and `date` can store, see ``checkTime(_:pointer:)``.
public enum StorageLimits {
    /// The deepest nesting of arrays and objects in an event: 64 levels, the event object itself being level 1
    /// (`data` is level 2, an object inside `data` level 3 …).
    ///
    /// Chancery's own schemas need 3 levels; the limit bounds the recursion of the parser, the validator and
    /// PostgreSQL's JSON parser (which fails with 54001 "stack depth limit exceeded" at some thousands of levels),
    /// so deep nesting cannot be used to exhaust a stack. Deeper is refused as `unstorable-value` with the pointer
    /// of the first array or object at level 65.
    public static let maxNestingDepth = 64

    /// The longest `id`, `source` and `subject`, in bytes of UTF-8: 1,024.
    ///
    /// The read models index them (`audit.events` is unique on (`source`, `id`), every read model is keyed by
    /// `subject`), and a PostgreSQL B-tree entry holds at most 2,704 bytes (54000 "index row size exceeds btree
    /// version 4 maximum 2704"); two of 1,024 bytes fit with room for the row header.
    public static let maxIdentifierBytes = 1024

    /// The largest UTC offset written in `time`, in seconds either way: 15:59 (57,540 s), PostgreSQL's limit
    /// (22009 "time zone displacement out of range" beyond it). Real offsets lie from −12:00 to +14:00.
    public static let maxOffsetSeconds: Int32 = 15 * 3600 + 59 * 60

    /// The earliest `time`: 0001-01-02T00:00:00Z, so that the event's day is in year 1 or later in every time
    /// zone (PostgreSQL has no year 0: `date` 0000-12-31 fails with 22008 "date/time field value out of range").
    public static let earliestTime = RFC3339Timestamp(epochSeconds: Int64(CivilDate(year: 1, month: 1, day: 2).daysSinceEpoch) * 86_400)

    /// The latest `time`: 9899-12-31T23:59:59.999999999Z. Deadlines are counted from an event's day (up to
    /// 3,650 working days, about 15 years, plus pauses); a century of room keeps every date the read models and the
    /// supervisor derive in four-digit years, the `YYYY-MM-DD` form that ``CivilDate`` and the `date` fields of the
    /// schemas read back.
    public static let latestTime = RFC3339Timestamp(
        epochSeconds: Int64(CivilDate(year: 9900, month: 1, day: 1).daysSinceEpoch) * 86_400 - 1, nanoseconds: 999_999_999)

    /// The refusal of an unstorable value at `pointer`.
    public static func refusal(_ pointer: String, _ message: String) -> EventRejection {
        EventRejection(code: "unstorable-value", pointer: pointer, message: message)
    }

    /// Checks every string, member name, number and the nesting of `value` (a whole event, or a batch element).
    ///
    /// - Parameter value: parsed JSON; ``EventJSON`` has already refused lone surrogates, which a ``JSONValue``
    ///   cannot hold.
    /// - Parameter pointer: the pointer of `value` in the submitted document (`""`, or `/3` in a batch).
    /// - Parameter depth: the nesting level of `value` when it is an array or object (1 for an event).
    /// - Throws: ``EventRejection`` `unstorable-value` at the first offending member, in document order for
    ///   arrays and in sorted member-name order for objects: a NUL in a string (pointer of the string) or in a
    ///   member name (pointer of the object holding it, since the name itself cannot be shown), nesting deeper
    ///   than ``maxNestingDepth`` (pointer of the first array or object too deep), a non-finite number or an
    ///   integral number beyond the signed 64-bit range.
    public static func check(_ value: JSONValue, pointer: String = "", depth: Int = 1) throws(EventRejection) {
        switch value {
        case .null, .bool, .integer:
            return
        case .number(let d):
            guard d.isFinite else { throw refusal(pointer, "the number is not finite; PostgreSQL numeric and JSON cannot hold it") }
            if d.rounded() == d, !(d >= -9.223372036854775808e18 && d < 9.223372036854775808e18) {
                throw refusal(pointer, "the integer \(d) does not fit a signed 64-bit integer (−2⁶³ … 2⁶³ − 1); Chancery keeps integers exactly only in that range")
            }
        case .string(let s):
            if containsNUL(s) { throw refusal(pointer, "the string holds U+0000 (NUL), which PostgreSQL text and jsonb cannot store") }
        case .array(let elements):
            guard depth <= maxNestingDepth else { throw tooDeep(pointer) }
            for (i, e) in elements.enumerated() { try check(e, pointer: "\(pointer)/\(i)", depth: depth + 1) }
        case .object(let members):
            guard depth <= maxNestingDepth else { throw tooDeep(pointer) }
            for key in members.keys.sorted() {
                if containsNUL(key) {
                    throw refusal(pointer, "the member name \"\(shown(key))\" holds U+0000 (NUL), which PostgreSQL text and jsonb cannot store")
                }
                try check(members[key]!, pointer: "\(pointer)/\(escape(key))", depth: depth + 1)
            }
        }
    }

    /// Checks that `time` (already a strict RFC 3339 date-time) can be stored as `timestamptz` and its day as `date`.
    ///
    /// - Parameter text: the `time` attribute as sent.
    /// - Parameter pointer: its pointer, e.g. `/time`.
    /// - Throws: ``EventRejection`` `unstorable-value` for a leap second (`:60`; PostgreSQL has none: `23:59:60`
    ///   would be stored as the next day's midnight and `23:59:60.5` is refused with 22008), an offset beyond
    ///   ±``maxOffsetSeconds``, or an instant before ``earliestTime`` or after ``latestTime``.
    public static func checkTime(_ text: String, pointer: String) throws(EventRejection) {
        guard let t = try? RFC3339Timestamp(parsing: text) else { return }
        let b = Array(text.utf8)
        if b.count > 18, b[17] == UInt8(ascii: "6"), b[18] == UInt8(ascii: "0") {
            throw refusal(pointer, "'\(text)' is a leap second (:60), which PostgreSQL cannot store; send :59")
        }
        guard abs(t.offsetSeconds) <= maxOffsetSeconds else {
            throw refusal(pointer, "the offset of '\(text)' is beyond ±15:59, the most PostgreSQL can store")
        }
        guard t >= earliestTime, t <= latestTime else {
            throw refusal(pointer, "'\(text)' lies outside \(earliestTime.description.prefix(10)) … 9899-12-31 (UTC), the times whose days and deadlines the read models can store")
        }
    }

    /// Checks the length of an identifying attribute (`id`, `source`, `subject`).
    /// - Throws: ``EventRejection`` `unstorable-value` at `pointer` when `value` has more than ``maxIdentifierBytes`` bytes.
    public static func checkIdentifier(_ value: String, pointer: String) throws(EventRejection) {
        let bytes = value.utf8.count
        guard bytes <= maxIdentifierBytes else {
            throw refusal(pointer, "it has \(bytes) bytes of UTF-8; at most \(maxIdentifierBytes) fit PostgreSQL's indexes")
        }
    }

    static func tooDeep(_ pointer: String) -> EventRejection {
        refusal(pointer, "arrays and objects nest deeper than \(maxNestingDepth) levels (the event itself being level 1)")
    }

    static func containsNUL(_ s: String) -> Bool { s.utf8.contains(0) }

    /// `s` with NUL written as `\u0000`, for messages.
    static func shown(_ s: String) -> String { s.replacingOccurrences(of: "\u{0}", with: "\\u0000") }

    /// An RFC 6901 reference token: `~` as `~0`, `/` as `~1`.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
