import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/alerts`: the supervisor's alerts (`supervision.alerts`) — yellow cards (黄牌), red cards (红牌) and
/// irregularities — newest first, on the list contract of the read API (``ListSpec``: keyset paging with an opaque
/// cursor, `Accept: text/csv`, ETags); the data of the dashboard's alerts page. Analyst, auditor or admin token.
///
/// Filters (AND): `region`, `department`, `item`, `card` (`yellow`, `red`, `irregularity`), `irregularity` (its kind),
/// `open=true|false` (not resolved yet, or resolved), `raisedFrom`, `raisedTo` (`YYYY-MM-DD`, the day the alert was
/// raised in its region's time zone), `q` (the stream the alert is about, case-insensitive substring).
public struct AlertsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("alerts", use: list)
    }

    /// The colour of an alert from its type: `yellow` (DeadlineWarningRaised), `red` (DeadlineBreached), else `irregularity`.
    static let card = "(CASE alert_type WHEN 'DeadlineWarningRaised' THEN 'yellow' WHEN 'DeadlineBreached' THEN 'red' ELSE 'irregularity' END)"

    static let alertList = ListSpec(
        from: "supervision.alerts",
        columns: [
            .init(name: "subject", sql: "subject"), .init(name: "id", sql: "id"), .init(name: "region", sql: "region"),
            .init(name: "streamSubject", sql: "case_subject"), .init(name: "departmentCode", sql: "department_code"),
            .init(name: "itemCode", sql: "item_code"), .init(name: "card", sql: card), .init(name: "type", sql: "alert_type"),
            .init(name: "step", sql: "step"), .init(name: "irregularity", sql: "irregularity_kind"), .init(name: "deadline", sql: "deadline"),
            .init(name: "raisedAt", sql: "raised_at"), .init(name: "resolvedAt", sql: "resolved_at"), .init(name: "resolution", sql: "resolution"),
        ],
        // Newest first, ties by subject: the UTC time at microseconds (fixed width, so text order is time order), then the subject.
        key: #"(to_char(raised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || ' ' || subject)"#,
        filters: [
            .region(), .equals("department", "department_code"), .equals("item", "item_code"),
            .oneOf("card", card, ["yellow", "red", "irregularity"]), .equals("irregularity", "irregularity_kind"),
            .flag("open", "resolved_at IS NULL"),
            .onOrAfter("raisedFrom", ReadController.regionDay("raised_at")), .onOrBefore("raisedTo", ReadController.regionDay("raised_at")),
            .contains("q", "case_subject"),
        ],
        descending: true)

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        _ = try context.requireAnalyst()
        if ListSpec.wantsCSV(request) { return try await Self.alertList.csv(request, database: database, logger: context.logger) }
        let page = try await Self.alertList.page(request, database: database)
        return ReadController.raw("{\"alerts\":\(page.rows),\"next\":\(ListSpec.nextJSON(page.next))}")
    }
}
