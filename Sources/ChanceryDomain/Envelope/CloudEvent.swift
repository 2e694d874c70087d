import Foundation

/// A CloudEvents 1.0 event in structured JSON mode with Chancery's extensions (DESIGN.md, "Event envelope").
///
/// Shape on the wire (`application/cloudevents+json`):
/// ```json
/// {"specversion":"1.0","id":"…","source":"/430424/departments/planning","type":"gov.approval.case.accepted",
///  "subject":"case/430424/2026-000123","time":"2026-03-02T09:00:00+08:00","datacontenttype":"application/json",
///  "dataschema":"urn:chancery:schema:gov.approval.case.accepted:1","region":"430424",
///  "sequence":2,"recordedtime":"…","prevhash":"…","hash":"…","data":{…}}
/// ```
/// `sequence`, `recordedtime`, `prevhash` and `hash` are assigned by the gateway; a publisher leaves them out.
public struct CloudEvent: Sendable, Hashable, Codable {
    /// Always `"1.0"`.
    public var specversion: String
    /// Publisher-chosen id; with `source` the idempotency key (CloudEvents §3.1.1).
    public var id: String
    /// URI-reference of the publishing system, e.g. `/430424/departments/planning`.
    public var source: String
    /// Dotted lower-case type, e.g. `gov.approval.case.accepted` (see ``EventType``).
    public var type: String
    /// The stream id and Kafka key, `<kind>/<region>/<number>`, e.g. `case/430424/2026-000123`.
    public var subject: String
    /// Business time, strict RFC 3339 as sent (all clocks use it).
    public var time: String
    /// Always `application/json` when present.
    public var datacontenttype: String?
    /// The schema id and version of `data`, e.g. `urn:chancery:schema:gov.approval.case.accepted:1`.
    public var dataschema: String?
    /// Administrative division code (行政区划代码), six digits.
    public var region: String
    /// Per-stream version 1, 2, 3 … assigned by the gateway.
    public var sequence: Int64?
    /// When the gateway appended the event (RFC 3339, UTC).
    public var recordedtime: String?
    /// Hex SHA-256 of the previous event in the stream; 64 zeros for the first.
    public var prevhash: String?
    /// Hex SHA-256 of this event's ``canonicalBytes()``.
    public var hash: String?
    /// The event's payload.
    public var data: JSONValue

    public init(
        id: String, source: String, type: String, subject: String, time: String, region: String,
        data: JSONValue, dataschema: String? = nil, sequence: Int64? = nil, recordedtime: String? = nil,
        prevhash: String? = nil, hash: String? = nil
    ) {
        self.specversion = "1.0"
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.datacontenttype = "application/json"
        self.dataschema = dataschema
        self.region = region
        self.sequence = sequence
        self.recordedtime = recordedtime
        self.prevhash = prevhash
        self.hash = hash
        self.data = data
    }

    /// The hash of the event before the first of a stream: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes that `hash` covers: the event without `hash`, as JSON with keys sorted
    /// lexicographically at every level, no insignificant whitespace and unescaped slashes.
    public func canonicalBytes() -> [UInt8] {
        var copy = self
        copy.hash = nil
        return Array(CloudEvent.canonicalEncoder.encodeOrDie(copy))
    }

    /// Hex SHA-256 of ``canonicalBytes()`` (FIPS 180-4 via swift-crypto).
    public func computeHash() -> String {
        Digest.sha256Hex(canonicalBytes())
    }

    /// The content that the idempotency check compares: everything a publisher sets
    /// (the gateway's attributes removed), canonically encoded.
    public func publisherContent() -> [UInt8] {
        var copy = self
        copy.sequence = nil
        copy.recordedtime = nil
        copy.prevhash = nil
        copy.hash = nil
        return Array(CloudEvent.canonicalEncoder.encodeOrDie(copy))
    }

    /// The event as `application/cloudevents+json` bytes (canonical form, including `hash`).
    public func jsonBytes() -> [UInt8] {
        Array(CloudEvent.canonicalEncoder.encodeOrDie(self))
    }

    /// The stream id, `subject`, as a typed ``StreamID``; `nil` when malformed.
    public var streamID: StreamID? { StreamID(subject) }

    static let canonicalEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

extension JSONEncoder {
    /// Encodes values that cannot fail to encode (plain structs of strings, numbers and ``JSONValue``).
    func encodeOrDie<T: Encodable>(_ value: T) -> Data {
        do { return try encode(value) } catch { preconditionFailure("encoding \(T.self) cannot fail: \(error)") }
    }
}
