import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Projects the events of streams that owe a reply into `disclosure.requests` (依申请公开), `interaction.letters`,
/// `interaction.consultations` and `interaction.complaints`: what happened, and each one's reply clock with its deadline
/// and whether the reply came in time, a letter's holder, transfers, escalations, returns and latest urge (督办).
///
/// Each stream is folded in memory by the domain's one fold (``ReplyFile/evolve(_:_:on:calendar:rules:)``): the rows of
/// the batch's streams are read in one query per table, every event of the batch is folded in order, and each changed
/// row is written once, with one statement per table for all of them (rows as one JSON array, `jsonb_to_recordset`). The
/// file itself is stored in the row's `reply_file`; a row written by a version before it existed (`reply_file` null) is
/// folded again from its earlier events in `audit.events`.
struct ReplyProjection {
    let calendars: RegionCalendars
    let rules: ReplyFile.Rules

    /// One row as the batch changes it.
    private struct Row {
        var subject: String
        var region: String
        var file: ReplyFile
        var lastSequence: Int64
        /// Text columns given by the first event (the requester, the letter's title, …), carried on every write.
        var carried: [String: String]
        /// Column → value for the columns an event sets and later writes keep (timestamps, a request's note);
        /// `received_at` always (the row's insert needs it even when it exists).
        var times: [String: String] = [:]
    }

    /// Projects `events` (reply events in log order, each with its typed value).
    func apply(_ events: [(event: CloudEvent, replyEvent: ReplyEvent)], on db: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        var firstSequence: [String: Int64] = [:]
        for (event, _) in events where firstSequence[event.subject] == nil { firstSequence[event.subject] = event.sequence ?? 0 }
        var rows: [String: Row] = [:]
        for table in ReplyTable.all {
            let subjects = Set(events.map(\.event.subject).filter { StreamID($0)?.kind == table.kind })
            guard !subjects.isEmpty else { continue }
            rows.merge(try await load(subjects, from: table, before: firstSequence, on: db)) { a, _ in a }
        }
        var changed: Set<String> = []
        for (event, replyEvent) in events {
            let (calendar, day) = try calendars.calendarAndDay(of: event)
            let existing = rows[event.subject]
            guard ReplyFile.allows(replyEvent, after: existing?.file),
                  let file = ReplyFile.evolve(existing?.file, replyEvent, on: day, calendar: calendar, rules: rules) else { continue }
            var row = existing ?? Row(subject: event.subject, region: event.region, file: file, lastSequence: 0, carried: Self.carried(replyEvent))
            row.file = file
            row.lastSequence = event.sequence ?? row.lastSequence
            for (column, value) in Self.eventColumns(replyEvent, time: event.time) { row.times[column] = value }
            rows[event.subject] = row
            changed.insert(event.subject)
        }
        for table in ReplyTable.all {
            let written = changed.sorted().compactMap { rows[$0] }.filter { $0.file.kind == table.kind }
            guard !written.isEmpty else { continue }
            let document = JSONValue.array(try written.map { .object(try record($0, table)) })
            try await db.execute(table.upsertSQL, [try jsonText(document)])
        }
    }

    /// The text columns the first event gives, by column name.
    private static func carried(_ event: ReplyEvent) -> [String: String] {
        var values: [String: String?] = [:]
        switch event {
        case .requestReceived(_, let requesterName, let requesterKind, let description):
            values = ["requester_name": requesterName, "requester_kind": requesterKind, "description": description]
        case .letterReceived(_, let letterKind, let title, let writerName, _):
            values = ["letter_kind": letterKind, "title": title, "writer_name": writerName]
        case .inquiryReceived(_, _, _, let caseSubject, let channel, _):
            values = ["channel": channel, "case_subject": caseSubject]
        default:
            break
        }
        return values.compactMapValues { $0 }
    }

    /// The columns an event sets, kept by later writes: its timestamp column (its `time`), a request's note.
    private static func eventColumns(_ event: ReplyEvent, time: String) -> [String: String] {
        switch event {
        case .requestReceived, .letterReceived, .inquiryReceived: ["received_at": time]
        case .requestSupplementRequested: ["supplement_requested_at": time]
        case .requestSupplementReceived: ["supplement_received_at": time]
        case .requestExtended: ["extended_at": time]
        case .requestAnswered(_, let note): ["answered_at": time].merging(note.map { ["note": $0] } ?? [:]) { a, _ in a }
        case .reconsiderationFiled: ["reconsideration_filed_at": time]
        case .litigationFiled: ["litigation_filed_at": time]
        case .letterAccepted: ["accepted_at": time]
        case .letterUrged: ["urged_at": time]
        case .letterReplied: ["replied_at": time]
        case .inquiryAnswered: ["answered_at": time]
        case .thirdPartyConsulted, .reconsiderationDecided, .litigationDecided, .letterTransferred, .letterEscalated, .letterReturned,
             .letterExtensionGranted: [:]
        }
    }

