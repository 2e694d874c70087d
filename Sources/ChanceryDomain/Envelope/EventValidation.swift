/// Why an event is refused, with the JSON Pointer (RFC 6901) of the offending member.
///
/// `code` is stable and becomes both the RFC 9457 problem type (`/problems/<code>`) on the HTTP door and the
/// `error.code` header on the dead-letter topic.
public struct EventRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable machine-readable reason, e.g. `missing-attribute`, `invalid-attribute`, `unknown-type`,
    /// `invalid-data`, `unstorable-value` (``StorageLimits``), `lifecycle-violation`, `version-conflict`, `duplicate-id-conflict`.
    public var code: String
    /// RFC 6901 pointer into the submitted document, e.g. `/data/promisedLimit`; empty for the whole event.
    public var pointer: String
    /// A sentence for a person.
    public var message: String

    public init(code: String, pointer: String, message: String) {
        self.code = code
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(code) at \(pointer.isEmpty ? "/" : pointer): \(message)" }
}

/// Checks a submitted CloudEvent against the envelope rules (DESIGN.md; published as `schemas/cloudevent.json`)
/// and its `data` against the type's published schema (`schemas/events/<type>.v<version>.json`, see
/// ``EventSchemas``), turning JSON into a ``CloudEvent``.
public enum EventValidator {
    /// Attributes a publisher must not set: the gateway assigns them.
    public static let gatewayAttributes = ["sequence", "recordedtime", "prevhash", "hash"]

    /// The largest event Chancery accepts, in bytes of JSON: 512 KiB (524,288 bytes), on both doors — a
    /// submitted event (one HTTP `application/cloudevents+json` body, one `gov.inbound` record value) and the
    /// canonical record the gateway writes for it. It keeps every canonical record, with the attributes and
    /// headers the gateway adds, well below Kafka's default `message.max.bytes` (1,000,000 bytes), so that an
    /// accepted event can always be appended. A larger event is refused with code `payload-too-large`.
    public static let maxEventBytes = 512 * 1024

    /// Validates one submitted event.
    ///
    /// First of all the event must be storable (``StorageLimits/check(_:pointer:depth:)``: no NUL in any string or
    /// member name, nesting at most ``StorageLimits/maxNestingDepth``, numbers finite and integers 64-bit), then
    /// the envelope rules apply, then `data` is checked against its schema.
    ///
    /// - Parameter json: the event object as parsed JSON.
    /// - Parameter pointerPrefix: prefix for pointers, e.g. `/3` for the fourth event of a batch.
    /// - Returns: the event, with `dataschema` filled in when absent and `datacontenttype` defaulted.
    /// - Throws: ``EventRejection`` naming the first offending member; `unstorable-value` for a value the read
    ///   models cannot store (see ``StorageLimits``).
    public static func validate(_ json: JSONValue, pointerPrefix: String = "") throws(EventRejection) -> CloudEvent {
        try StorageLimits.check(json, pointer: pointerPrefix)
        return try validateStorable(json, pointerPrefix: pointerPrefix)
    }

    /// The optional attributes a publisher may send as `null`, meaning absent: CloudEvents JSON format §2.2 ("when
    /// decoding attributes and a null value is encountered, it MUST be treated as the equivalent of unset or
    /// omitted"). A required attribute sent as `null` is missing (`missing-attribute`); an attribute Chancery does not
    /// record, or assigns itself, is refused even as `null`, as `schemas/cloudevent.json#/$defs/submission` says.
    public static let nullableAttributes: Set<String> = ["datacontenttype", "dataschema", "expectedsequence"]

    /// `json` without the members that CloudEvents JSON format §2.2 reads as absent: the ``nullableAttributes`` and the
    /// required attributes given as `null` (`data` is not an attribute and keeps a `null`). Anything but an object is
    /// returned unchanged. The canonical form (``CloudEvent/canonicalBytes()``) is built from the validated attributes,
    /// so an event sent with `"dataschema": null` hashes as the same event sent without it.
    public static func withoutNullAttributes(_ json: JSONValue) -> JSONValue {
        guard case .object(var members) = json else { return json }
        for (name, value) in members where value == .null && (nullableAttributes.contains(name) || requiredAttributes.contains(name)) {
            members[name] = nil
        }
        return .object(members)
    }

    /// The attributes every submitted event carries (besides `data`).
    static let requiredAttributes: Set<String> = ["specversion", "id", "source", "type", "subject", "time", "region"]

