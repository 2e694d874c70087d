/// A record's place in the log of record: the total order in which the gateway committed records
/// (README, "The log is the record"). Positions are 1, 2, 3 … without gaps; Kafka orders records per
/// partition only, and its offsets change when the embedded broker is seeded again from the journal.
public enum LogPosition {
    /// The Kafka record header that carries the position, as decimal ASCII (e.g. `"42"`).
    public static let header = "chancery-position"

    /// The position encoded as the header's value.
    public static func headerValue(_ position: Int64) -> [UInt8] { Array(String(position).utf8) }

    /// The position in a header value; nil when it is not a positive decimal integer.
    public static func parse(_ value: [UInt8]) -> Int64? {
        guard let n = Int64(String(decoding: value, as: UTF8.self)), n > 0 else { return nil }
        return n
    }
}
