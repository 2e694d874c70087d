import ChanceryDomain
import Foundation

/// The working-day calendars a mapping's `calendar` may name (`chancery calendars list`): the ones bundled with
/// Chancery, with the regions each is used for.
public enum LegacyImportCalendars {
    /// One calendar, as listed.
    public struct Entry: Sendable, Hashable {
        /// The id a mapping names, e.g. `CN`, `CA-ON`.
        public var id: String
        /// What it covers, e.g. `China (national, State Council holiday notices)`.
        public var name: String
        /// IANA time zone of its days, e.g. `Asia/Shanghai`.
        public var timeZone: String
        /// First and last day whose holidays and working weekends it knows; beyond it, only the weekend rule.
        public var coverage: ClosedRange<CivilDate>
        /// Where its dates come from, e.g. `chinese-calendar 1.11.0 (PyPI)`.
        public var source: String
        /// Public holidays listed in the coverage.
        public var holidays: Int
        /// Working weekend days (调休上班) listed in the coverage.
        public var workingWeekends: Int
        /// Which regions use it by default.
        public var regions: String
    }

    /// The bundled calendars, by id.
    /// - Note: a bundled calendar that cannot be loaded is left out (ChanceryDomain's tests check every one loads).
    public static let all: [Entry] = WorkingDayCalendar.bundledIDs.sorted().compactMap { id in
        guard let calendar = try? WorkingDayCalendar.bundled(id) else { return nil }
        return Entry(id: id, name: calendar.name ?? id, timeZone: calendar.timeZoneIdentifier, coverage: calendar.coverage,
                     source: calendar.source ?? "unknown", holidays: calendar.holidays.count, workingWeekends: calendar.workingWeekends.count,
                     regions: regions(of: id))
    }

    /// The default region rule of a calendar id (``RegionCalendars/defaultCalendarID(for:)``), in words.
    static func regions(of id: String) -> String {
        switch id {
        case "CN": "six-digit GB/T 2260 division codes of China (e.g. 430424 Hengdong county)"
        case "CA-ON": "seven-digit Statistics Canada census subdivisions of Ontario, 35xxxxx (e.g. 3524002 Burlington)"
        default: "regions configured for it"
        }
    }

    /// The listing `chancery calendars list` prints: a header line, then one tab-separated line per calendar
    /// (id, name, time zone, coverage `from…through`, holidays, working weekends, source, regions).
    public static func listing() -> [String] {
        ["id\tname\ttime zone\tcoverage\tholidays\tworking weekends\tsource\tregions"]
            + all.map {
                "\($0.id)\t\($0.name)\t\($0.timeZone)\t\($0.coverage.lowerBound)…\($0.coverage.upperBound)\t\($0.holidays)\t\($0.workingWeekends)\t\($0.source)\t\($0.regions)"
            }
    }
}
