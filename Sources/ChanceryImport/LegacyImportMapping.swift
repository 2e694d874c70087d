import ChanceryDomain
import Foundation

/// How the records of a legacy system's export (CSV, or JSON Lines) become Chancery events, loaded from a JSON
/// file such as `examples/mappings/burlington-building-permits.json`.
///
/// Each record (a CSV row, or one JSON object of a JSONL file, whose members are its "columns") becomes one stream
/// `<stream.kind>/<region>/<stream.number>` of any kind the catalogue knows (`case`, `request`, `letter` …). Its
/// events are listed in ``events``; each is dated by one of the ``dates`` columns: a date column at the rule's
/// fixed local ``EventRule/time``, or a date-time column at the time it gives, in ``timeZone``. An event rule marked
/// ``EventRule/optional`` is emitted only when its date column is non-empty (a letter without a reply date gets no
/// reply). Case mappings may name an ``itemCode`` column and list ``items``: before any case, every item is then
/// registered and confirmed (`gov.catalog.item.registered`, `gov.catalog.item.confirmed`) on ``catalog``'s date.
///
/// The `data` of an event rule maps each field to one of:
/// - a string template: `{COLUMN}` is replaced by the record's trimmed value of that column (a column name may
///   hold spaces, hyphens or any character but `}`: `{Permit Type}`, `{ISSUE-DATE}`), `{$item}` by the item code,
///   `{$stream}` by the stream number and `{$row}` by the row number. The field is left out when it renders empty:
///   when the text is empty or blank, or when every column the template names is empty (`"Note: {BZ}"` with `BZ`
///   empty), so optional fields stay absent. The long form `{"template": "{BZ}", "omit": ["无", "-"]}` also leaves
///   the field out when the rendered text is one of `omit`;
/// - `{"item": "promisedLimit"}`: that attribute of the record's item (`code`, `name`, `itemKind`, `caseType`,
///   `promisedLimit`, `statutoryLimit`, `buildingClass`, `departmentCode`, `departmentName`) with its JSON type;
/// - `{"column": "BLJG", "values": {"准予许可": "approved", …}}`: the column's value looked up in `values`, whose
///   JSON values may be of any type (a value not listed rejects the record; a value mapped to `""` leaves the field
///   out); or `{"column": "CNBJSX", "type": "integer"}`: the column's value as a JSON integer (`string` is the
///   default). An empty value leaves the field out, and so does any value listed in `"omit": […]`
///   (`{"column": "DFJG", "values": {"公开": "disclosed"}, "omit": ["待定"]}`: a pending reply has no outcome yet);
/// - any other JSON value, taken literally.
///
/// Event ids are `<subject>#<n>`, `n` being the rule's position in ``events`` (1-based), whether or not the rules
/// before it were emitted: the same rule of the same record always has the same id, so importing the same export
/// again, or a later export of the same system, appends nothing twice.
public struct LegacyImportMapping: Codable, Sendable, Hashable {
    /// What the mapping is for.
    public var description: String?
    /// Free-text notes: provenance, the meaning of each column, decisions, what the source lacks.
    public var notes: [String]?
    /// The region (行政区划代码 / census subdivision code) of every stream, e.g. `430424` (Hengdong county) or
    /// `3524002` (Burlington).
    public var region: String
    /// The CloudEvents `source` of every event, e.g. `/3524002/departments/building`.
    public var source: String
    /// IANA time zone of the region, e.g. `Asia/Shanghai`: local times become instants at its offset that day.
    public var timeZone: String
    /// The working-day calendar id the read models use for the region, e.g. `CN` or `CA-ON`: one of
    /// ``LegacyImportCalendars/all`` (`chancery calendars list`), and the one the region is counted on (a mapping that
    /// names another stops the import, since the deadlines would not be what it expects).
    public var calendar: String
    /// The department that owns the ``items`` unless an item names its own (required with ``items``).
    public var department: Department?
    /// The stream of a record.
    public var stream: StreamRule
    /// Where a record's item code comes from (cases with a catalogue; absent for requests and letters).
    public var itemCode: ItemCodeRule?
    /// Named date or date-time columns, e.g. `application` → `INDATE`.
    public var dates: [String: DateColumn]
    /// When and how the items are registered (required with ``items``).
    public var catalog: CatalogRule?
    /// The items (one per item code) with their limits (required with ``itemCode``).
    public var items: [ItemRule]?
    /// The events a record produces, in stream order.
    public var events: [EventRule]

