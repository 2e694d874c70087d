import ChanceryDomain
import ChanceryGateway
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The HTTP door of the gateway: `POST /v1/events` (DESIGN.md, "gateway").
///
/// Takes one event as `application/cloudevents+json` or several as `application/cloudevents-batch+json`
/// (a JSON array; all or nothing). Each event may carry `expectedsequence` (`any`, `no-stream` or a number).
/// Answers 201 with `{"events":[{id, subject, topic, partition, offset, sequence, hash}]}`, or 200 with the
/// first answer when every event had been appended before. Errors are problem+json: 400 malformed JSON,
/// 415 wrong content type, 413 body over `maxBodyBytes` or an event over ``EventValidator/maxEventBytes``,
/// 422 invalid event, a value the read models cannot store (`unstorable-value`, ``StorageLimits``: a NUL, a lone
/// surrogate, nesting deeper than 64, an integer beyond 64 bits …), unknown region, lifecycle or catalog violation,
/// 409 version conflict or an id reused with other content, 503 when the gateway cannot append now;
/// 401 without a valid bearer token, 403 when the token's role or grants do not cover an event's
/// `source` or `region` (pointer `/source` or `/region`).
public struct EventsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let appender: any EventAppender
    /// Largest accepted body, in bytes.
    let maxBodyBytes: Int

    public init(appender: any EventAppender, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.appender = appender
        self.maxBodyBytes = maxBodyBytes
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.post("events", use: append)
    }

    struct Answer: Encodable {
        struct Entry: Encodable {
            var id: String
            var source: String
            var subject: String
            var topic: String
            var partition: Int32
            var offset: Int64
            var sequence: Int64
            var hash: String
        }
        var events: [Entry]
    }

    @Sendable func append(request: Request, context: Context) async throws -> Response {
        let principal = try context.requirePrincipal()
        let mediaType = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let isBatch: Bool
        switch mediaType {
        case "application/cloudevents+json": isBatch = false
        case "application/cloudevents-batch+json": isBatch = true
        default:
            throw Problem(.unsupportedMediaType, code: "unsupported-media-type", title: "Unsupported Media Type",
                          detail: "send application/cloudevents+json (one event) or application/cloudevents-batch+json (an array), not \(mediaType ?? "no content type")")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            throw Problem(.contentTooLarge, code: "payload-too-large", title: "Content Too Large",
                          detail: "the body exceeds \(maxBodyBytes) bytes")
        }
        if !isBatch, buffer.readableBytes > EventValidator.maxEventBytes {
            throw Problem(.contentTooLarge, code: "payload-too-large", title: "Content Too Large",
                          detail: "the event has \(buffer.readableBytes) bytes; an event may have at most \(EventValidator.maxEventBytes)", pointer: "")
        }
        let json: JSONValue
        do throws(EventRejection) {
            json = try EventJSON.parseSubmission(buffer.readableBytesView, form: isBatch ? .batch : .event)
        } catch where error.code == "malformed-json" {
            throw Problem(.badRequest, code: "malformed-json", title: "Malformed JSON", detail: "the body is \(error.message)", pointer: "")
        } catch {
            RejectionMetrics.record(code: error.code, door: "http")
            throw Problem(.unprocessableContent, code: error.code, title: "Invalid event", detail: error.message, pointer: error.pointer)
        }
        let items: [(JSONValue, String)]
        if isBatch {
            guard let array = json.arrayValue else {
                throw Problem(.badRequest, code: "invalid-batch", title: "Invalid batch", detail: "a batch must be a JSON array of events", pointer: "")
            }
            guard !array.isEmpty else {
                throw Problem(.badRequest, code: "invalid-batch", title: "Invalid batch", detail: "a batch must hold at least one event", pointer: "")
            }
            items = array.enumerated().map { ($1, "/\($0)") }
        } else {
            items = [(json, "")]
        }
        var submitted: [SubmittedEvent] = []
        for (item, prefix) in items {
            do {
                let (event, expected) = try EventValidator.validateSubmission(item, pointerPrefix: prefix)
                if let refusal = principal.refusal(toPublish: event) {
                    throw Problem(.forbidden, code: refusal.code, title: "Forbidden", detail: refusal.message, pointer: refusal.pointer.isEmpty ? nil : prefix + refusal.pointer)
                }
                submitted.append(SubmittedEvent(event: event, expected: expected))
            } catch let problem as Problem {
                RejectionMetrics.record(code: String(problem.type.dropFirst("/problems/".count)), door: "http")
                throw problem
            } catch let error as EventRejection {
                RejectionMetrics.record(code: error.code, door: "http")
                throw Problem(.unprocessableContent, code: error.code, title: "Invalid event", detail: error.message, pointer: error.pointer)
            }
        }
        let result: AppendResult
        do {
            result = try await appender.append(submitted)
        } catch AppendFailure.rejected(let index, let rejection) {
            // Gateway pointers are relative to a batch ("/3/..."); for a single event drop the index.
            let pointer = isBatch ? rejection.pointer : String(rejection.pointer.dropFirst("/\(index)".count))
            let status: HTTPResponse.Status = switch rejection.code {
            case "version-conflict", "duplicate-id-conflict": .conflict
            case "payload-too-large": .contentTooLarge
            default: .unprocessableContent
            }
            let title = switch status {
            case .conflict: "Conflict"
            case .contentTooLarge: "Content Too Large"
            default: "Invalid event"
            }
            throw Problem(status, code: rejection.code, title: title, detail: rejection.message, pointer: pointer)
        } catch AppendFailure.unavailable(let why) {
            throw Problem(.serviceUnavailable, code: "unavailable", title: "Service Unavailable", detail: why)
        }
        let answer = Answer(events: result.events.map {
            .init(id: $0.id, source: $0.source, subject: $0.subject, topic: $0.topic, partition: $0.partition,
                  offset: $0.offset, sequence: $0.sequence, hash: $0.hash)
        })
        return try JSONResponse.make(answer, status: result.replayed ? .ok : .created)
    }
}

/// JSON responses with sorted keys.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
