import ChanceryDomain
import ChanceryPostgres
import Foundation

/// Projects the case events of a batch into `approval.cases` and `approval.daily_counts`.
///
/// Each case is folded in memory by the domain's one fold (``CaseFile/evolve(_:_:on:calendar:rules:)``): the files of
/// the batch's cases are read in one query, every event of the batch is folded in order, and each changed case is
/// written once with one statement for all of them (rows as one JSON array, `jsonb_to_recordset`); the daily counts
/// are summed in memory and written with one statement. The file itself is stored in `approval.cases.case_file`; a
/// row written by a version before the file existed (`case_file` null) is folded again from its events in
/// `audit.events` up to its `last_sequence`.
struct CaseProjection {
    let calendars: RegionCalendars
    let rules: CaseFile.Rules

    /// One case's row as the batch changes it: the file, and the times of the events that set a timestamp column.
    private struct Row {
        var subject: String
        var region: String
        var caseNumber: String?
        var applicantName: String?
        var file: CaseFile
        var lastSequence: Int64
        /// Column → the event's `time` (RFC 3339), for the columns this batch sets; `submitted_at` always (the row's
        /// insert needs it even when it exists).
        var times: [String: String] = [:]
    }

    /// Projects `events` (case events in log order, each with its typed value).
    func apply(_ events: [(event: CloudEvent, caseEvent: CaseEvent)], on db: PostgresConnection) async throws {
        guard !events.isEmpty else { return }
        var rows = try await load(Set(events.map(\.event.subject)), on: db)
        var counts: [CountKey: [String: Int]] = [:]
        var changed: Set<String> = []
        for (event, caseEvent) in events {
            let (calendar, day) = try calendars.calendarAndDay(of: event)
            let existing = rows[event.subject]
            guard CaseFile.allows(caseEvent, after: existing?.file),
                  let file = CaseFile.evolve(existing?.file, caseEvent, on: day, calendar: calendar, rules: rules) else { continue }
            var row: Row
            if let existing {
                row = existing
                row.file = file
            } else {
                guard case .submitted(let caseNumber, _, _, let applicantName) = caseEvent else { continue }
                row = Row(subject: event.subject, region: event.region, caseNumber: caseNumber, applicantName: applicantName, file: file, lastSequence: 0)
            }
            row.lastSequence = event.sequence ?? row.lastSequence
            if let column = Self.timeColumn(caseEvent), column != "review_completed_at" || row.times[column] == nil {
                row.times[column] = event.time
            }
            if let column = Self.countColumn(caseEvent) {
                let key = CountKey(region: row.region, departmentCode: file.lifecycle.departmentCode, itemCode: file.lifecycle.itemCode, day: day)
                counts[key, default: [:]][column, default: 0] += 1
            }
            rows[event.subject] = row
            changed.insert(event.subject)
        }
        try await write(changed.sorted().compactMap { rows[$0] }, on: db)
        try await write(counts, on: db)
    }

    /// The timestamp column an event sets (its `time`); `review_completed_at` keeps the first review.
    private static func timeColumn(_ event: CaseEvent) -> String? {
        switch event {
        case .submitted: "submitted_at"
        case .accepted: "accepted_at"
        case .refused: "refused_at"
        case .stepCompleted(let step): step == .review ? "review_completed_at" : nil
        case .reportedUpward: "reported_upward_at"
        case .returnedFromUpward: "returned_from_upward_at"
        case .decided: "decided_at"
        case .concluded: "concluded_at"
        case .delivered: "delivered_at"
        case .withdrawn: "withdrawn_at"
        case .urged: "urged_at"
        case .rated: "rated_at"
        case .badRatingRectified: "rectified_at"
        case .supplementRequested, .supplementReceived, .specialProcedureStarted, .specialProcedureEnded: nil
        }
    }

    /// The column of `approval.daily_counts` an event adds one to.
    private static func countColumn(_ event: CaseEvent) -> String? {
        switch event {
        case .submitted: "submitted"
        case .accepted: "accepted"
        case .refused: "refused"
        case .concluded: "concluded"
        default: nil
        }
    }

    private struct CountKey: Hashable {
        var region: String
        var departmentCode: String
        var itemCode: String
        var day: CivilDate
    }