    /// The rows of `subjects` in `table` that exist, with their files (folded again from `audit.events` where none is
    /// stored, from the events before the batch's first of each stream, `before`).
    private func load(_ subjects: Set<String>, from table: ReplyTable, before: [String: Int64], on db: PostgresConnection) async throws -> [String: Row] {
        let carriedList = table.carried.map { "\($0)" }.joined(separator: ", ")
        let result = try await db.query(
            "SELECT subject, region, reply_file::text, coalesce(last_sequence, 0), received_at::text, \(unescaped: carriedList) FROM \(unescaped: table.name) WHERE subject = ANY(\(Array(subjects)))")
        var rows: [String: Row] = [:]
        var legacy: [String: (region: String, carried: [String: String], receivedAt: String)] = [:]
        let decoder = JSONDecoder()
        for r in result {
            let subject = try r.decode(String.self, at: 0), region = try r.decode(String.self, at: 1)
            var carried: [String: String] = [:]
            for (i, column) in table.carried.enumerated() { carried[column] = try r.decode(String?.self, at: 5 + i) }
            let receivedAt = try r.decode(String.self, at: 4)
            guard let text = try r.decode(String?.self, at: 2) else {
                legacy[subject] = (region, carried, receivedAt)
                continue
            }
            rows[subject] = Row(subject: subject, region: region, file: try decoder.decode(ReplyFile.self, from: Data(text.utf8)),
                                lastSequence: try r.decode(Int64.self, at: 3), carried: carried, times: ["received_at": receivedAt])
        }
        guard !legacy.isEmpty else { return rows }
        let logged = try await db.query(
            "SELECT subject, sequence, event::text FROM audit.events WHERE subject = ANY(\(Array(legacy.keys))) ORDER BY subject, sequence")
        var files: [String: ReplyFile] = [:]
        var last: [String: Int64] = [:]
        for r in logged {
            let subject = try r.decode(String.self, at: 0), sequence = try r.decode(Int64.self, at: 1)
            guard sequence < before[subject] ?? .max else { continue }
            let event = UpcasterRegistry.standard.upcast(try decoder.decode(CloudEvent.self, from: Data(try r.decode(String.self, at: 2).utf8)))
            guard let replyEvent = ReplyEvent(event) else { continue }
            let (calendar, day) = try calendars.calendarAndDay(of: event)
            files[subject] = ReplyFile.evolve(files[subject], replyEvent, on: day, calendar: calendar, rules: rules)
            last[subject] = sequence
        }
        for (subject, l) in legacy {
            guard let file = files[subject] else { continue }
            rows[subject] = Row(subject: subject, region: l.region, file: file, lastSequence: last[subject] ?? 0, carried: l.carried,
                                times: ["received_at": l.receivedAt])
        }
        return rows
    }

    /// One JSON object per row, the columns of `table` by name (null where unknown).
    private func record(_ row: Row, _ table: ReplyTable) throws -> [String: JSONValue] {
        let f = row.file
        let calendar = calendars.calendar(for: row.region)
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func int(_ value: Int?) -> JSONValue { value.map { JSONValue.integer(Int64($0)) } ?? .null }
        func bool(_ value: Bool?) -> JSONValue { value.map(JSONValue.bool) ?? .null }
        var record: [String: JSONValue] = [
            "subject": .string(row.subject), "region": .string(row.region), "department_code": text(f.departmentCode),
            "item_code": text(f.itemCode), "mailbox": .string(f.mailbox ?? ""), "received_on": .string(f.receivedOn.description),
            "status": .string(Self.status(f)), "outcome": text(f.outcome), "reply_limit": int(f.replyLimit?.count),
            "extension_limit": int(f.extensionLimit?.count), "third_party_consultations": int(f.thirdPartyConsultations),
            "reconsideration_outcome": text(f.reconsiderationOutcome), "litigation_outcome": text(f.litigationOutcome),
            "transfers": int(f.transfers), "escalations": int(f.escalations), "urges": int(f.urges), "returns": int(f.returns),
            "published": bool(f.published), "substantiated": bool(f.substantiated),
            "clock": .string(try Self.clockJSON(f.clock)), "deadline": text(calendar.flatMap { f.clock.deadline(calendar: $0) }?.description),
            "answered_in_time": bool(calendar.flatMap { f.answeredInTime(calendar: $0) }),
            "replied_in_time": bool(calendar.flatMap { f.answeredInTime(calendar: $0) }),
            "urged_on": text(f.urgedOn?.description), "urge_deadline": text(f.urge?.deadline.description),
            "urge_met": f.urgedOn == nil ? .null : .bool(f.urgeMet),
            "reply_file": .string(try jsonText(f)), "last_sequence": .integer(row.lastSequence),
        ]
        // A request's department is required; a malformed record without one must not stop the consumer.
        if table.kind != "letter" { record["department_code"] = .string(f.departmentCode ?? "") }
        for column in table.carried { record[column] = table.required.contains(column) ? .string(row.carried[column] ?? "") : text(row.carried[column]) }
        for (column, _) in table.eventColumns { record[column] = text(row.times[column]) }
        return record
    }

