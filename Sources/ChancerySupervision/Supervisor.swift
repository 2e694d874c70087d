import ChanceryDomain
import ChanceryPostgres
import ChanceryRuntime
import Foundation
import Logging

/// The supervision consumer (电子监察, DESIGN.md "supervisor") over `gov.approval`, `gov.disclosure` and
/// `gov.interaction`. It keeps every case's clock in `supervision.case_clocks` (working days or calendar days,
/// supplements and special procedures excluded, promised and statutory limits, step times, urges, the
/// rectification of a bad rating) and every disclosure request's, letter's, consultation's and complaint's
/// reply clock in `supervision.reply_clocks`, and appends to `gov.supervision`:
///
/// - a yellow card (`DeadlineWarningRaised`) when a running case or an unanswered request, letter, consultation
///   or complaint reaches the threshold of the ``SupervisionPolicy`` (by default 80 % of its limit used or two
///   days left);
/// - a red card (`DeadlineBreached`) when it passes its deadline, or when a case's handling step passes its own
///   limit (`step`, ``StepLimits``);
/// - `IrregularityFlagged` for a refusal or disapproval without a reason, a decision without the review step, a
///   second supplement request, an urge (督办, CaseUrged or LetterUrged) not acted on by its deadline (it
///   escalates), and a bad rating not rectified within its limit;
/// - `AlertResolved` for the deadline and step cards when the case concludes, is refused or withdrawn, or the
///   request, letter, consultation or complaint is answered.
///
/// Time advances by event time: a stream's own later event, or the supervisor's watermark — per region and
/// topic, the minimum over the topic's partitions of the latest business time seen — passing a stream's next due
/// day. In live mode
/// (``tick(now:on:)``, driven by a timer) the wall clock moves time too, so a case that simply sits goes
/// yellow then red. Alerts have deterministic ids and contents (``SupervisionAlerts``, ``DeadlineAlerts``), so
/// both modes, a replay and a restart give the same alerts and the gateway appends each once.
public struct Supervisor: ReadModelHandler {
    /// The consumer group of the supervisor.
    public static let consumerGroup = "chancery-supervisor"

    private let calendars: RegionCalendars
    private let policy: SupervisionPolicy
    private let limits: InteractionLimits
    private let topicNames: TopicNames
    private let logger: Logger
    /// The rules of the case file: the policy's urge limit, the rectification limit.
    private var rules: CaseFile.Rules { CaseFile.Rules(urgeLimit: policy.urgeLimit, interactionLimits: limits) }

    /// - Parameters:
    ///   - policy: card thresholds per item and case type, step limits, the urge limit.
    ///   - interactionLimits: reply limits of letters, consultations and complaints that do not carry their own,
    ///     and the rectification limit of a bad rating (working days).
    ///   - topics: the topic names the consumer reads (their prefix), to tell the watermarks of the three topics apart.
    public init(calendars: RegionCalendars, policy: SupervisionPolicy = .standard,
                interactionLimits: InteractionLimits = .defaults, topics: TopicNames = TopicNames(), logger: Logger) {
        self.calendars = calendars
        self.policy = policy
        self.limits = interactionLimits
        self.topicNames = topics
        self.logger = logger
    }

    /// The stream kinds the supervisor watches: cases, disclosure requests, letters, consultations and complaints.
    public static let watchedStreamKinds = ["case"] + ReplyWatch.kinds.sorted()

    /// The topics the supervisor consumes: `gov.approval`, `gov.disclosure` and `gov.interaction` under `topics`' names.
    public static func topics(_ topics: TopicNames) -> [String] {
        [CanonicalTopic.approval, CanonicalTopic.disclosure, CanonicalTopic.interaction].map(topics.canonical)
    }