    /// ``validate(_:pointerPrefix:)`` of an event ``StorageLimits/check(_:pointer:depth:)`` has accepted.
    static func validateStorable(_ json: JSONValue, pointerPrefix: String) throws(EventRejection) -> CloudEvent {
        guard let object = withoutNullAttributes(json).objectValue else {
            throw EventRejection(code: "invalid-event", pointer: pointerPrefix, message: "an event must be a JSON object, not \(json.typeName)")
        }
        func p(_ name: String) -> String { "\(pointerPrefix)/\(name)" }
        func requiredString(_ name: String) throws(EventRejection) -> String {
            guard let v = object[name] else {
                throw EventRejection(code: "missing-attribute", pointer: p(name), message: "the required attribute '\(name)' is missing")
            }
            guard let s = v.stringValue else {
                throw EventRejection(code: "invalid-attribute", pointer: p(name), message: "'\(name)' must be a string, not \(v.typeName)")
            }
            guard !s.isEmpty else {
                throw EventRejection(code: "invalid-attribute", pointer: p(name), message: "'\(name)' must not be empty")
            }
            return s
        }
        let specversion = try requiredString("specversion")
        guard specversion == "1.0" else {
            throw EventRejection(code: "invalid-attribute", pointer: p("specversion"), message: "specversion must be \"1.0\", not \"\(specversion)\"")
        }
        let id = try requiredString("id")
        try StorageLimits.checkIdentifier(id, pointer: p("id"))
        let source = try requiredString("source")
        try StorageLimits.checkIdentifier(source, pointer: p("source"))
        let type = try requiredString("type")
        guard let eventType = EventCatalog.eventType(type) else {
            throw EventRejection(code: "unknown-type", pointer: p("type"), message: "'\(type)' is not an event type of the catalog")
        }
        let subject = try requiredString("subject")
        try StorageLimits.checkIdentifier(subject, pointer: p("subject"))
        guard let stream = StreamID(subject) else {
            throw EventRejection(code: "invalid-attribute", pointer: p("subject"), message: "subject must be '<kind>/<region code>/<number>', not '\(subject)'")
        }
        guard stream.kind == eventType.streamKind else {
            throw EventRejection(code: "invalid-attribute", pointer: p("subject"), message: "\(eventType.name) belongs to '\(eventType.streamKind)' streams, not '\(stream.kind)'")
        }
        let time = try requiredString("time")
        do {
            _ = try RFC3339Timestamp(parsing: time)
        } catch {
            throw EventRejection(code: "invalid-attribute", pointer: p("time"), message: error.description)
        }
        try StorageLimits.checkTime(time, pointer: p("time"))
        let region = try requiredString("region")
        guard Region(region) != nil else {
            throw EventRejection(code: "invalid-attribute", pointer: p("region"), message: "region must be a six-digit (China) or seven-digit (Canada) division code, not '\(region)'")
        }
        guard RegionCalendars.defaultCalendarID(for: region) != nil else {
            throw EventRejection(code: "unknown-region", pointer: p("region"), message:
                "region \(region) is unknown: no working-day calendar covers it (six-digit GB/T 2260 codes of China's provinces, seven-digit census subdivisions of Ontario, 35…)")
        }
        guard region == stream.region else {
            throw EventRejection(code: "invalid-attribute", pointer: p("region"), message: "region \(region) differs from the subject's region \(stream.region)")
        }
        if let ct = object["datacontenttype"], ct.stringValue != "application/json" {
            throw EventRejection(code: "invalid-attribute", pointer: p("datacontenttype"), message: "datacontenttype must be \"application/json\"")
        }
        var schema = eventType.dataschema()
        var version = eventType.version
        if let ds = object["dataschema"] {
            guard let s = ds.stringValue, let v = dataschemaVersion(s, type: type) else {
                throw EventRejection(code: "invalid-attribute", pointer: p("dataschema"), message: "dataschema must be '\(eventType.dataschema())'")
            }
            guard v <= eventType.version, EventSchemas.bundled.schema(for: type, version: v) != nil else {
                throw EventRejection(code: "invalid-attribute", pointer: p("dataschema"), message: "version \(v) of \(type) does not exist; the newest is \(eventType.version)")
            }
            schema = s
            version = v
        }
        for name in gatewayAttributes where object[name] != nil {
            // A re-submitted canonical event (dead-letter retry, import of an export) keeps nothing the gateway assigns.
            throw EventRejection(code: "invalid-attribute", pointer: p(name), message: "'\(name)' is assigned by the gateway and must not be sent")
        }
        guard let data = object["data"] else {
            throw EventRejection(code: "missing-attribute", pointer: p("data"), message: "the required attribute 'data' is missing")
        }
        do throws(EventRejection) {
            try validateData(data, of: eventType, version: version, pointer: p("data"))
        } catch where object["dataschema"] == nil {
            // Unpinned data is read as the newest version; say so when it is a valid older one.
            if let older = (1..<version).reversed().first(where: { (try? validateData(data, of: eventType, version: $0, pointer: "")) != nil }) {
                throw EventRejection(code: error.code, pointer: error.pointer, message: error.message
                    + " (without \"dataschema\" data is read as version \(version); it is a valid version \(older): send \"dataschema\": \"\(eventType.dataschema(version: older))\")")
            }
            throw error
        }
        return CloudEvent(id: id, source: source, type: type, subject: subject, time: time, region: region, data: data, dataschema: schema)
    }