    /// A department (部门 / 审批单位): its code (as in `departmentCode`) and name.
    public struct Department: Codable, Sendable, Hashable {
        /// The code events carry as `departmentCode`, e.g. `xzsp`.
        public var code: String
        /// The name, e.g. `衡东县行政审批服务局`.
        public var name: String
    }

    /// The stream of a record: kind and number template.
    public struct StreamRule: Codable, Sendable, Hashable {
        /// Stream kind, e.g. `case`, `request`, `letter`; every event rule's type must belong to it.
        public var kind: String
        /// Template of the stream number, e.g. `{FILENO}-{OBJECTID}` or `{SBLSH}`; it may not contain `/`.
        public var number: String
    }

    /// The item code is the column's trimmed value, cut to its first `prefixLength` characters or at the first
    /// `separator`, whichever is given (e.g. `SO` from `SO Other Single Detached Dwelling`).
    public struct ItemCodeRule: Codable, Sendable, Hashable {
        /// The column holding the code, e.g. `SXBM` (事项编码).
        public var column: String
        /// Keep only this many leading characters.
        public var prefixLength: Int?
        /// Cut at the first occurrence of this text.
        public var separator: String?
        /// What a record whose item code is not in ``LegacyImportMapping/items`` becomes: `skip` (the default:
        /// the export holds items outside this mapping's scope) or `reject` (every item should be catalogued).
        public var unmapped: UnmappedItem?
    }

    /// What happens to a record whose item code the mapping does not list.
    public enum UnmappedItem: String, Codable, Sendable, Hashable {
        /// Counted as skipped, with the code in the reason.
        case skip
        /// Counted as rejected, with the code in the reason.
        case reject
    }

    /// A date or date-time column and its format: `YYYY`, `MM`, `DD`, and for a time of day `hh`, `mm` and
    /// optionally `ss` (24-hour) are fields; every other character must appear literally, e.g.
    /// `YYYY/MM/DD 00:00:00+00` (a date) or `YYYY-MM-DD hh:mm:ss` (a date-time). Values are local to the region's
    /// zone. A date column's events take their time of day from the event rule; a date-time column's from the value.
    public struct DateColumn: Codable, Sendable, Hashable {
        /// The column, e.g. `SLSJ` (受理时间).
        public var column: String
        /// Its format, e.g. `YYYY-MM-DD hh:mm:ss`.
        public var format: String
    }

    /// When the items are registered, and their defaults.
    public struct CatalogRule: Codable, Sendable, Hashable {
        /// Civil date on which the items are registered and confirmed; records dated earlier are rejected.
        public var date: String
        /// Local time of registration, `HH:MM`.
        public var registeredAt: String
        /// Local time of confirmation, `HH:MM`.
        public var confirmedAt: String
        /// `legalBasis` of every item that does not give its own.
        public var legalBasis: String?
        /// Default item kind (`licensing`, `non-licensing-approval`, `public-service`, `other-power`) of items that
        /// do not say.
        public var itemKind: String
        /// Default case type (`immediate`, `promised`, `reported-upward`, `joint`) of items that do not say.
        public var caseType: String
    }

    /// One catalogued item (政务服务事项) and its limits.
    public struct ItemRule: Codable, Sendable, Hashable {
        /// The item code (事项编码) as the export gives it after cutting, e.g. `SO` or `430424-XK-0101`.
        public var code: String
        /// The item name (事项名称).
        public var name: String
        /// The class the limit comes from, e.g. `house` (informational).
        public var buildingClass: String?
        /// Promised limit (承诺办结时限) in working days.
        public var promisedLimit: Int
        /// Statutory limit (法定办结时限) in working days; the promised limit when absent.
        public var statutoryLimit: Int?
        /// The item kind, when not the catalogue's default.
        public var itemKind: String?
        /// The case type, when not the catalogue's default.
        public var caseType: String?
        /// The owning department, when not the mapping's ``LegacyImportMapping/department``.
        public var department: Department?
        /// The item's own legal basis, when not the catalogue's.
        public var legalBasis: String?
        /// Why this limit.
        public var notes: String?
    }