    /// Folds `events` into the watched streams and returns the alerts they and the region's new time raise, for the
    /// runner to append after the batch commits (through its outbox).
    public func apply(_ events: [ConsumedEvent], on db: PostgresConnection) async throws -> [CloudEvent] {
        let upcast = events.map { ($0, UpcasterRegistry.standard.upcast($0.event)) }
        let subjects = Set(upcast.map(\.1.subject))
        var cases = try await loadCases(subjects.filter { $0.hasPrefix("case/") }, on: db)
        var replies = try await loadReplies(subjects.filter { ReplyWatch.kinds.contains(StreamID($0)?.kind ?? "") }, on: db)
        var alerts: [CloudEvent] = []
        var latest: [String: (region: String, topic: String, partition: Int32, time: RFC3339Timestamp)] = [:]
        var touched: Set<String> = []

        for (consumed, event) in upcast {
            guard let instant = try? RFC3339Timestamp(parsing: event.time) else { continue }
            let key = "\(event.region)#\(consumed.topic)#\(consumed.partition)"
            if latest[key].map({ $0.time < instant }) ?? true { latest[key] = (event.region, consumed.topic, consumed.partition, instant) }
            guard let name = EventCatalog.eventType(event.type)?.name, let calendar = calendars.calendar(for: event.region) else { continue }
            let day = calendar.civilDate(of: instant)
            if let caseEvent = CaseEvent(name: name, data: event.data) {
                if var watch = cases[event.subject] {
                    alerts += watch.observe(event, caseEvent, day: day, calendar: calendar, policy: policy, rules: rules)
                    cases[event.subject] = watch
                } else if let file = CaseFile.evolve(nil, caseEvent, on: day, calendar: calendar, rules: rules) {
                    cases[event.subject] = CaseWatch(subject: event.subject, region: event.region, file: file, lastSequence: event.sequence ?? 0)
                } else { continue }
            } else if let replyEvent = ReplyEvent(name: name, data: event.data) {
                if var watch = replies[event.subject] {
                    alerts += watch.observe(event, replyEvent, day: day, calendar: calendar, policy: policy, rules: rules)
                    replies[event.subject] = watch
                } else if let file = ReplyFile.evolve(nil, replyEvent, on: day, calendar: calendar, rules: rules) {
                    replies[event.subject] = ReplyWatch(subject: event.subject, region: event.region, file: file, lastSequence: event.sequence ?? 1)
                } else { continue }
            } else { continue }
            touched.insert(event.subject)
        }
        let written = touched.sorted()
        try await save(written.compactMap { cases[$0] }, on: db)
        try await save(written.compactMap { replies[$0] }, on: db)

        for (_, w) in latest {
            try await db.execute(
                """
                INSERT INTO supervision.watermarks (consumer_group, region, topic, partition, event_time) VALUES (\(Supervisor.consumerGroup), \(w.region), \(w.topic), \(w.partition), \(w.time.description)::timestamptz)
                ON CONFLICT (consumer_group, region, topic, partition)
                DO UPDATE SET event_time = greatest(supervision.watermarks.event_time, EXCLUDED.event_time)
                """)
        }
        return alerts + (try await raiseDue(now: nil, on: db))
    }

    /// Live mode: raises the alerts due by the wall clock `now` (or by the region's watermark, if later) in every
    /// region with watched streams. Safe beside the consumer: the same alert gets the same id from both.
    /// - Returns: the alerts raised, to append through the outbox.
    public func tick(now: Date, on db: PostgresConnection) async throws -> [CloudEvent] {
        try await raiseDue(now: now, on: db)
    }

