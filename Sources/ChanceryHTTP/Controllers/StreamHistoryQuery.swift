import ChanceryDomain
import ChanceryGateway
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird

/// The query parameters of `GET /v1/streams/{subject}`, checked: the cursor, the page size and the filters.
///
/// The history is listed in sequence order; its keyset is the sequence. `after` is the opaque `next` of a previous page
/// (a ``ListCursor`` holding the last sequence shown; any base64url text names a place, ``ListCursor/integerKey``) or,
/// as before the list contract, a sequence in decimal digits.
/// Filters (AND): `type` (an event type of the catalogue), `timeFrom`, `timeTo` (business time `time`) and
/// `recordedFrom`, `recordedTo` (`recordedtime`, when the gateway appended the event), each a `YYYY-MM-DD` day in the
/// stream's region's time zone (``RegionCalendars/timeZoneIdentifier(for:)``), inclusive. An event whose stored bytes
/// do not decode has no type or times, so a filter on them leaves it out. A filtered event's `linkOK` is still checked
/// against its real predecessor in the stream, shown or not.
struct StreamHistoryQuery: Sendable {
    /// Events with a sequence above this one.
    var after: Int64 = 0
    /// Events per page.
    var limit = 1_000
    var type: String?
    var timeFrom: CivilDate?
    var timeTo: CivilDate?
    var recordedFrom: CivilDate?
    var recordedTo: CivilDate?
    /// The time zone the day filters count in.
    var timeZone: TimeZone

    /// Whether any filter is given.
    var filtered: Bool { type != nil || timeFrom != nil || timeTo != nil || recordedFrom != nil || recordedTo != nil }

    /// The checked parameters of `request` for a stream of `region`.
    /// - Throws: 400 `invalid-parameter` naming the parameter for a value it cannot take.
    init(_ request: Request, region: String) throws {
        let q = request.uri.queryParameters
        timeZone = TimeZone(identifier: RegionCalendars.shared.timeZoneIdentifier(for: region)) ?? TimeZone(secondsFromGMT: 0)!
        if let text = q["after"] {
            // A sequence in decimal (the paging of earlier versions), else an opaque cursor holding one.
            if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int64(text) {
                after = n
            } else {
                after = try ListCursor(token: text).integerKey
            }
        }
        if let text = q["limit"] {
            guard let n = Int(text), (1...StreamHistory.maxLimit).contains(n) else {
                throw ListFilter.invalid("limit", "must be an integer from 1 to \(StreamHistory.maxLimit)")
            }
            limit = n
        }
        if let text = q["type"] {
            guard EventCatalog.eventType(String(text)) != nil else {
                throw ListFilter.invalid("type", "must be an event type of the catalogue (e.g. gov.approval.case.submitted), not '\(text.prefix(100))'")
            }
            type = String(text)
        }
        func day(_ name: String) throws -> CivilDate? {
            guard let text = q[Substring(name)] else { return nil }
            return CivilDate(try ListFilter.day(name, String(text)))
        }
        timeFrom = try day("timeFrom")
        timeTo = try day("timeTo")
        recordedFrom = try day("recordedFrom")
        recordedTo = try day("recordedTo")
    }

    /// Whether `event` passes the filters.
    func matches(_ event: StreamHistoryEvent) -> Bool {
        if let type, event.type != type { return false }
        if timeFrom != nil || timeTo != nil {
            guard let day = self.day(event.time), timeFrom.map({ day >= $0 }) ?? true, timeTo.map({ day <= $0 }) ?? true else { return false }
        }
        if recordedFrom != nil || recordedTo != nil {
            guard let day = self.day(event.recordedTime), recordedFrom.map({ day >= $0 }) ?? true, recordedTo.map({ day <= $0 }) ?? true else { return false }
        }
        return true
    }

    /// The civil day of an RFC 3339 time in ``timeZone``; nil when absent or not RFC 3339.
    func day(_ text: String?) -> CivilDate? {
        guard let text, let instant = try? RFC3339Timestamp(parsing: text) else { return nil }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.epochSeconds)))
        return instant.civilDate(atOffsetSeconds: Int32(offset))
    }

    /// Events read from the journal per query while filtering or exporting.
    static let chunk = 1_000

    /// The matching events after ``after`` (at most `limit`; all when nil) and whether more match after them.
    /// - Returns: nil when the log of record holds no event of `subject`.
    func events(subject: String, limit: Int?, database: PostgresClient) async throws -> (events: [StreamHistoryEvent], more: Bool)? {
        var out: [StreamHistoryEvent] = []
        var cursor = after
        while true {
            let size = filtered ? Self.chunk : min(Self.chunk, (limit ?? Self.chunk) + 1)
            guard let page = try await StreamHistory.read(subject: subject, after: cursor, limit: size, database: database) else { return nil }
            for event in page.events where matches(event) {
                if let limit, out.count == limit { return (out, true) }
                out.append(event)
            }
            guard page.next != nil, let last = page.events.last?.sequence else { return (out, false) }
            cursor = last
        }
    }
}