    /// The `clock` column: the clock itself (a DisclosureRequestClock or an InteractionClock), as the columns always held.
    private static func clockJSON(_ clock: ReplyClock) throws -> String {
        switch clock {
        case .request(let c): try jsonText(c)
        case .interaction(let c): try jsonText(c)
        }
    }

    /// The `status` column of a letter (`received`, `accepted`, `replied`); the lifecycle status of the others.
    private static func status(_ file: ReplyFile) -> String {
        switch file.lifecycle {
        case .letter(let s): s.status.rawValue
        case .request(let s): s.status.rawValue
        case .consultation(let s), .complaint(let s): s.status.rawValue
        default: ""
        }
    }
}

/// The read-model table of one kind of reply stream: its columns by how each is written.
private struct ReplyTable {
    /// `disclosure.requests`, `interaction.letters`, …
    var name: String
    /// The stream kind (`request`, `letter`, `consultation`, `complaint`).
    var kind: String
    /// Text columns the first event gives; `required` ones are NOT NULL (written "" when a malformed record lacks them).
    var carried: [String]
    var required: Set<String> = []
    /// Columns every write sets from the file, with their SQL types.
    var fileColumns: [(name: String, type: String)]
    /// Columns an event sets and later writes keep (`coalesce`), with their SQL types.
    var eventColumns: [(name: String, type: String)]

    static let all: [ReplyTable] = [
        ReplyTable(
            name: "disclosure.requests", kind: "request", carried: ["requester_name", "requester_kind", "description"],
            required: ["requester_name", "requester_kind", "description"],
            fileColumns: [("department_code", "text"), ("received_on", "date"), ("outcome", "text"), ("extension_limit", "integer"),
                          ("third_party_consultations", "integer"), ("reconsideration_outcome", "text"), ("litigation_outcome", "text"),
                          ("clock", "jsonb"), ("deadline", "date"), ("answered_in_time", "boolean"), ("reply_file", "jsonb"),
                          ("last_sequence", "bigint")],
            eventColumns: [("received_at", "timestamptz"), ("supplement_requested_at", "timestamptz"), ("supplement_received_at", "timestamptz"),
                           ("extended_at", "timestamptz"), ("answered_at", "timestamptz"), ("reconsideration_filed_at", "timestamptz"),
                           ("litigation_filed_at", "timestamptz"), ("note", "text")]),
        ReplyTable(
            name: "interaction.letters", kind: "letter", carried: ["letter_kind", "title", "writer_name"], required: ["title", "writer_name"],
            fileColumns: [("mailbox", "text"), ("status", "text"), ("reply_limit", "integer"), ("department_code", "text"), ("transfers", "integer"),
                          ("escalations", "integer"), ("urges", "integer"), ("returns", "integer"), ("extension_limit", "integer"),
                          ("published", "boolean"), ("clock", "jsonb"), ("deadline", "date"), ("replied_in_time", "boolean"), ("received_on", "date"),
                          ("urged_on", "date"), ("urge_deadline", "date"), ("urge_met", "boolean"), ("reply_file", "jsonb"), ("last_sequence", "bigint")],
            eventColumns: [("received_at", "timestamptz"), ("accepted_at", "timestamptz"), ("replied_at", "timestamptz"), ("urged_at", "timestamptz")]),
        ReplyTable(
            name: "interaction.consultations", kind: "consultation", carried: ["channel"],
            fileColumns: [("department_code", "text"), ("item_code", "text"), ("reply_limit", "integer"), ("clock", "jsonb"), ("deadline", "date"),
                          ("replied_in_time", "boolean"), ("received_on", "date"), ("reply_file", "jsonb"), ("last_sequence", "bigint")],
            eventColumns: [("received_at", "timestamptz"), ("answered_at", "timestamptz")]),
        ReplyTable(
            name: "interaction.complaints", kind: "complaint", carried: ["channel", "case_subject"],
            fileColumns: [("department_code", "text"), ("item_code", "text"), ("reply_limit", "integer"), ("substantiated", "boolean"),
                          ("clock", "jsonb"), ("deadline", "date"), ("replied_in_time", "boolean"), ("received_on", "date"), ("reply_file", "jsonb"),
                          ("last_sequence", "bigint")],
            eventColumns: [("received_at", "timestamptz"), ("answered_at", "timestamptz")]),
    ]

    /// The upsert of every changed row in one statement: file columns replaced, event columns kept unless this batch
    /// set them, carried columns as first given.
    var upsertSQL: String {
        RecordsetUpsert(table: name, inserted: [("subject", "text"), ("region", "text")] + carried.map { ($0, "text") },
                        replaced: fileColumns, kept: eventColumns).sql
    }
}