    /// Raises the alerts of the streams whose next due day their region's time has reached, and saves them with
    /// their next due day. A region's time is taken per topic — `gov.approval` for cases, `gov.disclosure` for
    /// requests, `gov.interaction` for letters, consultations and complaints — as its watermark: the minimum, over
    /// the topic's partitions carrying the region's events, of the latest business time seen, so a partition read
    /// ahead of the others cannot make a stream on a slower one look late, and a topic whose events for the region
    /// stopped earlier does not hold back the others. In live mode `now` wins when later.
    private func raiseDue(now: Date?, on db: PostgresConnection) async throws -> [CloudEvent] {
        var raisedAll: [CloudEvent] = []
        let regions = try await db.query(
            """
            SELECT region FROM supervision.case_clocks WHERE next_due_on IS NOT NULL
            UNION SELECT region FROM supervision.reply_clocks WHERE next_due_on IS NOT NULL ORDER BY 1
            """)
        for row in regions {
            let region = try row.decode(String.self, at: 0)
            guard let calendar = calendars.calendar(for: region) else { continue }
            let marks = try await db.query(
                """
                SELECT topic, to_char(min(event_time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM supervision.watermarks
                WHERE consumer_group = \(Supervisor.consumerGroup) AND region = \(region) GROUP BY topic
                """)
            var byTopic: [String: CivilDate] = [:]
            for mark in marks {
                if let time = try? RFC3339Timestamp(parsing: try mark.decode(String.self, at: 1)) {
                    byTopic[try mark.decode(String.self, at: 0)] = calendar.civilDate(of: time)
                }
            }
            let wall = now.map { calendar.civilDate(of: RFC3339Timestamp(epochSeconds: Int64($0.timeIntervalSince1970.rounded(.down)))) }
            /// The region's day by `topic` (canonical name) and the wall clock; `nil` when neither knows one.
            func today(_ topic: String) -> CivilDate? {
                [byTopic[topicNames.canonical(topic)], wall].compactMap { $0 }.max()
            }
            func due(_ sql: String, _ day: CivilDate?) async throws -> Set<String> {
                guard let day else { return [] }
                return Set(try await db.query(PostgresQuery(unsafeSQL: sql, binds: [region, day.description])).map { try $0.decode(String.self, at: 0) })
            }
            let caseDay = today(CanonicalTopic.approval), requestDay = today(CanonicalTopic.disclosure), otherDay = today(CanonicalTopic.interaction)
            let cases = try await loadCases(try await due(
                "SELECT subject FROM supervision.case_clocks WHERE region = $1 AND next_due_on <= $2::date", caseDay), on: db)
            let replies = try await loadReplies(try await due(
                "SELECT subject FROM supervision.reply_clocks WHERE region = $1 AND kind = 'request' AND next_due_on <= $2::date", requestDay)
                .union(try await due(
                    "SELECT subject FROM supervision.reply_clocks WHERE region = $1 AND kind <> 'request' AND next_due_on <= $2::date", otherDay)),
                on: db)
            var alerts: [CloudEvent] = []
            var watchedCases: [CaseWatch] = []
            var watchedReplies: [ReplyWatch] = []
            for var watch in cases.values.sorted(by: { $0.subject < $1.subject }) {
                guard let day = caseDay else { continue }
                let raised = watch.dueAlerts(on: day, calendar: calendar, policy: policy)
                watch.record(raised)
                alerts += raised
                watchedCases.append(watch)
            }
            for var watch in replies.values.sorted(by: { $0.subject < $1.subject }) {
                guard let day = watch.kind == "request" ? requestDay : otherDay else { continue }
                let raised = watch.dueAlerts(on: day, calendar: calendar, policy: policy)
                watch.record(raised)
                alerts += raised
                watchedReplies.append(watch)
            }
            raisedAll += alerts
            try await save(watchedCases, on: db)
            try await save(watchedReplies, on: db)
        }
        return raisedAll
    }

