/// Why an event is refused, with the JSON Pointer (RFC 6901) of the offending member.
///
/// `code` is stable and becomes both the RFC 9457 problem type (`/problems/<code>`) on the HTTP door and the
/// `error.code` header on the dead-letter topic.
public struct EventRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable machine-readable reason, e.g. `missing-attribute`, `invalid-attribute`, `unknown-type`,
    /// `invalid-data`, `lifecycle-violation`, `version-conflict`, `duplicate-id-conflict`.
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

/// Checks a submitted CloudEvent against the envelope rules (DESIGN.md) and its type's data fields
/// (``EventCatalog``), turning JSON into a ``CloudEvent``.
public enum EventValidator {
    /// Attributes a publisher must not set: the gateway assigns them.
    public static let gatewayAttributes = ["sequence", "recordedtime", "prevhash", "hash"]

    /// Validates one submitted event.
    ///
    /// - Parameter json: the event object as parsed JSON.
    /// - Parameter pointerPrefix: prefix for pointers, e.g. `/3` for the fourth event of a batch.
    /// - Returns: the event, with `dataschema` filled in when absent and `datacontenttype` defaulted.
    /// - Throws: ``EventRejection`` naming the first offending member.
    public static func validate(_ json: JSONValue, pointerPrefix: String = "") throws(EventRejection) -> CloudEvent {
        guard let object = json.objectValue else {
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
        let source = try requiredString("source")
        let type = try requiredString("type")
        guard let eventType = EventCatalog.eventType(type) else {
            throw EventRejection(code: "unknown-type", pointer: p("type"), message: "'\(type)' is not an event type of the catalog")
        }
        let subject = try requiredString("subject")
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
        let region = try requiredString("region")
        guard Region(region) != nil else {
            throw EventRejection(code: "invalid-attribute", pointer: p("region"), message: "region must be a six-digit (China) or seven-digit (Canada) division code, not '\(region)'")
        }
        guard region == stream.region else {
            throw EventRejection(code: "invalid-attribute", pointer: p("region"), message: "region \(region) differs from the subject's region \(stream.region)")
        }
        if let ct = object["datacontenttype"], ct.stringValue != "application/json" {
            throw EventRejection(code: "invalid-attribute", pointer: p("datacontenttype"), message: "datacontenttype must be \"application/json\"")
        }
        var schema = eventType.dataschema()
        if let ds = object["dataschema"] {
            guard let s = ds.stringValue, let version = dataschemaVersion(s, type: type) else {
                throw EventRejection(code: "invalid-attribute", pointer: p("dataschema"), message: "dataschema must be '\(eventType.dataschema())'")
            }
            guard version <= eventType.version else {
                throw EventRejection(code: "invalid-attribute", pointer: p("dataschema"), message: "version \(version) of \(type) does not exist; the newest is \(eventType.version)")
            }
            schema = s
        }
        for name in gatewayAttributes where object[name] != nil {
            // A re-submitted canonical event (dead-letter retry, import of an export) keeps nothing the gateway assigns.
            throw EventRejection(code: "invalid-attribute", pointer: p(name), message: "'\(name)' is assigned by the gateway and must not be sent")
        }
        guard let data = object["data"] else {
            throw EventRejection(code: "missing-attribute", pointer: p("data"), message: "the required attribute 'data' is missing")
        }
        try validateData(data, of: eventType, pointer: p("data"))
        return CloudEvent(id: id, source: source, type: type, subject: subject, time: time, region: region, data: data, dataschema: schema)
    }

    /// The version in `urn:chancery:schema:<type>:<version>`, or `nil` when `uri` is not that shape for `type`.
    public static func dataschemaVersion(_ uri: String, type: String) -> Int? {
        let prefix = "urn:chancery:schema:\(type):"
        guard uri.hasPrefix(prefix) else { return nil }
        return Int(uri.dropFirst(prefix.count))
    }

    /// Checks `data` against the fields of `eventType`.
    /// - Throws: ``EventRejection`` with code `invalid-data` and the pointer of the field.
    public static func validateData(_ data: JSONValue, of eventType: EventType, pointer: String) throws(EventRejection) {
        guard let object = data.objectValue else {
            throw EventRejection(code: "invalid-data", pointer: pointer, message: "data must be a JSON object, not \(data.typeName)")
        }
        for field in eventType.fields {
            let fp = "\(pointer)/\(field.name)"
            guard let value = object[field.name], value != .null else {
                if field.required {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "\(eventType.name) requires '\(field.name)'")
                }
                continue
            }
            switch field.kind {
            case .string:
                guard let s = value.stringValue, !s.isEmpty else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be a non-empty string, not \(value.typeName)")
                }
            case .workingDays:
                guard case .integer(let n) = value, n >= 0, n <= 3650 else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be a whole number of working days from 0 to 3650")
                }
            case .integer:
                guard case .integer = value else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be an integer, not \(value.typeName)")
                }
            case .boolean:
                guard case .bool = value else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be a boolean, not \(value.typeName)")
                }
            case .date:
                guard let s = value.stringValue, CivilDate(s) != nil else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be a date YYYY-MM-DD")
                }
            case .dateTime:
                guard let s = value.stringValue, (try? RFC3339Timestamp(parsing: s)) != nil else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be an RFC 3339 date-time")
                }
            case .oneOf(let allowed):
                guard let s = value.stringValue, allowed.contains(s) else {
                    throw EventRejection(code: "invalid-data", pointer: fp, message: "'\(field.name)' must be one of \(allowed.joined(separator: ", "))")
                }
            }
        }
        if eventType.name == "ItemRegistered", let promised = object["promisedLimit"]?.integerValue,
           let statutory = object["statutoryLimit"]?.integerValue, promised > statutory {
            throw EventRejection(code: "invalid-data", pointer: "\(pointer)/promisedLimit", message: "the promised limit (\(promised)) may not exceed the statutory limit (\(statutory))")
        }
    }
}
