/// The RecordQuarantined alert (记录隔离): a consumer could not decode or apply a record and quarantined it instead
/// of stopping (DESIGN.md guarantees 9 and 10, "quarantined and alerted").
///
/// | alert | id | alert stream |
/// | --- | --- | --- |
/// | RecordQuarantined | `quarantine/<group>/<position>` (or `…/<topic>-<partition>-<offset>` without a position) | `alert/<region>/quarantine-<group>-<position or topic-partition-offset>` |
///
/// The id depends on the record's journal position when it has one, so quarantining the same record again (a
/// replay into a new database) raises the same alert, which the gateway appends once.
public enum QuarantineAlerts {
    /// The source of these alerts: `/chancery/consumers/<group>`.
    public static func source(group: String) -> String { "/chancery/consumers/\(group)" }

    /// Most characters of `detail` kept in the alert (its schema allows 20,000).
    public static let maxDetailCharacters = 4000

    /// The alert for a quarantined record, or nil when its region cannot be told (a record that is neither a
    /// readable event nor keyed by a stream id); audit.quarantine keeps it all the same.
    ///
    /// - Parameters:
    ///   - record: the record as a CloudEvent, when it could be decoded.
    ///   - key: the Kafka key (a stream id for records the gateway wrote).
    ///   - reason: `undecodable`, `continuity` or `apply-failed`.
    ///   - time: RFC 3339 time of the alert: the record's business time when readable, else its Kafka timestamp.
    public static func alert(
        group: String, topic: String, partition: Int32, offset: Int64, position: Int64?, record: CloudEvent?, key: String?,
        reason: String, detail: String, time: String
    ) -> CloudEvent? {
        let subject = record?.subject ?? key
        let region = record?.region ?? subject.flatMap { StreamID($0)?.region }
        guard let region, region.count == 6 || region.count == 7, region.allSatisfy(\.isASCIIDigit) else { return nil }
        let place = position.map(String.init) ?? "\(topic)-\(partition)-\(offset)"
        let type = EventCatalog.named("RecordQuarantined")
        var data: [String: JSONValue] = [
            "consumerGroup": .string(group), "topic": .string(topic), "partition": .integer(Int64(partition)),
            "offset": .integer(offset), "reason": .string(reason),
            "detail": .string(String(detail.split(separator: "\u{0}", omittingEmptySubsequences: false).joined(separator: "\\u0000").prefix(maxDetailCharacters))),
        ]
        if let position { data["position"] = .integer(position) }
        if let subject, StreamID(subject) != nil, subject.utf8.count <= 1024 { data["recordSubject"] = .string(subject) }
        if let id = record?.id, !id.contains("\u{0}") { data["recordId"] = .string(id) }
        return CloudEvent(
            id: "quarantine/\(group)/\(place)", source: source(group: group), type: type.type,
            subject: "alert/\(region)/quarantine-\(group)-\(place)", time: time, region: region, data: .object(data),
            dataschema: type.dataschema())
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
