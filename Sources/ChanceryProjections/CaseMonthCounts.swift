import ChanceryDomain
import ChanceryPostgres

/// Keeps the monthly counts behind the case metrics (`approval.monthly_counts`, `approval.monthly_working_days`,
/// `approval.monthly_limits`; migration 0024) in the projector's transaction, so that ``MetricsQueries`` reads sums
/// instead of every case row (issue 10, P5).
///
/// What a case contributes is defined once, by the view `approval.case_facts` over the case row and the alerts about
/// it (an acceptance, a refusal at intake, a conclusion, each card, in the month each counts in). A batch can change a
/// case row, or an alert about a case, or both, and a change can move a case's contribution from one month, item or
/// case type to another; so for every case a batch touches ``affectedCases(caseEvents:alertEvents:)`` the projector
/// calls ``subtract(_:on:)`` before it writes anything (the view as it was) and ``add(_:on:)`` after the batch's writes
/// (the view as it is now), then drops the rows that fell to zero. The counts therefore equal the sums of the view over
/// every case whatever the batches were, which is what a clean replay and ``recount(on:)`` compute.
///
/// Consumers of the same group may run in several processes, and a case's events and the alerts about it are on
/// different topics, hence possibly in two concurrent transactions: ``subtract(_:on:)`` first takes a transaction-level
/// advisory lock per case (in subject order, keyed by the counts table of this build and the subject's hash), so the
/// second transaction reads the case only after the first committed.
public struct CaseMonthCounts: Sendable {
    /// The cases whose contribution a batch may change: the subjects of its case events, the cases its raised alerts
    /// are about (`caseSubject`), and the case an urge-missed alert names in its id (`irregularity/urge-missed/<subject>`,
    /// how ``MetricsQueries`` finds it); sorted, without duplicates.
    static func affectedCases(caseEvents: [(event: CloudEvent, caseEvent: CaseEvent)],
                              alertEvents: [(event: CloudEvent, alertEvent: AlertEvent)]) -> [String] {
        var subjects = Set(caseEvents.map(\.event.subject))
        for (event, alertEvent) in alertEvents {
            guard case .raised(let alert) = alertEvent else { continue }
            if let caseSubject = alert.caseSubject { subjects.insert(caseSubject) }
            if event.id.hasPrefix(Self.urgeMissedPrefix) { subjects.insert(String(event.id.dropFirst(Self.urgeMissedPrefix.count))) }
        }
        return subjects.sorted()
    }

    /// The id prefix of the supervisor's urge-missed alert (UrgeRule.swift), followed by the case's subject.
    static let urgeMissedPrefix = "irregularity/urge-missed/"

    /// Locks `subjects` for this transaction and takes their current contribution off the counts.
    func subtract(_ subjects: [String], on db: PostgresConnection) async throws {
        guard !subjects.isEmpty else { return }
        try await db.execute(PostgresQuery(unsafeSQL: Self.lockSQL, binds: [subjects]))
        try await db.execute(PostgresQuery(unsafeSQL: Self.changeSQL, binds: [subjects, Int64(-1)]))
    }

    /// Adds the current contribution of `subjects` to the counts, then deletes the rows that fell to zero.
    func add(_ subjects: [String], on db: PostgresConnection) async throws {
        guard !subjects.isEmpty else { return }
        try await db.execute(PostgresQuery(unsafeSQL: Self.changeSQL, binds: [subjects, Int64(1)]))
        try await db.execute(PostgresQuery(unsafeSQL: Self.deleteSpentSQL))
    }

    /// Computes the counts again from every case row and alert, in one transaction (what the backfill of migration
    /// 0024 does): after rows were written other than by the projector (the P5 benchmark copies case rows), or to
    /// repair them. Takes as long as reading every case once (seconds for a million).
    /// - Throws: ``PostgresError``.
    public static func recount(database: PostgresClient) async throws {
        try await database.transaction { db in
            try await db.execute("LOCK TABLE approval.monthly_counts, approval.monthly_working_days, approval.monthly_limits IN EXCLUSIVE MODE")
            try await db.execute("DELETE FROM approval.monthly_counts")
            try await db.execute("DELETE FROM approval.monthly_working_days")
            try await db.execute("DELETE FROM approval.monthly_limits")
            try await db.execute(PostgresQuery(unsafeSQL: changeSQL, binds: [String?.none, Int64(1)]))
        }
    }

