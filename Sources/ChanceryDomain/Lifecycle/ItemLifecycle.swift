/// Rules of a catalog item stream (事项, `item/<region>/<itemCode>`):
///
/// | rule | |
/// | --- | --- |
/// | `ItemRegistered` starts the stream | once |
/// | `ItemRevised` | any time before retirement; the item must be confirmed again |
/// | `ItemConfirmed` | after registration or a revision, not twice in a row, by the owning department |
/// | `ItemRetired` | any time before retirement; final: nothing follows |
public enum ItemLifecycle {
    static func violatedRule(_ name: String, _ data: JSONValue, given state: ItemState?) -> String? {
        guard let s = state else {
            return name == "ItemRegistered" ? nil : Lifecycle.needsStream(name)
        }
        if s.status == .retired { return "nothing follows an item's retirement (ItemRetired is final)" }
        switch name {
        case "ItemRegistered":
            return Lifecycle.startsStream(name)
        case "ItemRevised", "ItemRetired":
            return nil
        case "ItemConfirmed":
            guard s.status != .confirmed else {
                return "an item is confirmed once after its registration or each revision (it is already confirmed)"
            }
            if let by = data["departmentCode"]?.stringValue, !s.departmentCode.isEmpty, by != s.departmentCode {
                return "an item is confirmed by its own department (\(s.departmentCode)), not by \(by)"
            }
            return nil
        default:
            return "\(name) does not apply to an item"
        }
    }

    static func evolve(_ state: ItemState?, _ name: String, _ data: JSONValue) -> ItemState? {
        switch (name, state) {
        case ("ItemRegistered", _):
            return ItemState(status: .registered, departmentCode: data["departmentCode"]?.stringValue ?? "")
        case ("ItemRevised", var s?):
            s.status = .revised
            return s
        case ("ItemConfirmed", var s?):
            s.status = .confirmed
            return s
        case ("ItemRetired", var s?):
            s.status = .retired
            return s
        default:
            return state
        }
    }
}
