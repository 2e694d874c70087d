import ArgumentParser
import AsyncHTTPClient
import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `chancery history <subject>`: every event of a stream from the log of record, each chain link checked.
///
/// By default it asks a running server, `GET /v1/streams/{subject}` at `--url` with an auditor or admin token
/// (`--token` or `$CHANCERY_TOKEN`), page by page: the same access control as the API. An auditor who has the
/// database instead (a copy, a restored dump, a stopped server) gives `--database-url`, and the journal is read
/// directly with the same code the endpoint uses; no server or token is needed then.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print a stream's history from the log of record, each hash-chain link checked.",
        discussion: """
            Output: a table (default), --format jsonl (one JSON object per event, as GET /v1/streams/{subject} lists \
            them) or --format csv. Exits 1 when a link of the stream does not check, 2 when the stream is unknown.
            """)

    @Argument(help: "The stream id, <kind>/<region>/<number>, e.g. case/430424/2025-000123.")
    var subject: String

    @Option(help: "Base URL of a running chancery server.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "Bearer token with the auditor or admin role; default: $CHANCERY_TOKEN.")
    var token: String?

    @Option(name: .customLong("database-url"), help: "Read the journal in this PostgreSQL database directly instead of asking the server.")
    var databaseURL: String?

    @Option(help: "table, jsonl or csv.")
    var format: String = "table"

    @Option(help: "Events per page read.")
    var pageSize: Int = 1_000

    func validate() throws {
        guard ["table", "jsonl", "csv"].contains(format) else { throw ValidationError("--format must be table, jsonl or csv") }
        guard StreamID(subject) != nil else { throw ValidationError("'\(subject)' is not a stream id <kind>/<region>/<number>") }
        guard (1...StreamHistory.maxLimit).contains(pageSize) else { throw ValidationError("--page-size must be 1…\(StreamHistory.maxLimit)") }
    }

    func run() async throws {
        var events: [StreamHistoryEvent] = []
        var after: Int64 = 0
        while true {
            guard let page = try await fetch(after: after) else {
                FileHandle.standardError.write(Data("no stream \(subject) in the log of record\n".utf8))
                throw ExitCode(2)
            }
            events += page.events
            guard page.more, let last = page.events.last?.sequence else { break }
            after = last
        }
        print(Self.render(events, subject: subject, format: format), terminator: "")
        let broken = events.filter { !$0.linkOK }.count
        if broken > 0 {
            FileHandle.standardError.write(Data("\(broken) of \(events.count) links of \(subject) do not check\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The server's page: `next` is an opaque cursor there; a sequence is also taken as `after`.
    struct ServerPage: Decodable {
        var events: [StreamHistoryEvent]
        var next: String?
    }

    /// The events after sequence `after` and whether more follow; nil for a stream the log does not hold.
    private func fetch(after: Int64) async throws -> (events: [StreamHistoryEvent], more: Bool)? {
        if let databaseURL {
            var logger = Logger(label: "chancery.history")
            logger.logLevel = .warning
            let client = PostgresClient(url: databaseURL, maxConnections: 1, logger: logger)
            do {
                let page = try await StreamHistory.read(subject: subject, after: after, limit: pageSize, database: client)
                await client.shutdown()
                return page.map { ($0.events, $0.next != nil) }
            } catch {
                await client.shutdown()
                throw error
            }
        }
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        var request = HTTPClientRequest(url: "\(base)/v1/streams/\(Self.percentEncoded(subject))?after=\(after)&limit=\(pageSize)")
        if let bearer = token ?? ProcessInfo.processInfo.environment["CHANCERY_TOKEN"] {
            request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 512 * 1024 * 1024)
        if response.status.code == 404 { return nil }
        guard response.status.code == 200 else {
            throw HistoryError(description: "the server answered \(response.status.code): \(String(buffer: body))")
        }
        let page = try JSONDecoder().decode(ServerPage.self, from: Data(Array(buffer: body)))
        return (page.events, page.next != nil)
    }

    /// Every byte outside the RFC 3986 unreserved set percent-encoded (slashes and non-ASCII included).
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func render(_ events: [StreamHistoryEvent], subject: String, format: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json<T: Encodable>(_ value: T?) -> String {
            guard let value, let data = try? encoder.encode(value) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        switch format {
        case "jsonl":
            return events.map { json($0) + "\n" }.joined()
        case "csv":
            var lines = [StreamHistoryEvent.csvHeader.joined(separator: ",")]
            for e in events {
                lines.append(e.csvFields.map(csvField).joined(separator: ","))
            }
            return lines.map { $0 + "\r\n" }.joined()
        default:
            var rows: [[String]] = [["pos", "topic", "part", "offset", "seq", "recorded", "type", "prevhash", "hash", "link", "upcast"]]
            for e in events {
                rows.append([
                    String(e.position), e.topic, String(e.partition), e.offset.map(String.init) ?? "-", e.sequence.map(String.init) ?? "?",
                    e.recordedTime ?? "?", e.type ?? "?", String((e.prevhash ?? "?").prefix(12)), String((e.hash ?? "?").prefix(12)),
                    e.linkOK ? "ok" : "BROKEN", e.upcastDataschema.map { "→ v" + ($0.split(separator: ":").last.map(String.init) ?? "?") } ?? "",
                ])
            }
            let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
            var out = "\(subject): \(events.count) events, \(events.filter { !$0.linkOK }.count) broken links\n"
            for row in rows {
                out += zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces) + "\n"
            }
            for e in events where !e.linkOK {
                out += "position \(e.position) (sequence \(e.sequence.map(String.init) ?? "?")): \(e.problems.joined(separator: "; "))\n"
            }
            return out
        }
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The server refused the history request.
struct HistoryError: Error, CustomStringConvertible {
    var description: String
}
