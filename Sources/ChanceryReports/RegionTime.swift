import ChanceryDomain

/// The time zone a region's days are counted in (Asia/Shanghai for China), from its working-day calendar; `UTC` for a
/// region no calendar covers. The read models' dates (`received_on`, `accepted_on` …) use the same rule.
enum RegionTime {
    static let calendars = try? RegionCalendars.bundled()

    static func zone(of region: String) -> String {
        calendars?.calendar(for: region)?.timeZoneIdentifier ?? "UTC"
    }
}
