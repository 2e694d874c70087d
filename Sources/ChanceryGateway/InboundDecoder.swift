import ChanceryDomain
import ChanceryKafka
import Foundation

/// Reads a record of `gov.inbound` as a CloudEvent in either Kafka content mode (CloudEvents Kafka
/// protocol binding 1.0): structured (`content-type: application/cloudevents+json`, the event as the
/// value) or binary (attributes in `ce_` headers, `data` as the value).
public enum InboundDecoder {
    /// A record without `ce_` headers is in structured mode; its `content-type`, when present, must be
    /// `application/cloudevents+json`.
    ///
    /// - Returns: the validated event and its expected version (`expectedsequence`, or `ce_expectedsequence`).
    /// - Throws: ``EventRejection`` as ``EventValidator`` does, plus `payload-too-large` for a value over
    ///   ``EventValidator/maxEventBytes``, `unsupported-media-type` for a structured record of another content
    ///   type, and `malformed-json` for a value that is not JSON (all with the empty pointer: the whole record);
    ///   `unstorable-value` with the member's pointer for a value the read models cannot store (``StorageLimits``,
    ///   read by ``EventJSON``: a NUL or a lone surrogate in any string, nesting deeper than 64 levels …; in binary
    ///   mode the value is `data`, so its pointers start with `/data`, and a NUL in a `ce_` header is refused at
    ///   the attribute's pointer).
    public static func decode(_ record: KafkaConsumerMessage) throws(EventRejection) -> (CloudEvent, ExpectedVersion) {
        guard record.value.count <= EventValidator.maxEventBytes else {
            throw EventRejection(code: "payload-too-large", pointer: "",
                                 message: "the record value has \(record.value.count) bytes; an event may have at most \(EventValidator.maxEventBytes)")
        }
        let contentType = header("content-type", in: record)?.lowercased()
        let ceHeaders = record.headers.filter { $0.key.hasPrefix("ce_") }
        if ceHeaders.isEmpty, let contentType, !contentType.hasPrefix("application/cloudevents+json") {
            throw EventRejection(code: "unsupported-media-type", pointer: "",
                                 message: "a record without ce_ headers is in structured content mode and must be application/cloudevents+json, not \(contentType)")
        }
        let structured = ceHeaders.isEmpty || contentType?.hasPrefix("application/cloudevents") == true
        let value: JSONValue
        do throws(EventRejection) {
            value = try EventJSON.parseSubmission(record.value, form: structured ? .event : .binaryData)
        } catch where error.code == "malformed-json" {
            throw EventRejection(code: "malformed-json", pointer: "", message: "the record value is \(error.message)")
        }
        if structured {
            return try EventValidator.validateSubmission(value)
        }
        // Binary mode: every ce_ header is an attribute; the value is data.
        var object: [String: JSONValue] = [:]
        for h in ceHeaders {
            let name = String(h.key.dropFirst(3))
            let text = h.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
            object[name] = .string(text)
        }
        if let ct = contentType { object["datacontenttype"] = .string(ct.split(separator: ";")[0].trimmingCharacters(in: .whitespaces)) }
        object["data"] = value
        return try EventValidator.validateSubmission(.object(object))
    }

    static func header(_ name: String, in record: KafkaConsumerMessage) -> String? {
        record.headers.last { $0.key.lowercased() == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}
