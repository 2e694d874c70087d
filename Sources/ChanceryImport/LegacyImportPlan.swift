import ChanceryDomain
import Foundation

extension LegacyImport {
    /// The mapping checked against the export's columns, ready to convert records (see ``Plan/convert(_:row:)``).
    struct Plan {
        /// A dates entry: its column, where it is, and its format.
        struct DateSlot {
            var index: Int
            var column: String
            var format: DateFormat
            var formatText: String
        }

        /// One event rule, resolved.
        struct Rule {
            /// 1-based position in the mapping's events: the `n` of the event id `<subject>#<n>`.
            var number: Int
            var type: String
            var optional: Bool
            var date: DateSlot
            /// Fixed local time of day in seconds, for a date column; `nil` for a date-time column.
            var seconds: Int?
            var data: [(field: String, value: DataTemplate)]
        }

        enum DataTemplate {
            /// A template and the rendered texts that leave the field out.
            case template(Template, omit: Set<String>)
            case item(String)
            /// A column, its lookup table or type, and the column values that leave the field out.
            case column(index: Int, name: String, values: [String: JSONValue]?, type: LegacyImportMapping.ValueType, omit: Set<String>)
            case literal(JSONValue)
        }

        let mapping: LegacyImportMapping
        let clock: Clock
        let streamNumber: Template
        let itemCode: (index: Int, rule: LegacyImportMapping.ItemCodeRule)?
        let rules: [Rule]
        let items: [String: LegacyImportMapping.ItemRule]
        /// Records dated before it are rejected (only with a catalogue).
        let catalogDate: CivilDate?
        /// Items registered, then items confirmed (empty without a catalogue).
        let itemEvents: [CloudEvent]

        static let itemAttributes: Set<String> = [
            "code", "name", "itemKind", "caseType", "promisedLimit", "statutoryLimit", "buildingClass", "departmentCode", "departmentName",
        ]

