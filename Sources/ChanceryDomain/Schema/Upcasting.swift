/// One step of schema evolution: turns `data` of version ``fromVersion`` of ``type`` into version
/// `fromVersion + 1`. Pure; never fails (a published version's data always has a next shape).
public struct Upcaster: Sendable {
    /// The CloudEvents `type`, e.g. `gov.approval.case.accepted`.
    public var type: String
    /// The version it reads; it writes `fromVersion + 1`.
    public var fromVersion: Int
    /// What changed, for people (shown by documentation and tests).
    public var change: String
    /// The transformation of `data`.
    public var transform: @Sendable (JSONValue) -> JSONValue

    public init(type: String, fromVersion: Int, change: String, transform: @escaping @Sendable (JSONValue) -> JSONValue) {
        self.type = type
        self.fromVersion = fromVersion
        self.change = change
        self.transform = transform
    }
}

/// The upcasters of the catalog: consumers (projector, supervisor, replay) read every event in the newest
/// shape of its type, whatever version it was published with. Events in Kafka and in `audit.events` are
/// never rewritten — their bytes and hashes stay as appended; upcasting happens on read.
///
/// An event's version is the one its `dataschema` names (`urn:chancery:schema:<type>:<version>`); an event
/// without `dataschema` (none reaches the canonical topics: the gateway fills it in) is taken as version 1.
public struct UpcasterRegistry: Sendable {
    private let steps: [String: [Int: Upcaster]]

    /// - Parameter upcasters: at most one per (type, fromVersion).
    public init(_ upcasters: [Upcaster]) {
        var steps: [String: [Int: Upcaster]] = [:]
        for u in upcasters { steps[u.type, default: [:]][u.fromVersion] = u }
        self.steps = steps
    }

    /// The registry of the published schemas (`schemas/events/`):
    ///
    /// - `gov.approval.case.accepted` 1 → 2: adds `promisedLimitUnit`; version 1 counted the promised limit
    ///   in working days (工作日), so the upcaster sets `"working-days"`.
    /// - `gov.supervision.alert.deadline.warning.raised` and `gov.supervision.alert.deadline.breached` 1 → 2:
    ///   version 2 watches any stream (disclosure requests, letters, consultations, complaints; `itemCode`
    ///   optional), adds `limitUnit` and, on a red card, `step`; version 1 cards were on cases with limits in
    ///   working days, so the upcaster sets `"limitUnit": "working-days"`.
    public static let standard = UpcasterRegistry([
        adding("promisedLimitUnit", "working-days", to: "gov.approval.case.accepted",
               change: "adds promisedLimitUnit; version 1 limits are in working days"),
        adding("limitUnit", "working-days", to: "gov.supervision.alert.deadline.warning.raised",
               change: "any supervised stream, itemCode optional, adds limitUnit; version 1 cards counted working days"),
        adding("limitUnit", "working-days", to: "gov.supervision.alert.deadline.breached",
               change: "any supervised stream, itemCode optional, adds limitUnit and step; version 1 cards counted working days"),
    ])

    /// The 1 → 2 upcaster of `type` that sets the new field `field` to `value` where it is missing.
    private static func adding(_ field: String, _ value: String, to type: String, change: String) -> Upcaster {
        Upcaster(type: type, fromVersion: 1, change: change) { data in
            guard case .object(var o) = data else { return data }
            if o[field] == nil { o[field] = .string(value) }
            return .object(o)
        }
    }

    /// The upcasters of `type`, by the version they read.
    public func upcasters(of type: String) -> [Int: Upcaster] { steps[type] ?? [:] }

    /// `event` in the newest shape the registry knows for its type: `data` upcast step by step and
    /// `dataschema` naming the version reached. Everything else, including `hash`, is kept, so a consumer
    /// that verifies the chain must do so on the event as read from the log, before upcasting.
    public func upcast(_ event: CloudEvent) -> CloudEvent {
        guard let chain = steps[event.type] else { return event }
        let published = event.dataschema.flatMap { EventValidator.dataschemaVersion($0, type: event.type) } ?? 1
        var version = published
        var out = event
        while let step = chain[version] {
            out.data = step.transform(out.data)
            version += 1
        }
        if version != published { out.dataschema = EventSchemaSet.schemaID(type: event.type, version: version) }
        return out
    }
}
