/// Rules of a catalog item stream (事项, `item/<region>/<itemCode>`):
///
/// | rule | |
/// | --- | --- |
/// | `ItemRegistered` starts the stream | once |
/// | `ItemRevised` | any time before retirement; the item must be confirmed again |
/// | `ItemConfirmed` | after registration or a revision, not twice in a row, by the owning department |
/// | `ItemRetired` | any time before retirement; final: nothing follows |
public enum ItemLifecycle {
    /// The rule `event` breaks after `state` (nil: the stream has no events), or nil when it is legal.
    static func violatedRule(_ event: ItemEvent, given state: ItemState?) -> String? {
        let name = event.name
        guard let s = state else {
            if case .registered = event { return nil }
            return Lifecycle.needsStream(name)
        }
        if s.status == .retired { return "nothing follows an item's retirement (ItemRetired is final)" }
        switch event {
        case .registered:
            return Lifecycle.startsStream(name)
        case .revised, .retired:
            return nil
        case .confirmed(let by):
            guard s.status != .confirmed else {
                return "an item is confirmed once after its registration or each revision (it is already confirmed)"
            }
            if let by, !s.departmentCode.isEmpty, by != s.departmentCode {
                return "an item is confirmed by its own department (\(s.departmentCode)), not by \(by)"
            }
            return nil
        }
    }

    /// The state after `event`, which the rules allow (``violatedRule(_:given:)``).
    static func evolve(_ state: ItemState?, _ event: ItemEvent) -> ItemState? {
        switch (event, state) {
        case (.registered(_, let departmentCode, _), _):
            return ItemState(status: .registered, departmentCode: departmentCode ?? "")
        case (.revised, var s?):
            s.status = .revised
            return s
        case (.confirmed, var s?):
            s.status = .confirmed
            return s
        case (.retired, var s?):
            s.status = .retired
            return s
        default:
            return state
        }
    }
}