    /// One event of a record's stream.
    public struct EventRule: Codable, Sendable, Hashable {
        /// CloudEvents type, e.g. `gov.approval.case.submitted`.
        public var type: String
        /// Name of a ``LegacyImportMapping/dates`` entry.
        public var date: String
        /// Local time of day, `HH:MM`, for a date column; absent for a date-time column.
        public var time: String?
        /// Emitted only when the date column is non-empty (default `false`: an empty date rejects the record).
        public var optional: Bool?
        /// The event's data: templates, item attributes, column values or literals.
        public var data: [String: DataValue]
    }

    /// One value of an event's `data`.
    public enum DataValue: Codable, Sendable, Hashable {
        /// A string template, and the rendered texts that leave the field out (`{"template": …, "omit": […]}`;
        /// empty for a plain string).
        case template(String, omit: [String] = [])
        /// An attribute of the record's item.
        case item(String)
        /// A column's value, converted or looked up.
        case column(ColumnValue)
        /// Any other JSON value, as is.
        case literal(JSONValue)

        public init(from decoder: any Decoder) throws {
            let value = try JSONValue(from: decoder)
            switch value {
            case .string(let s): self = .template(s)
            case .object(let o) where o.count == 1 && o["item"]?.stringValue != nil: self = .item(o["item"]!.stringValue!)
            case .object(let o) where o["template"]?.stringValue != nil:
                let unknown = Set(o.keys).subtracting(["template", "omit"])
                guard unknown.isEmpty else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                        debugDescription: "a template value has 'template' and 'omit' only, not \(unknown.sorted().joined(separator: ", "))"))
                }
                self = .template(o["template"]!.stringValue!, omit: try Self.omitList(o["omit"], decoder: decoder))
            case .object(let o) where o["column"]?.stringValue != nil:
                let unknown = Set(o.keys).subtracting(["column", "values", "type", "omit"])
                guard unknown.isEmpty else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                        debugDescription: "a column value has 'column', 'values', 'type' and 'omit' only, not \(unknown.sorted().joined(separator: ", "))"))
                }
                _ = try Self.omitList(o["omit"], decoder: decoder)
                self = .column(try ColumnValue(from: decoder))
            default: self = .literal(value)
            }
        }

        /// The texts of an `omit` member: absent → none; otherwise an array of strings.
        static func omitList(_ value: JSONValue?, decoder: any Decoder) throws -> [String] {
            guard let value else { return [] }
            if case .array(let entries) = value {
                let texts = entries.compactMap(\.stringValue)
                if texts.count == entries.count { return texts }
            }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'omit' is an array of strings (the values that leave the field out)"))
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .template(let s, let omit) where !omit.isEmpty:
                try JSONValue.object(["template": .string(s), "omit": .array(omit.map(JSONValue.string))]).encode(to: encoder)
            case .template(let s, _): try JSONValue.string(s).encode(to: encoder)
            case .item(let name): try JSONValue.object(["item": .string(name)]).encode(to: encoder)
            case .column(let c): try c.encode(to: encoder)
            case .literal(let v): try v.encode(to: encoder)
            }
        }
    }

    /// `{"column": NAME, "values": {…}}` or `{"column": NAME, "type": "integer"}`: a column's value as a field,
    /// optionally with `"omit": […]`, the column values that leave the field out.
    public struct ColumnValue: Codable, Sendable, Hashable {
        /// The column.
        public var column: String
        /// The JSON value of each value the column may hold; any other non-empty value rejects the record, unless it
        /// is in ``omit``. A value mapped to `""` leaves the field out.
        public var values: [String: JSONValue]?
        /// Without ``values``: `string` (the default) or `integer` (decimal digits, optionally signed).
        public var type: ValueType?
        /// Column values (trimmed, compared exactly) for which the field is left out of the event, e.g. `["待定"]`.
        public var omit: [String]?
    }

    /// The JSON type a column's text becomes.
    public enum ValueType: String, Codable, Sendable, Hashable {
        /// The trimmed text as a JSON string.
        case string
        /// A JSON integer; text that is not one rejects the record.
        case integer
    }

    /// Decodes a mapping from JSON.
    /// - Throws: `DecodingError` when the JSON does not have the shape described above.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(LegacyImportMapping.self, from: json)
    }

    /// Loads a mapping file.
    /// - Throws: the file's read error, or `DecodingError`.
    public static func load(contentsOf url: URL) throws -> LegacyImportMapping {
        try LegacyImportMapping(json: Data(contentsOf: url))
    }
}