    /// The rows of `subjects` that exist, with their files (folded again from `audit.events` where none is stored).
    private func load(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: Row] {
        var rows: [String: Row] = [:]
        var legacy: [String: (region: String, caseNumber: String?, applicantName: String?, lastSequence: Int64, submittedAt: String)] = [:]
        let result = try await db.query(
            "SELECT subject, region, case_number, applicant_name, last_sequence, case_file::text, submitted_at::text FROM approval.cases WHERE subject = ANY(\(Array(subjects)))")
        let decoder = JSONDecoder()
        for r in result {
            let subject = try r.decode(String.self, at: 0), region = try r.decode(String.self, at: 1)
            let caseNumber = try r.decode(String?.self, at: 2), applicantName = try r.decode(String?.self, at: 3)
            let lastSequence = try r.decode(Int64.self, at: 4), submittedAt = try r.decode(String.self, at: 6)
            if let text = try r.decode(String?.self, at: 5) {
                let file = try decoder.decode(CaseFile.self, from: Data(text.utf8))
                rows[subject] = Row(subject: subject, region: region, caseNumber: caseNumber, applicantName: applicantName, file: file,
                                    lastSequence: lastSequence, times: ["submitted_at": submittedAt])
            } else {
                legacy[subject] = (region, caseNumber, applicantName, lastSequence, submittedAt)
            }
        }
        guard !legacy.isEmpty else { return rows }
        let logged = try await db.query(
            """
            SELECT e.subject, e.event::text FROM audit.events e JOIN approval.cases c USING (subject)
            WHERE e.subject = ANY(\(Array(legacy.keys))) AND e.sequence <= c.last_sequence ORDER BY e.subject, e.sequence
            """)
        var files: [String: CaseFile] = [:]
        for r in logged {
            let subject = try r.decode(String.self, at: 0)
            let event = UpcasterRegistry.standard.upcast(try decoder.decode(CloudEvent.self, from: Data(try r.decode(String.self, at: 1).utf8)))
            guard let caseEvent = CaseEvent(event) else { continue }
            let (calendar, day) = try calendars.calendarAndDay(of: event)
            files[subject] = CaseFile.evolve(files[subject], caseEvent, on: day, calendar: calendar, rules: rules)
        }
        for (subject, l) in legacy {
            guard let file = files[subject] else { continue }
            rows[subject] = Row(subject: subject, region: l.region, caseNumber: l.caseNumber, applicantName: l.applicantName, file: file,
                                lastSequence: l.lastSequence, times: ["submitted_at": l.submittedAt])
        }
        return rows
    }

    /// One JSON object per row, the columns of `approval.cases` by name (null where unknown).
    private func record(_ row: Row) throws -> [String: JSONValue] {
        let f = row.file
        let calendar = calendars.calendar(for: row.region)
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func int(_ value: Int?) -> JSONValue { value.map { JSONValue.integer(Int64($0)) } ?? .null }
        func date(_ value: CivilDate?) -> JSONValue { text(value?.description) }
        var record: [String: JSONValue] = [
            "subject": .string(row.subject), "region": .string(row.region), "case_number": text(row.caseNumber),
            "applicant_name": text(row.applicantName), "item_code": .string(f.lifecycle.itemCode),
            "department_code": .string(f.lifecycle.departmentCode), "status": .string(f.lifecycle.status.rawValue),
            "case_type": text(f.caseType?.rawValue), "accepted_on": date(f.clock?.acceptedOn), "decision": text(f.decision),
            "concluded_on": date(f.concludedOn), "promised_limit": int(f.clock?.promisedLimit.count),
            "statutory_limit": int(f.clock?.statutoryLimit?.count),
            "deadline": date(calendar.flatMap { f.clock?.deadline(.promised, calendar: $0) }),
            "statutory_deadline": date(calendar.flatMap { f.clock?.deadline(.statutory, calendar: $0) }),
            "working_days_used": int(f.daysUsed), "outcome": text(f.outcome?.rawValue),
            "clock": try f.clock.map { try JSONValue.string(jsonText($0)) } ?? .null,
            "last_sequence": .integer(row.lastSequence), "refusal_reason": text(f.refusalReason), "refused_on": date(f.refusedOn),
            "special_procedure_kind": text(f.lifecycle.specialProcedure), "special_procedures": int(f.clock?.specialProcedures.count ?? 0),
            "urges": int(f.lifecycle.urgeCount), "satisfaction_code": int(f.lifecycle.satisfactionCode),
            "follow_up_satisfaction_code": int(f.followUpSatisfactionCode), "promised_limit_unit": text(f.clock?.promisedLimitUnit.rawValue),
            "rectification_deadline": date(calendar.flatMap { c in f.rectification.map { $0.deadline(calendar: c) } }),
            "rectified_in_time": calendar.flatMap { f.rectifiedInTime(calendar: $0) }.map(JSONValue.bool) ?? .null,
            "urged_on": date(f.urgedOn), "urge_deadline": date(f.urge?.deadline),
            "urge_met": f.urgedOn == nil ? .null : .bool(f.urgeMet),
            "case_file": .string(try jsonText(f)),
        ]
        for column in Self.timeColumns { record[column] = text(row.times[column]) }
        return record
    }

