import ChanceryDomain
import ChanceryPostgres
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/disclosure-requests`: the disclosure requests (依申请公开申请) of `disclosure.requests`, on the list contract
/// of the read API (``ListSpec``: keyset paging by subject, filters, `Accept: text/csv`, ETags).
///
/// Public, like `GET /v1/disclosures`: the requester's name masked (``PersonalDataMask``), the request's receipt, state,
/// reply and outcome. With an analyst, auditor or admin token each row also carries its timeliness — `deadline` (the
/// statutory reply limit without any extension), `extensionLimit`, `extendedDeadline`, `answeredInTime` and `overdue` —
/// and the `overdue` filter may be used (without such a token it is 401 or 403).
///
/// Filters (AND): `region`, `department`, `status` (``status``), `outcome`, `requesterKind`, `receivedFrom`,
/// `receivedTo` (`YYYY-MM-DD`, the day of receipt in the region's time zone), `overdue=true|false`, `q` (the
/// request's number, case-insensitive substring); `limit` 1…500 (50 by default) and `after`.
public struct DisclosureRequestsController: Sendable {
    public typealias Context = ChanceryRequestContext
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("disclosure-requests", use: list)
    }

    /// The state of a request, from its facts: `answered` (a reply was sent), `awaiting-correction` (补正: the office
    /// asked the requester to correct the request and the correction has not arrived), `extended` (延期答复 granted, not
    /// answered yet) or `pending` (received, not answered).
    static let status = """
        CASE WHEN answered_at IS NOT NULL THEN 'answered'
             WHEN supplement_requested_at IS NOT NULL AND supplement_received_at IS NULL THEN 'awaiting-correction'
             WHEN extended_at IS NOT NULL THEN 'extended' ELSE 'pending' END
        """
    /// The values of ``status``.
    static let statuses = ["pending", "awaiting-correction", "extended", "answered"]
    /// Past the deadline in force: answered late, or not answered and the deadline before today (server time zone).
    static let overdue = "coalesce(answered_in_time = false, false) OR (answered_at IS NULL AND coalesce(deadline < current_date, false))"

    static let publicColumns: [ListSpec.Column] = [
        .init(name: "subject", sql: "subject"), .init(name: "region", sql: "region"),
        .init(name: "requestNumber", sql: "substr(subject, length(region) + 10)"),
        .init(name: "departmentCode", sql: "department_code"), .init(name: "requesterName", sql: PersonalDataMask.nameSQL("requester_name")),
        .init(name: "requesterKind", sql: "requester_kind"), .init(name: "status", sql: "(\(status))"),
        .init(name: "receivedAt", sql: "received_at"), .init(name: "receivedOn", sql: "received_on"),
        .init(name: "answeredAt", sql: "answered_at"), .init(name: "outcome", sql: "outcome"),
    ]

    static let publicFilters: [ListFilter] = [
        .region(), .equals("department", "department_code"), .oneOf("status", "(\(status))", statuses),
        .oneOf("outcome", "outcome", EventCatalog.disclosureOutcomes), .oneOf("requesterKind", "requester_kind", ["citizen", "legal-person", "other"]),
        .onOrAfter("receivedFrom", "received_on"), .onOrBefore("receivedTo", "received_on"),
        .contains("q", "substr(subject, length(region) + 10)"),
    ]

    /// The public list.
    static let publicList = ListSpec(from: "disclosure.requests", columns: publicColumns, key: "subject", filters: publicFilters)

    /// The list with timeliness; `$1` is the JSON object of unextended deadlines by subject (``DisclosureDeadlines``).
    static func analystList(unextendedDeadlines: String) -> ListSpec {
        ListSpec(
            from: "disclosure.requests",
            columns: publicColumns + [
                .init(name: "deadline", sql: "CASE WHEN extended_at IS NULL THEN deadline ELSE ($1::jsonb ->> subject)::date END"),
                .init(name: "extensionLimit", sql: "extension_limit"),
                .init(name: "extendedDeadline", sql: "CASE WHEN extended_at IS NOT NULL THEN deadline END"),
                .init(name: "answeredInTime", sql: "answered_in_time"), .init(name: "overdue", sql: "(\(overdue))"),
            ],
            key: "subject", filters: publicFilters + [.flag("overdue", overdue)], bound: [unextendedDeadlines])
    }

    @Sendable func list(request: Request, context: Context) async throws -> Response {
        let spec: ListSpec
        if context.identity?.mayAnalyse == true {
            let region = try ReadController.region(request.uri.queryParameters["region"])
            let deadlines = try await DisclosureDeadlines.unextended(region: region, request: nil, database: database)
            spec = Self.analystList(unextendedDeadlines: String(decoding: try JSONEncoder().encode(deadlines), as: UTF8.self))
        } else {
            if request.uri.queryParameters["overdue"] != nil { _ = try context.requireAnalyst() }
            spec = Self.publicList
        }
        if ListSpec.wantsCSV(request) { return try await spec.csv(request, database: database, logger: context.logger) }
        let page = try await spec.page(request, database: database)
        return ReadController.raw("{\"requests\":\(page.rows),\"next\":\(ListSpec.nextJSON(page.next))}")
    }
}