    private func loadCases(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: CaseWatch] {
        guard !subjects.isEmpty else { return [:] }
        let result = try await db.query(
            """
            SELECT subject, region, department_code, item_code, status, clock::text, concluded_on::text, working_days_used, outcome,
                   red_alert_id, last_sequence, case_type, yellow_alert_id, irregularity_alert_ids, review_completed, supplements, resolved_on::text,
                   urge::text, urge_met, steps_reported, steps_completed::text, step_alert_ids, rectification::text, rectified_on::text,
                   case_file::text
            FROM supervision.case_clocks WHERE subject = ANY(\(Array(subjects)))
            """)
        var rows: [String: CaseWatch] = [:]
        for r in result {
            let file = try decodeJSON(CaseFile.self, try r.decode(String?.self, at: 24)) ?? (try legacyFile(r))
            var row = CaseWatch(
                subject: try r.decode(String.self, at: 0), region: try r.decode(String.self, at: 1), file: file,
                yellowAlertID: try r.decode(String?.self, at: 12), redAlertID: try r.decode(String?.self, at: 9),
                irregularityAlertIDs: try r.decode([String].self, at: 13),
                resolvedOn: try r.decode(String?.self, at: 16).flatMap { CivilDate($0) },
                lastSequence: try r.decode(Int64.self, at: 10))
            row.stepAlertIDs = try r.decode([String].self, at: 21)
            rows[row.subject] = row
        }
        return rows
    }

    /// The case file of a row written before migration 0014 (no `case_file`), from its columns: everything the
    /// supervisor kept. The rating and the urge count, which it did not keep, stay unknown (nil, 0); the supervisor
    /// does not use them.
    private func legacyFile(_ r: PostgresRow) throws -> CaseFile {
        let clock = try decodeJSON(CaseClock.self, try r.decode(String?.self, at: 5))
        let legacyStatus = try r.decode(String.self, at: 4)
        let status = legacyStatus == "special-procedure" ? .accepted : CaseState.Status(rawValue: legacyStatus) ?? .accepted
        var file = CaseFile(submitted: CaseState(
            status: status, itemCode: try r.decode(String.self, at: 3), departmentCode: try r.decode(String.self, at: 2),
            specialProcedure: clock?.runningSpecialProcedure?.kind.rawValue, rectified: try r.decode(String?.self, at: 23) != nil))
        file.caseType = try r.decode(String?.self, at: 11).flatMap(CaseType.init(rawValue:))
        file.clock = clock
        file.concludedOn = try r.decode(String?.self, at: 6).flatMap { CivilDate($0) }
        file.daysUsed = try r.decode(Int?.self, at: 7)
        file.outcome = try r.decode(String?.self, at: 8).flatMap { CaseOutcome(rawValue: $0) }
        file.supplements = try r.decode(Int.self, at: 15)
        file.stepsReported = try r.decode(Bool.self, at: 19)
        file.stepsCompleted = try decodeJSON([String: CivilDate].self, try r.decode(String.self, at: 20)) ?? [:]
        file.urge = try decodeJSON(Urge.self, try r.decode(String?.self, at: 17))
        file.urgedOn = file.urge?.urgedOn
        file.urgeMet = try r.decode(Bool.self, at: 18)
        file.rectification = try decodeJSON(InteractionClock.self, try r.decode(String?.self, at: 22))
        file.rectifiedOn = try r.decode(String?.self, at: 23).flatMap { CivilDate($0) }
        return file
    }

    /// Writes the case clocks `rows` (one statement per ``MultiRowUpsert/rowsPerStatement(columns:)`` rows).
    private func save(_ rows: [CaseWatch], on db: PostgresConnection) async throws {
        try await Self.caseClocksUpsert.execute(try rows.map(caseClockValues), on: db)
    }

    /// `supervision.case_clocks`: every column from the watch; an existing row keeps its `region`, `department_code` and
    /// `item_code`.
    private static let caseClocksUpsert = MultiRowUpsert(
        table: "supervision.case_clocks",
        columns: [("subject", ""), ("region", ""), ("department_code", ""), ("item_code", ""), ("status", ""), ("accepted_on", "::date"),
                  ("promised_limit", ""), ("clock", "::jsonb"), ("deadline", "::date"), ("concluded_on", "::date"), ("working_days_used", ""),
                  ("outcome", ""), ("red_alert_id", ""), ("last_sequence", ""), ("case_type", ""), ("statutory_deadline", "::date"),
                  ("yellow_on", "::date"), ("yellow_alert_id", ""), ("irregularity_alert_ids", ""), ("review_completed", ""), ("supplements", ""),
                  ("resolved_on", "::date"), ("urge", "::jsonb"), ("urge_met", ""), ("steps_reported", ""), ("steps_completed", "::jsonb"),
                  ("step_alert_ids", ""), ("rectification", "::jsonb"), ("rectified_on", "::date"), ("next_due_on", "::date"), ("case_file", "::jsonb")],
        kept: ["subject", "region", "department_code", "item_code"])

