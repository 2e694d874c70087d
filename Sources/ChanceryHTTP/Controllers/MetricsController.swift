import ChanceryDomain
import ChanceryPostgres
import ChanceryProjections
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Efficiency metrics (效能指标) for supervisors, from the read models (analyst, auditor or admin token).
///
/// - `GET /v1/metrics/cases?groupBy=region|department|item|caseType&period=month|quarter|year&from=YYYY-MM&to=YYYY-MM&region=`
///   — one row per group and period: `accepted` (by acceptance date), `refused` (refused at intake, by refusal
///   date), `concluded`, `concludedOnTime`, `concludedEarly`, `overdueConcluded`, `onTimeRate`, `earlyRate`,
///   `meanWorkingDays`, `medianWorkingDays`, `p90WorkingDays` (by conclusion date), `overdueOpen` (cases accepted
///   in the period, still open, with a red card), `limitCompression` (mean of (statutory − promised) ÷ statutory
///   over the cases accepted in the period whose limits are both in working days), `urged` (cases accepted in the
///   period that were urged) and the outcome of each one's latest urge (督办): `urgesMet`, `urgesMissed`,
///   `urgesPending` (see "Urge outcomes" below), the ratings of the cases concluded in the period (`rated`,
///   `satisfactionRate` = levels 1–3 ÷ rated, `badRatings`, `badRatingsRectified`, `badRatingsRectifiedInTime` within
///   the configured rectification limit), and `yellowCards` / `redCards` by the period of
///   the deadline they concern. Dates are in the region's time zone; rates are fractions rounded to 4 decimals;
///   working days (工作日) exclude supplement pauses.
/// - `GET /v1/metrics/interactions?region=&period=&from=&to=` — per region, period (of receipt) and kind (`letter`,
///   `consultation`, `complaint`, `disclosure-request`): received, answered, answered in time and its rate,
///   letters transferred, escalated, extended, returned and urged (each at least once) with the outcome of each urged
///   letter's latest urge (`urgesMet`, `urgesMissed`, `urgesPending`; 0 for the other kinds), how many got a yellow
///   card (`yellowCards`) and a red card (`redCards`, the reply deadline passed unanswered), disclosure replies by
///   outcome.
/// - `GET /v1/metrics/ranking?region=&quarter=YYYY-Qn` — departments ranked by the efficiency index of the
///   quarter with their grade (``EfficiencyFormula``; the server's configured formula is in the answer).
///
/// Urge outcomes (督办结果), per urged case or letter, of its latest urge (rule: ``Urge``, UrgeRule.swift):
/// - met (`urgesMet`): the read model's `urge_met` — the department acted on a day from the urge day through the
///   urge's deadline, both included (a case: StepCompleted, CaseDecided or CaseConcluded; a letter: LetterTransferred,
///   LetterEscalated, LetterExtensionGranted or LetterReplied). The deadline is the event's `deadline`, else
///   ``SupervisionPolicy/urgeLimit`` working days (5 by default) after the urge day on the region's calendar.
/// - missed (`urgesMissed`): not met, and the supervisor escalated it — an IrregularityFlagged alert
///   `irregularity/urge-missed/<subject>` in `supervision.alerts` (raised the day after the deadline), raised at or
///   after the latest urge.
/// - pending (`urgesPending`) = urged − met − missed: the deadline has not passed yet, or the supervisor has not
///   escalated the urge (it escalates only urges of cases still running; an earlier urge of the same subject already
///   took the alert's id).
public struct MetricsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let queries: MetricsQueries
    let formula: EfficiencyFormula

    public init(database: PostgresClient, formula: EfficiencyFormula = EfficiencyFormula()) {
        self.queries = MetricsQueries(database: database)
        self.formula = formula
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("metrics/cases", use: cases)
        group.get("metrics/ranking", use: ranking)
        group.get("metrics/interactions", use: interactions)
    }

    @Sendable func interactions(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let periodName = q["period"].map(String.init) ?? "month"
        guard let period = MetricsQueries.Period(rawValue: periodName) else { throw Self.invalid("period must be one of month, quarter, year, all") }
        let from = try Self.month(q["from"].map(String.init), "from"), to = try Self.month(q["to"].map(String.init), "to")
        let text = try await queries.interactions(period: period, region: try ReadController.region(q["region"]), from: from, to: to)
        return ReadController.raw(#"{"period":"\#(periodName)","rows":\#(text)}"#)
    }

    @Sendable func cases(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        let groupBy = q["groupBy"].map(String.init) ?? "department"
        guard let grouping = MetricsQueries.Grouping(rawValue: groupBy) else {
            throw Self.invalid("groupBy must be one of region, department, item, caseType")
        }
        let periodName = q["period"].map(String.init) ?? "month"
        guard let period = MetricsQueries.Period(rawValue: periodName) else { throw Self.invalid("period must be one of month, quarter, year, all") }
        let from = try Self.month(q["from"].map(String.init), "from"), to = try Self.month(q["to"].map(String.init), "to")
        let text = try await queries.cases(groupBy: grouping, period: period, region: try ReadController.region(q["region"]), from: from, to: to)
        return ReadController.raw(#"{"groupBy":"\#(groupBy)","period":"\#(periodName)","rows":\#(text)}"#)
    }

    @Sendable func ranking(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        let q = request.uri.queryParameters
        guard let quarter = q["quarter"].map(String.init), let start = MetricsQueries.quarterStart(quarter) else {
            throw Self.invalid("quarter must be YYYY-Qn, e.g. 2025-Q3")
        }
        let ranked = try await queries.ranking(region: try ReadController.region(q["region"]), quarterStart: start, formula: formula)
        struct Answer: Encodable {
            var quarter: String
            var formula: EfficiencyFormula
            var departments: [RankedDepartment]
        }
        return try JSONResponse.make(Answer(quarter: quarter, formula: formula, departments: ranked))
    }

    static func invalid(_ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid-parameter", title: "Invalid parameter", detail: detail)
    }

    /// The first day of month `value` (`YYYY-MM`) as `YYYY-MM-01`; nil for nil.
    /// - Throws: a 400 problem naming the parameter when `value` is not `YYYY-MM`.
    static func month(_ value: String?, _ name: String) throws -> String? {
        guard let v = value else { return nil }
        guard let month = CalendarMonth(v) else { throw invalid("\(name) must be YYYY-MM") }
        return month.firstDay.description
    }
}
