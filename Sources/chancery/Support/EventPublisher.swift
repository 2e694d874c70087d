import AsyncHTTPClient
import ChanceryDomain
import ChanceryImport
import Foundation
import NIOHTTP1
import NIOCore

/// Publishes events through the HTTP door (`POST /v1/events`), the same path an integrator takes.
///
/// Events go in order, in batches (`application/cloudevents-batch+json`). A refused batch is re-sent
/// event by event so that one bad event costs only itself; its problem details are collected.
struct EventPublisher {
    /// Base URL of the API, e.g. `http://127.0.0.1:8080`.
    let baseURL: String
    /// Events per request.
    let batchSize: Int
    /// Bearer token sent as `Authorization`.
    let token: String?

    struct Report {
        var appended = 0
        var alreadyAppended = 0
        /// Events the gateway refused (4xx), with its problem.
        var rejected: [LegacyImportRefusal] = []
        /// Highest sequence answered per stream.
        var heads: [String: Int64] = [:]
    }

    struct Answer: Decodable {
        struct Entry: Decodable { var subject: String; var sequence: Int64 }
        var events: [Entry]
    }

    func publish(_ events: [CloudEvent], progress: (Int) -> Void) async throws -> Report {
        var report = Report()
        var sent = 0
        var start = 0
        while start < events.count {
            let batch = Array(events[start..<min(start + batchSize, events.count)])
            let (status, body) = try await post(batch)
            if status == 200 || status == 201 {
                try record(body, status: status, count: batch.count, into: &report)
            } else if (400..<500).contains(status) && batch.count > 1 {
                for event in batch {
                    let (s, b) = try await post([event])
                    if s == 200 || s == 201 { try record(b, status: s, count: 1, into: &report) } else {
                        report.rejected.append(LegacyImportRefusal(eventID: event.id, subject: event.subject, status: s, body: b))
                    }
                }
            } else if (400..<500).contains(status) {
                report.rejected.append(LegacyImportRefusal(eventID: batch[0].id, subject: batch[0].subject, status: status, body: body))
            } else {
                throw PublishError(status: status, body: String(decoding: body, as: UTF8.self))
            }
            sent += batch.count
            progress(sent)
            start += batchSize
        }
        return report
    }

    private func record(_ body: [UInt8], status: Int, count: Int, into report: inout Report) throws {
        let answer = try JSONDecoder().decode(Answer.self, from: Data(body))
        if status == 200 { report.alreadyAppended += count } else { report.appended += count }
        for e in answer.events { report.heads[e.subject] = max(report.heads[e.subject] ?? 0, e.sequence) }
    }

    private func post(_ batch: [CloudEvent]) async throws -> (Int, [UInt8]) {
        var body: [UInt8] = [UInt8(ascii: "[")]
        for (i, e) in batch.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body += e.jsonBytes()
        }
        body.append(UInt8(ascii: "]"))
        var request = HTTPClientRequest(url: "\(baseURL)/v1/events")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/cloudevents-batch+json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        var attempt = 0
        while true {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
            // 503 while the gateway restores or Kafka recovers: wait and retry.
            if response.status.code == 503 && attempt < 30 {
                attempt += 1
                try await Task.sleep(for: .seconds(1))
                continue
            }
            return (Int(response.status.code), Array(buffer: bytes))
        }
    }
}

struct PublishError: Error, CustomStringConvertible {
    var status: Int
    var body: String
    var description: String { "the gateway answered \(status): \(body)" }
}