    /// The values of ``caseClocksUpsert``'s columns for one watch.
    private func caseClockValues(_ row: CaseWatch) throws -> [(any PostgresEncodable)?] {
        let calendar = calendars.calendar(for: row.region)
        let deadline = calendar.flatMap { c in row.clock.flatMap { $0.deadline(.promised, calendar: c)?.description } }
        let statutory = calendar.flatMap { c in row.clock.flatMap { $0.deadline(.statutory, calendar: c)?.description } }
        let yellowOn = calendar.flatMap { c in
            row.clock.flatMap { DeadlineCards.yellowDate(for: $0, threshold: policy.yellowThreshold(itemCode: row.itemCode, caseType: row.caseType), calendar: c)?.description }
        }
        return [row.subject, row.region, row.departmentCode, row.itemCode, row.file.lifecycle.status.rawValue, row.clock?.acceptedOn.description,
                row.clock.map { Int64($0.promisedLimit.count) }, try row.clock.map(jsonText), deadline, row.file.concludedOn?.description,
                row.file.concludedOn == nil ? nil : row.file.daysUsed.map { Int64($0) }, row.file.outcome?.rawValue, row.redAlertID, row.lastSequence, row.caseType?.rawValue,
                statutory, yellowOn, row.yellowAlertID, row.irregularityAlertIDs, row.file.reviewCompleted, Int64(row.file.supplements),
                row.resolvedOn?.description, try row.urge.map(jsonText), row.urgeMet, row.file.stepsReported,
                try jsonText(row.stepsCompleted), row.stepAlertIDs, try row.rectification.map(jsonText), row.rectifiedOn?.description,
                calendar.flatMap { row.nextDueDate(calendar: $0, policy: policy)?.description }, try jsonText(row.file)]
    }

    private func loadReplies(_ subjects: Set<String>, on db: PostgresConnection) async throws -> [String: ReplyWatch] {
        guard !subjects.isEmpty else { return [:] }
        let result = try await db.query(
            """
            SELECT subject, region, kind, department_code, mailbox, item_code, clock::text, answered_on::text, yellow_alert_id, red_alert_id,
                   urge::text, urge_met, irregularity_alert_ids, last_sequence, reply_file::text
            FROM supervision.reply_clocks WHERE subject = ANY(\(Array(subjects)))
            """)
        var rows: [String: ReplyWatch] = [:]
        for r in result {
            guard let file = try decodeJSON(ReplyFile.self, try r.decode(String?.self, at: 14)) ?? (try legacyReplyFile(r)) else { continue }
            let row = ReplyWatch(
                subject: try r.decode(String.self, at: 0), region: try r.decode(String.self, at: 1), file: file,
                yellowAlertID: try r.decode(String?.self, at: 8), redAlertID: try r.decode(String?.self, at: 9),
                irregularityAlertIDs: try r.decode([String].self, at: 12), lastSequence: try r.decode(Int64.self, at: 13))
            rows[row.subject] = row
        }
        return rows
    }

