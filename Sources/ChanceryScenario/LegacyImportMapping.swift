import ChanceryDomain
import Foundation

/// How the rows of a legacy system's CSV export become Chancery events (loaded from a JSON file, e.g.
/// `examples/mappings/burlington-building-permits.json`).
///
/// Each row becomes one case stream `<stream.kind>/<region>/<stream.number>`; its events are listed in ``events``,
/// each dated by one of the ``dates`` columns at a fixed local time of day in ``timeZone``. Before any case, every
/// item of ``items`` is registered and confirmed (`gov.catalog.item.registered`, `gov.catalog.item.confirmed`) on
/// ``catalog``'s date.
///
/// Templates (``stream``'s number and string values of an event's `data`) replace `{COLUMN}` by the row's trimmed
/// value of that column, `{$item}` by the item code, `{$stream}` by the stream number and `{$row}` by the row
/// number. A `data` value `{"item": "promisedLimit"}` takes that attribute of the row's item (`code`, `name`,
/// `itemKind`, `caseType`, `promisedLimit`, `statutoryLimit`, `buildingClass`) with its JSON type; other JSON values
/// are taken literally. A string field that renders empty is left out (so optional fields stay absent).
public struct LegacyImportMapping: Codable, Sendable, Hashable {
    /// What the mapping is for.
    public var description: String?
    /// Free-text notes: provenance, decisions, what the source lacks.
    public var notes: [String]?
    /// The region (行政区划代码 / census subdivision code) of every stream, e.g. `3524002` for Burlington.
    public var region: String
    /// The CloudEvents `source` of every event, e.g. `/3524002/departments/building`.
    public var source: String
    /// IANA time zone of the region, e.g. `America/Toronto`: civil dates become instants at its offset that day.
    public var timeZone: String
    /// The working-day calendar id the read models use for the region, e.g. `CA-ON` (informational).
    public var calendar: String
    /// The department that owns the items and handles the cases.
    public var department: Department
    /// The stream of a row.
    public var stream: StreamRule
    /// Where a row's item code comes from.
    public var itemCode: ItemCodeRule
    /// Named date columns, e.g. `application` → `INDATE`.
    public var dates: [String: DateColumn]
    /// When and how the items are registered.
    public var catalog: CatalogRule
    /// The items (one per item code) with their limits.
    public var items: [ItemRule]
    /// The events a row produces, in order.
    public var events: [EventRule]

    public struct Department: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
    }

    public struct StreamRule: Codable, Sendable, Hashable {
        /// Stream kind, e.g. `case`.
        public var kind: String
        /// Template of the stream number, e.g. `{FILENO}-{OBJECTID}`.
        public var number: String
    }

    /// The item code is the column's trimmed value, cut to its first `prefixLength` characters or at the first
    /// `separator`, whichever is given (e.g. `SO` from `SO Other Single Detached Dwelling`).
    public struct ItemCodeRule: Codable, Sendable, Hashable {
        public var column: String
        public var prefixLength: Int?
        public var separator: String?
    }

    /// A date column and its format: `YYYY`, `MM`, `DD` (and `hh`, `mm`, `ss`, parsed but unused) are fields,
    /// every other character must appear literally, e.g. `YYYY/MM/DD 00:00:00+00`. The value is a civil date in the
    /// region's zone; the time of day comes from the event rule.
    public struct DateColumn: Codable, Sendable, Hashable {
        public var column: String
        public var format: String
    }

    public struct CatalogRule: Codable, Sendable, Hashable {
        /// Civil date on which the items are registered and confirmed; rows dated earlier are rejected.
        public var date: String
        /// Local time of registration, `HH:MM`.
        public var registeredAt: String
        /// Local time of confirmation, `HH:MM`.
        public var confirmedAt: String
        /// `legalBasis` of every item.
        public var legalBasis: String?
        /// Default item kind (`licensing` …) and case type (`promised` …) of items that do not say.
        public var itemKind: String
        public var caseType: String
    }

    public struct ItemRule: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
        /// The class the limit comes from, e.g. `house` (informational).
        public var buildingClass: String?
        /// Promised limit in working (business) days.
        public var promisedLimit: Int
        /// Statutory limit; the promised limit when absent.
        public var statutoryLimit: Int?
        public var itemKind: String?
        public var caseType: String?
        /// Why this limit.
        public var notes: String?
    }

    public struct EventRule: Codable, Sendable, Hashable {
        /// CloudEvents type, e.g. `gov.approval.case.submitted`.
        public var type: String
        /// Name of a ``LegacyImportMapping/dates`` entry.
        public var date: String
        /// Local time of day, `HH:MM`.
        public var time: String
        /// The event's data: templates, item attributes or literals.
        public var data: [String: DataValue]
    }

    /// One value of an event's `data`.
    public enum DataValue: Codable, Sendable, Hashable {
        /// A string template.
        case template(String)
        /// An attribute of the row's item.
        case item(String)
        /// Any other JSON value, as is.
        case literal(JSONValue)

        public init(from decoder: any Decoder) throws {
            let value = try JSONValue(from: decoder)
            switch value {
            case .string(let s): self = .template(s)
            case .object(let o) where o.count == 1 && o["item"]?.stringValue != nil: self = .item(o["item"]!.stringValue!)
            default: self = .literal(value)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .template(let s): try JSONValue.string(s).encode(to: encoder)
            case .item(let name): try JSONValue.object(["item": .string(name)]).encode(to: encoder)
            case .literal(let v): try v.encode(to: encoder)
            }
        }
    }

    /// Decodes a mapping from JSON.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(LegacyImportMapping.self, from: json)
    }

    /// Loads a mapping file.
    public static func load(contentsOf url: URL) throws -> LegacyImportMapping {
        try LegacyImportMapping(json: Data(contentsOf: url))
    }
}
