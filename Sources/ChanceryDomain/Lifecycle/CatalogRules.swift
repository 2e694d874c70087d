/// The cross-stream rules of a case (办件) that need the catalog (事项目录): a case is opened only for an
/// item that exists in the case's region, is not retired, and belongs to the case's department.
///
/// | event | rule | pointer |
/// | --- | --- | --- |
/// | `CaseSubmitted` | the item `item/<region>/<itemCode>` was registered (ItemRegistered) | `/data/itemCode` |
/// | `CaseSubmitted` | the item is not retired (ItemRetired: cancelled, delegated, converted) | `/data/itemCode` |
/// | `CaseSubmitted` | the item's department (实施主体) is the case's `departmentCode` | `/data/departmentCode` |
/// | `CaseAccepted` | the case's item is not retired (no acceptance for a cancelled item) | `/type` |
///
/// Cases already accepted go on to their conclusion after their item is retired. The rules are pure: the
/// caller (the gateway) loads the item stream's state named by ``itemStream(for:given:)`` and passes it
/// to ``check(_:given:item:)``. A violation is refused with code `catalog-violation` (HTTP 422; on the
/// Kafka door a dead letter with `error.code: catalog-violation`).
public enum CatalogRules {
    /// The item stream whose state decides `event`, or `nil` when no catalog rule applies to it.
    ///
    /// - Parameters:
    ///   - event: a validated event.
    ///   - state: the state of `event`'s own stream before it (nil: the stream is new).
    /// - Returns: `item/<region>/<itemCode>` — the item code of `CaseSubmitted`'s data, or of the case
    ///   (from its state) for `CaseAccepted`.
    public static func itemStream(for event: CloudEvent, given state: AggregateState?) -> String? {
        switch event.type {
        case submitted:
            guard let code = event.data["itemCode"]?.stringValue else { return nil }
            return "item/\(event.region)/\(code)"
        case accepted:
            guard case .case(let s)? = state else { return nil }
            return "item/\(event.region)/\(s.itemCode)"
        default:
            return nil
        }
    }

    /// Checks `event` against the catalog rules above.
    ///
    /// - Parameters:
    ///   - event: a validated event that passed ``Lifecycle/decide(_:given:)``.
    ///   - state: the state of `event`'s own stream before it.
    ///   - item: the state of the stream named by ``itemStream(for:given:)`` (nil: it has no events).
    /// - Throws: ``EventRejection`` with code `catalog-violation`, the pointer of the table, and the rule
    ///   broken.
    public static func check(_ event: CloudEvent, given state: AggregateState?, item: AggregateState?) throws(EventRejection) {
        guard let stream = itemStream(for: event, given: state) else { return }
        let code = stream.split(separator: "/", maxSplits: 2).last.map(String.init) ?? stream
        switch event.type {
        case submitted:
            guard case .item(let i)? = item else {
                throw EventRejection(code: violation, pointer: "/data/itemCode",
                                     message: "the item \(code) is not in the catalog of region \(event.region) (\(stream) has no ItemRegistered)")
            }
            if i.status == .retired {
                throw EventRejection(code: violation, pointer: "/data/itemCode",
                                     message: "the item \(code) is retired (ItemRetired): no case is submitted for it")
            }
            if let department = event.data["departmentCode"]?.stringValue, !i.departmentCode.isEmpty, department != i.departmentCode {
                throw EventRejection(code: violation, pointer: "/data/departmentCode",
                                     message: "the item \(code) belongs to department \(i.departmentCode), not to \(department)")
            }
        case accepted:
            if case .item(let i)? = item, i.status == .retired {
                throw EventRejection(code: violation, pointer: "/type",
                                     message: "the case's item \(code) is retired (ItemRetired): no case is accepted for it")
            }
        default:
            return
        }
    }

    /// The rejection code of a catalog rule.
    public static let violation = "catalog-violation"

    private static let submitted = "gov.approval.case.submitted"
    private static let accepted = "gov.approval.case.accepted"
}