    /// The reply file of a row written before migration 0023 (no `reply_file`), from its columns: the clock, who
    /// answers, the urge and the answer, all the supervisor used. The lifecycle position, which it did not keep, is
    /// taken from them: answered when it was, else the state that allows every later legal event of the kind (a
    /// request open, a letter accepted — so a LetterAccepted still to come is ignored and the limit it would name is
    /// the configured one; letters accepted before the upgrade are unaffected).
    private func legacyReplyFile(_ r: PostgresRow) throws -> ReplyFile? {
        guard let clock = try decodeJSON(ReplyClock.self, try r.decode(String.self, at: 6)) else { return nil }
        let kind = try r.decode(String.self, at: 2), answeredOn = try r.decode(String?.self, at: 7).flatMap { CivilDate($0) }
        let departmentCode = try r.decode(String.self, at: 3), mailbox = try r.decode(String?.self, at: 4)
        let lifecycle: AggregateState
        let receivedOn: CivilDate
        switch (kind, clock) {
        case ("request", .request(let c)):
            receivedOn = c.receivedOn
            let waiting = c.supplementRequestedOn != nil && c.supplementReceivedOn == nil
            lifecycle = .request(DisclosureRequestState(
                status: answeredOn != nil ? .answered : waiting ? .supplementing : .received, supplementRequested: c.supplementRequestedOn != nil,
                extended: c.extensionGranted != nil, thirdPartyConsultations: c.consultations.count))
        case ("letter", .interaction(let c)):
            receivedOn = c.startedOn
            let holder = departmentCode == mailbox ? nil : departmentCode
            lifecycle = .letter(LetterState(status: answeredOn != nil ? .replied : .accepted, transferredTo: holder, extended: !c.extensions.isEmpty))
        case ("consultation", .interaction(let c)), ("complaint", .interaction(let c)):
            receivedOn = c.startedOn
            let state = InteractionState(status: answeredOn != nil ? .answered : .received)
            lifecycle = kind == "consultation" ? .consultation(state) : .complaint(state)
        default:
            return nil
        }
        let urge = try decodeJSON(Urge.self, try r.decode(String?.self, at: 10))
        return ReplyFile(legacy: lifecycle, clock: clock, departmentCode: kind == "letter" && departmentCode == mailbox ? nil : departmentCode,
                         mailbox: mailbox, itemCode: try r.decode(String?.self, at: 5), receivedOn: receivedOn, answeredOn: answeredOn, urge: urge,
                         urgeMet: try r.decode(Bool.self, at: 11))
    }

    /// Writes the reply clocks `rows` (one statement per ``MultiRowUpsert/rowsPerStatement(columns:)`` rows).
    private func save(_ rows: [ReplyWatch], on db: PostgresConnection) async throws {
        try await Self.replyClocksUpsert.execute(try rows.map(replyClockValues), on: db)
    }

    /// `supervision.reply_clocks`: an existing row keeps its `region`, `kind`, `mailbox` and `item_code`.
    private static let replyClocksUpsert = MultiRowUpsert(
        table: "supervision.reply_clocks",
        columns: [("subject", ""), ("region", ""), ("kind", ""), ("department_code", ""), ("mailbox", ""), ("item_code", ""), ("clock", "::jsonb"),
                  ("deadline", "::date"), ("answered_on", "::date"), ("yellow_alert_id", ""), ("red_alert_id", ""), ("urge", "::jsonb"),
                  ("urge_met", ""), ("irregularity_alert_ids", ""), ("next_due_on", "::date"), ("last_sequence", ""), ("reply_file", "::jsonb")],
        kept: ["subject", "region", "kind", "mailbox", "item_code"])

    /// The values of ``replyClocksUpsert``'s columns for one watch.
    private func replyClockValues(_ row: ReplyWatch) throws -> [(any PostgresEncodable)?] {
        let calendar = calendars.calendar(for: row.region)
        return [row.subject, row.region, row.kind, row.departmentCode, row.file.mailbox, row.file.itemCode, try jsonText(row.clock),
                calendar.flatMap { row.clock.deadline(calendar: $0)?.description }, row.answeredOn?.description, row.yellowAlertID, row.redAlertID,
                try row.file.urge.map(jsonText), row.file.urgeMet, row.irregularityAlertIDs,
                calendar.flatMap { row.nextDueDate(calendar: $0, policy: policy)?.description }, row.lastSequence, try jsonText(row.file)]
    }

    private func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        try text.map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }
}