        /// - Throws: ``LegacyImportError`` naming the first thing the mapping gets wrong for these columns.
        init(mapping: LegacyImportMapping, columns: [String]) throws(LegacyImportError) {
            self.mapping = mapping
            guard Region(mapping.region) != nil else { throw LegacyImportError("region '\(mapping.region)' is not a division code") }
            let known = LegacyImportCalendars.all.map(\.id)
            guard known.contains(mapping.calendar) else {
                throw LegacyImportError("calendar '\(mapping.calendar)' is not one Chancery knows (\(known.joined(separator: ", ")); see `chancery calendars list`)")
            }
            if let used = RegionCalendars.defaultCalendarID(for: mapping.region), used != mapping.calendar {
                throw LegacyImportError("region \(mapping.region) is counted on the \(used) calendar, not \(mapping.calendar): set \"calendar\": \"\(used)\"")
            }
            guard let zone = TimeZone(identifier: mapping.timeZone) else { throw LegacyImportError("unknown time zone '\(mapping.timeZone)'") }
            clock = Clock(zone: zone)

            // Items: an item code column, the items and their catalogue come together.
            let itemList = mapping.items ?? []
            if let rule = mapping.itemCode {
                guard let index = columns.firstIndex(of: rule.column) else {
                    throw LegacyImportError("the item code column '\(rule.column)' is not in the export")
                }
                guard !itemList.isEmpty else { throw LegacyImportError("'itemCode' is given but 'items' lists no item") }
                guard mapping.catalog != nil else { throw LegacyImportError("'items' need a 'catalog' rule (registration date and defaults)") }
                itemCode = (index, rule)
            } else {
                guard itemList.isEmpty, mapping.catalog == nil else { throw LegacyImportError("'items' and 'catalog' need an 'itemCode' column") }
                itemCode = nil
            }
            var items: [String: LegacyImportMapping.ItemRule] = [:]
            for item in itemList {
                guard items[item.code] == nil else { throw LegacyImportError("item code '\(item.code)' is mapped twice") }
                guard item.department ?? mapping.department != nil else { throw LegacyImportError("item '\(item.code)' has no department, and the mapping none") }
                items[item.code] = item
            }
            self.items = items

            let variables: Set<String> = itemCode == nil ? ["$stream", "$row"] : ["$item", "$stream", "$row"]
            streamNumber = try Template(mapping.stream.number, columns: columns, variables: variables.subtracting(["$stream"]))
            var dates: [String: DateSlot] = [:]
            for (name, date) in mapping.dates {
                guard let index = columns.firstIndex(of: date.column) else { throw LegacyImportError("the date column '\(date.column)' is not in the export") }
                dates[name] = DateSlot(index: index, column: date.column, format: try DateFormat(date.format), formatText: date.format)
            }
            var rules: [Rule] = []
            for (n, rule) in mapping.events.enumerated() {
                guard let eventType = EventCatalog.eventType(rule.type) else { throw LegacyImportError("unknown event type '\(rule.type)'") }
                guard eventType.streamKind == mapping.stream.kind else {
                    throw LegacyImportError("\(rule.type) belongs to '\(eventType.streamKind)' streams, not '\(mapping.stream.kind)'")
                }
                guard let slot = dates[rule.date] else { throw LegacyImportError("\(rule.type) is dated by '\(rule.date)', which 'dates' lacks") }
                let seconds: Int?
                switch (slot.format.hasTime, rule.time) {
                case (true, nil): seconds = nil
                case (true, let time?): throw LegacyImportError("\(rule.type) is dated by the date-time column \(slot.column): leave out its time '\(time)'")
                case (false, nil): throw LegacyImportError("\(rule.type) is dated by the date column \(slot.column): give its local time, HH:MM")
                case (false, let time?):
                    guard let minutes = LegacyImport.minutes(time) else { throw LegacyImportError("time '\(time)' of \(rule.type) is not HH:MM") }
                    seconds = minutes * 60
                }
                let optional = rule.optional ?? false
                if n == 0 && optional { throw LegacyImportError("\(rule.type) starts the stream, so it cannot be optional") }
                var data: [(String, DataTemplate)] = []
                for (field, value) in rule.data.sorted(by: { $0.key < $1.key }) {
                    switch value {
                    case .template(let t, let omit):
                        data.append((field, .template(try Template(t, columns: columns, variables: variables), omit: Set(omit))))
                    case .item(let name):
                        guard itemCode != nil else { throw LegacyImportError("\(field) takes an item attribute, but the mapping has no items") }
                        guard Self.itemAttributes.contains(name) else { throw LegacyImportError("unknown item attribute '\(name)' for \(field)") }
                        data.append((field, .item(name)))
                    case .column(let c):
                        guard let index = columns.firstIndex(of: c.column) else {
                            throw LegacyImportError("\(field) of \(rule.type) names column '\(c.column)', which the export lacks")
                        }
                        if c.values != nil && c.type != nil { throw LegacyImportError("\(field) of \(rule.type): give 'values' or 'type', not both") }
                        let omit = Set(c.omit ?? [])
                        if let both = omit.intersection(c.values.map { Array($0.keys) } ?? []).sorted().first {
                            throw LegacyImportError("\(field) of \(rule.type): '\(both)' is both a mapped value and omitted; keep one")
                        }
                        data.append((field, .column(index: index, name: c.column, values: c.values, type: c.type ?? .string, omit: omit)))
                    case .literal(let v):
                        data.append((field, .literal(v)))
                    }
                }
                rules.append(Rule(number: n + 1, type: rule.type, optional: optional, date: slot, seconds: seconds, data: data))
            }
            guard !rules.isEmpty else { throw LegacyImportError("the mapping produces no events") }
            self.rules = rules

            if let catalog = mapping.catalog {
                guard let date = CivilDate(catalog.date) else { throw LegacyImportError("catalog date '\(catalog.date)' is not YYYY-MM-DD") }
                catalogDate = date
                itemEvents = try Self.itemEvents(itemList, catalog: catalog, date: date, mapping: mapping, clock: clock)
            } else {
                catalogDate = nil
                itemEvents = []
            }
        }