    /// The version in `urn:chancery:schema:<type>:<version>`, or `nil` when `uri` is not that shape for `type`.
    public static func dataschemaVersion(_ uri: String, type: String) -> Int? {
        let prefix = "urn:chancery:schema:\(type):"
        guard uri.hasPrefix(prefix) else { return nil }
        let digits = uri.utf8.dropFirst(prefix.utf8.count)
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.count <= 9,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(uri.dropFirst(prefix.count))
    }

    /// Checks `data` against the newest schema of `eventType` and the rules beyond JSON Schema.
    /// - Throws: ``EventRejection`` with code `invalid-data` and the pointer of the field.
    public static func validateData(_ data: JSONValue, of eventType: EventType, pointer: String) throws(EventRejection) {
        try validateData(data, of: eventType, version: eventType.version, pointer: pointer)
    }

    /// Checks `data` against version `version` of `eventType`'s published schema
    /// (`schemas/events/<type>.v<version>.json`), then against the rules a JSON Schema cannot state
    /// (``crossFieldRules``).
    ///
    /// - Throws: ``EventRejection`` with code `invalid-data` and the pointer of the first offending field, in the
    ///   schema's field order (a missing required field is reported where it is declared; unknown fields last).
    public static func validateData(_ data: JSONValue, of eventType: EventType, version: Int, pointer: String) throws(EventRejection) {
        guard let object = data.objectValue else {
            throw EventRejection(code: "invalid-data", pointer: pointer, message: "data must be a JSON object, not \(data.typeName)")
        }
        guard let schema = EventSchemas.bundled.schema(for: eventType.type, version: version) else {
            throw EventRejection(code: "invalid-attribute", pointer: pointer, message: "version \(version) of \(eventType.type) has no schema")
        }
        if let v = schema.validate(data).first {
            let message = switch v.keyword {
            case "required": "\(eventType.name) requires \(JSONSchema.name(of: v.pointer))"
            case "additionalProperties": "\(JSONSchema.name(of: v.pointer)) is not a field of \(eventType.name) (version \(version)); known fields: \(eventType.fields.map(\.name).joined(separator: ", "))"
            default: "\(eventType.name): \(v.message)"
            }
            throw EventRejection(code: "invalid-data", pointer: pointer + v.pointer, message: message)
        }
        for rule in crossFieldRules where rule.types.contains(eventType.name) {
            if let (field, message) = rule.check(object) {
                throw EventRejection(code: "invalid-data", pointer: "\(pointer)/\(field)", message: message)
            }
        }
    }

    /// A rule over several fields of `data` that JSON Schema cannot state; each schema's `description` names
    /// the rules that apply to it.
    public struct CrossFieldRule: Sendable {
        /// Glossary names of the event types it applies to.
        public var types: Set<String>
        /// A short statement of the rule.
        public var rule: String
        /// The offending field and a message, or `nil` when `data` keeps the rule.
        public var check: @Sendable ([String: JSONValue]) -> (String, String)?
    }

    /// The rules beyond JSON Schema: the promised limit (承诺办结时限) is at most the statutory limit (法定办结时限)
    /// when both count working days (a promise in calendar days, CaseAccepted v2, is not comparable).
    public static let crossFieldRules: [CrossFieldRule] = [
        CrossFieldRule(types: ["ItemRegistered", "ItemRevised", "CaseAccepted"], rule: "promisedLimit ≤ statutoryLimit") { data in
            guard data["promisedLimitUnit"]?.stringValue != "calendar-days",
                  let promised = data["promisedLimit"]?.integerValue, let statutory = data["statutoryLimit"]?.integerValue, promised > statutory else { return nil }
            return ("promisedLimit", "the promised limit (\(promised)) may not exceed the statutory limit (\(statutory))")
        },
    ]
}
