/// How a concluded case stands against its promised limit (GLOSSARY.md: on-time rate, early rate, overdue).
public enum CaseOutcome: String, Sendable, Codable, CaseIterable {
    /// Concluded with fewer working days used than the promised limit (提前办结).
    case early
    /// Concluded exactly at the promised limit (按时办结; early cases count as on time too in the on-time rate).
    case onTime = "on-time"
    /// Working days used exceed the promised limit (超期).
    case overdue

    /// Classifies a concluded case. An immediate case (limit 0, 即办件) is on time only when concluded on
    /// the day of acceptance.
    public static func classify(used: WorkingDays, limit: WorkingDays, acceptedOn: CivilDate, concludedOn: CivilDate) -> CaseOutcome {
        if limit.count == 0 { return concludedOn <= acceptedOn ? .onTime : .overdue }
        if used < limit { return .early }
        if used == limit { return .onTime }
        return .overdue
    }
}