    /// The timestamp columns, written when this batch set them (else kept).
    private static let timeColumns = ["submitted_at", "accepted_at", "refused_at", "review_completed_at", "reported_upward_at",
                                      "returned_from_upward_at", "decided_at", "concluded_at", "delivered_at", "withdrawn_at", "urged_at",
                                      "rated_at", "rectified_at"]

    /// The columns every write sets from the file.
    private static let fileColumns: [(name: String, type: String)] = [
        ("item_code", "text"), ("department_code", "text"), ("status", "text"), ("case_type", "text"), ("accepted_on", "date"),
        ("decision", "text"), ("concluded_on", "date"), ("promised_limit", "integer"), ("statutory_limit", "integer"), ("deadline", "date"),
        ("statutory_deadline", "date"), ("working_days_used", "integer"), ("outcome", "text"), ("clock", "jsonb"), ("last_sequence", "bigint"),
        ("refusal_reason", "text"), ("refused_on", "date"), ("special_procedure_kind", "text"), ("special_procedures", "integer"),
        ("urges", "integer"), ("satisfaction_code", "smallint"), ("follow_up_satisfaction_code", "smallint"), ("promised_limit_unit", "text"),
        ("rectification_deadline", "date"), ("rectified_in_time", "boolean"), ("urged_on", "date"), ("urge_deadline", "date"),
        ("urge_met", "boolean"), ("case_file", "jsonb"),
    ]

    /// The upsert of every changed row in one statement; `review_completed_at` keeps the first review.
    private static let upsertSQL = RecordsetUpsert(
        table: "approval.cases", inserted: [("subject", "text"), ("region", "text"), ("case_number", "text"), ("applicant_name", "text")],
        replaced: fileColumns, kept: timeColumns.map { ($0, "timestamptz") }, firstKept: ["review_completed_at"]).sql

    private func write(_ rows: [Row], on db: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        let document = JSONValue.array(try rows.map { .object(try record($0)) })
        try await db.execute(Self.upsertSQL, [try jsonText(document)])
    }

    /// Adds the batch's counts to `approval.daily_counts` in one statement.
    private func write(_ counts: [CountKey: [String: Int]], on db: PostgresConnection) async throws {
        guard !counts.isEmpty else { return }
        let document = JSONValue.array(counts.sorted { ($0.key.region, $0.key.departmentCode, $0.key.itemCode, $0.key.day.description)
            < ($1.key.region, $1.key.departmentCode, $1.key.itemCode, $1.key.day.description) }.map { key, columns in
            .object(["region": .string(key.region), "department_code": .string(key.departmentCode), "item_code": .string(key.itemCode),
                     "day": .string(key.day.description), "submitted": .integer(Int64(columns["submitted"] ?? 0)),
                     "accepted": .integer(Int64(columns["accepted"] ?? 0)), "refused": .integer(Int64(columns["refused"] ?? 0)),
                     "concluded": .integer(Int64(columns["concluded"] ?? 0))])
        })
        try await db.execute(
            """
            INSERT INTO approval.daily_counts (region, department_code, item_code, day, submitted, accepted, refused, concluded)
            SELECT region, department_code, item_code, day, submitted, accepted, refused, concluded
            FROM jsonb_to_recordset(\(jsonText(document))::jsonb) AS r(region text, department_code text, item_code text, day date, submitted integer,
                                                     accepted integer, refused integer, concluded integer)
            ON CONFLICT (region, department_code, item_code, day) DO UPDATE SET
                submitted = approval.daily_counts.submitted + EXCLUDED.submitted, accepted = approval.daily_counts.accepted + EXCLUDED.accepted,
                refused = approval.daily_counts.refused + EXCLUDED.refused, concluded = approval.daily_counts.concluded + EXCLUDED.concluded
            """)
    }
}
