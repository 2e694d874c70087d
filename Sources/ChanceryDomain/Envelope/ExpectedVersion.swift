/// The version a publisher expects a stream to be at before its event (optimistic concurrency, as in
/// EventStoreDB): sent as the extension attribute `expectedsequence` on the HTTP door and the inbound topic.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last `sequence` must be exactly this.
    case exact(Int64)

    /// Reads `"any"`, `"no-stream"`, or a non-negative integer (as JSON number or string); `nil` otherwise.
    public init?(_ json: JSONValue) {
        switch json {
        case .string("any"): self = .any
        case .string("no-stream"): self = .noStream
        case .integer(let n) where n >= 0: self = .exact(n)
        case .string(let s): guard let n = Int64(s), n >= 0 else { return nil }; self = .exact(n)
        default: return nil
        }
    }

    /// Whether a stream whose last sequence is `current` (0 = no stream) satisfies this expectation.
    public func isSatisfied(byCurrent current: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exact(let n): current == n
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no-stream"
        case .exact(let n): String(n)
        }
    }
}

extension EventValidator {
    /// Attributes Chancery knows: CloudEvents core and its extensions, plus `expectedsequence`.
    public static let knownAttributes: Set<String> = [
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data",
        "region", "sequence", "recordedtime", "prevhash", "hash", "expectedsequence",
    ]

    /// Validates a submitted event and reads its optional `expectedsequence`.
    ///
    /// - Throws: ``EventRejection``; `unstorable-value` first, for a value anywhere in the event that the read
    ///   models cannot store (``StorageLimits``), then `unknown-attribute` for an attribute Chancery would
    ///   otherwise drop, the refusals of ``validate(_:pointerPrefix:)``, and `invalid-attribute` for a malformed
    ///   `expectedsequence`. An optional attribute sent as `null` is absent (``withoutNullAttributes(_:)``).
    public static func validateSubmission(_ json: JSONValue, pointerPrefix: String = "") throws(EventRejection) -> (CloudEvent, ExpectedVersion) {
        try StorageLimits.check(json, pointer: pointerPrefix)
        let json = withoutNullAttributes(json)
        if let object = json.objectValue {
            for key in object.keys.sorted() where !knownAttributes.contains(key) {
                throw EventRejection(code: "unknown-attribute", pointer: "\(pointerPrefix)/\(key)", message: "'\(key)' is not an attribute Chancery records; remove it or put it in data")
            }
        }
        let event = try validateStorable(json, pointerPrefix: pointerPrefix)
        var expected = ExpectedVersion.any
        if let raw = json["expectedsequence"] {
            guard let e = ExpectedVersion(raw) else {
                throw EventRejection(code: "invalid-attribute", pointer: "\(pointerPrefix)/expectedsequence", message: "expectedsequence must be \"any\", \"no-stream\" or a non-negative integer")
            }
            expected = e
        }
        return (event, expected)
    }
}