    /// One transaction-level advisory lock per subject, taken in order. The first key is the counts table's oid, so
    /// a replay or a rebuild (its own tables, reached through a schema route) never waits for the live projector.
    static let lockSQL = """
        SELECT pg_advisory_xact_lock('approval.monthly_counts'::regclass::oid::int4, k)
        FROM (SELECT DISTINCT hashtext(s) AS k FROM unnest($1::text[]) AS s ORDER BY 1) AS keys
        """

    /// Adds `$2` (1 or −1) times the facts of the cases `$1` (null: every case) to the three tables, in one statement
    /// (the facts read once). Rows go in key order, as every writer of the tables does, to keep lock waits short.
    static let changeSQL = """
        WITH f AS MATERIALIZED (
          SELECT * FROM approval.case_facts WHERE $1::text[] IS NULL OR subject = ANY($1::text[])
        ), counts AS (
          INSERT INTO approval.monthly_counts AS t
          SELECT region, department_code, item_code, case_type, month, $2 * count(*), $2 * sum(accepted), $2 * sum(refused),
                 $2 * sum(concluded), $2 * sum(concluded_on_time), $2 * sum(concluded_early), $2 * sum(overdue_concluded),
                 $2 * count(working_days_used), $2 * coalesce(sum(working_days_used), 0), $2 * sum(urged), $2 * sum(urges_met),
                 $2 * sum(urges_missed), $2 * sum(rated), $2 * sum(satisfied), $2 * sum(bad_ratings), $2 * sum(bad_ratings_rectified),
                 $2 * sum(bad_ratings_rectified_in_time), $2 * sum(yellow_cards), $2 * sum(red_cards)
          FROM f GROUP BY region, department_code, item_code, case_type, month ORDER BY region, department_code, item_code, case_type, month
          ON CONFLICT (region, department_code, item_code, case_type, month) DO UPDATE SET
            facts = t.facts + EXCLUDED.facts, accepted = t.accepted + EXCLUDED.accepted, refused = t.refused + EXCLUDED.refused,
            concluded = t.concluded + EXCLUDED.concluded, concluded_on_time = t.concluded_on_time + EXCLUDED.concluded_on_time,
            concluded_early = t.concluded_early + EXCLUDED.concluded_early, overdue_concluded = t.overdue_concluded + EXCLUDED.overdue_concluded,
            working_days_cases = t.working_days_cases + EXCLUDED.working_days_cases,
            working_days_sum = t.working_days_sum + EXCLUDED.working_days_sum, urged = t.urged + EXCLUDED.urged,
            urges_met = t.urges_met + EXCLUDED.urges_met, urges_missed = t.urges_missed + EXCLUDED.urges_missed,
            rated = t.rated + EXCLUDED.rated, satisfied = t.satisfied + EXCLUDED.satisfied, bad_ratings = t.bad_ratings + EXCLUDED.bad_ratings,
            bad_ratings_rectified = t.bad_ratings_rectified + EXCLUDED.bad_ratings_rectified,
            bad_ratings_rectified_in_time = t.bad_ratings_rectified_in_time + EXCLUDED.bad_ratings_rectified_in_time,
            yellow_cards = t.yellow_cards + EXCLUDED.yellow_cards, red_cards = t.red_cards + EXCLUDED.red_cards
        ), days AS (
          INSERT INTO approval.monthly_working_days AS t
          SELECT region, department_code, item_code, case_type, month, working_days_used, $2 * count(*)
          FROM f WHERE working_days_used IS NOT NULL
          GROUP BY region, department_code, item_code, case_type, month, working_days_used
          ORDER BY region, department_code, item_code, case_type, month, working_days_used
          ON CONFLICT (region, department_code, item_code, case_type, month, working_days_used) DO UPDATE SET cases = t.cases + EXCLUDED.cases
        )
        INSERT INTO approval.monthly_limits AS t
        SELECT region, department_code, item_code, case_type, month, statutory_limit, promised_limit, $2 * count(*)
        FROM f WHERE statutory_limit IS NOT NULL
        GROUP BY region, department_code, item_code, case_type, month, statutory_limit, promised_limit
        ORDER BY region, department_code, item_code, case_type, month, statutory_limit, promised_limit
        ON CONFLICT (region, department_code, item_code, case_type, month, statutory_limit, promised_limit) DO UPDATE SET cases = t.cases + EXCLUDED.cases
        """

    /// Deletes the rows no case contributes to any more (found by the tables' partial indexes).
    static let deleteSpentSQL = """
        WITH counts AS (DELETE FROM approval.monthly_counts WHERE facts = 0),
             days AS (DELETE FROM approval.monthly_working_days WHERE cases = 0)
        DELETE FROM approval.monthly_limits WHERE cases = 0
        """
}