        /// One item stream per item: all registered, then all confirmed by their departments.
        static func itemEvents(_ items: [LegacyImportMapping.ItemRule], catalog: LegacyImportMapping.CatalogRule, date: CivilDate,
                               mapping: LegacyImportMapping, clock: Clock) throws(LegacyImportError) -> [CloudEvent] {
            guard let registeredAt = LegacyImport.minutes(catalog.registeredAt),
                  let confirmedAt = LegacyImport.minutes(catalog.confirmedAt), registeredAt < confirmedAt else {
                throw LegacyImportError("catalog times must be HH:MM with registration before confirmation")
            }
            var registrations: [CloudEvent] = []
            var confirmations: [CloudEvent] = []
            let registered = clock.time(date, seconds: registeredAt * 60).0
            let confirmed = clock.time(date, seconds: confirmedAt * 60).0
            for item in items {
                let subject = "item/\(mapping.region)/\(item.code)"
                let department = (item.department ?? mapping.department)!
                var data: [String: JSONValue] = [
                    "itemCode": .string(item.code), "itemName": .string(item.name),
                    "itemKind": .string(item.itemKind ?? catalog.itemKind),
                    "departmentCode": .string(department.code), "departmentName": .string(department.name),
                    "statutoryLimit": .integer(Int64(item.statutoryLimit ?? item.promisedLimit)),
                    "promisedLimit": .integer(Int64(item.promisedLimit)),
                    "caseType": .string(item.caseType ?? catalog.caseType),
                ]
                if let basis = item.legalBasis ?? catalog.legalBasis { data["legalBasis"] = .string(basis) }
                let pair = [
                    event(subject: subject, n: 1, type: "gov.catalog.item.registered", time: registered, data: .object(data), mapping: mapping),
                    event(subject: subject, n: 2, type: "gov.catalog.item.confirmed", time: confirmed,
                          data: ["departmentCode": .string(department.code)], mapping: mapping),
                ]
                for e in pair {
                    do { _ = try EventValidator.validate(json(e)) } catch {
                        throw LegacyImportError("item \(item.code) does not make a valid event: \(error)")
                    }
                }
                registrations.append(pair[0])
                confirmations.append(pair[1])
            }
            return registrations + confirmations
        }

        func itemAttribute(_ name: String, of item: LegacyImportMapping.ItemRule) -> JSONValue {
            let department = item.department ?? mapping.department
            return switch name {
            case "code": .string(item.code)
            case "name": .string(item.name)
            case "itemKind": .string(item.itemKind ?? mapping.catalog?.itemKind ?? "")
            case "caseType": .string(item.caseType ?? mapping.catalog?.caseType ?? "")
            case "promisedLimit": .integer(Int64(item.promisedLimit))
            case "statutoryLimit": .integer(Int64(item.statutoryLimit ?? item.promisedLimit))
            case "departmentCode": department.map { JSONValue.string($0.code) } ?? .null
            case "departmentName": department.map { JSONValue.string($0.name) } ?? .null
            default: item.buildingClass.map(JSONValue.string) ?? .null
            }
        }

        static func event(subject: String, n: Int, type: String, time: String, data: JSONValue, mapping: LegacyImportMapping) -> CloudEvent {
            CloudEvent(id: "\(subject)#\(n)", source: mapping.source, type: type, subject: subject, time: time,
                       region: mapping.region, data: data, dataschema: EventCatalog.eventType(type)?.dataschema())
        }

        /// The event as the JSON a publisher sends (for ``EventValidator``).
        static func json(_ e: CloudEvent) -> JSONValue {
            var o: [String: JSONValue] = [
                "specversion": .string(e.specversion), "id": .string(e.id), "source": .string(e.source), "type": .string(e.type),
                "subject": .string(e.subject), "time": .string(e.time), "region": .string(e.region), "data": e.data,
            ]
            if let ct = e.datacontenttype { o["datacontenttype"] = .string(ct) }
            if let ds = e.dataschema { o["dataschema"] = .string(ds) }
            return .object(o)
        }
    }
}
