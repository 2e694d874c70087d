import CSV
import ChanceryDomain
import Foundation

/// The outcome of an import: the events to publish and what happened to each row.
///
/// Rows are numbered from 1, the first record after the header (line `row + 1` of a file without line breaks inside
/// quoted fields).
public struct LegacyImportResult: Sendable {
    /// Items first (registered and confirmed), then the cases' events, sorted by time.
    public var events: [CloudEvent]
    /// Rows that became a case.
    public var imported: Int
    /// Rows deliberately left out (blank, or an item code the mapping does not cover).
    public var skipped: [(row: Int, reason: String)]
    /// Rows that could not be imported (missing or unparseable date, issue before application, invalid event …).
    public var rejected: [(row: Int, reason: String)]
}

/// A mapping or a file that cannot be imported at all (as opposed to a single row, which is rejected).
public struct LegacyImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Mapping-driven import of a legacy system's CSV export (see ``LegacyImportMapping``).
///
/// Pure and deterministic: event ids are `<subject>#<n>`, so importing the same file again produces identical events
/// and re-sending them appends nothing. A UTF-8 byte-order mark is stripped and every field is trimmed (padded
/// addresses). Every produced event is checked with ``EventValidator``; a row whose events fail is rejected whole.
public enum LegacyImport {
    public static func events(csvText: String, mapping: LegacyImportMapping) throws(LegacyImportError) -> LegacyImportResult {
        var text = Substring(csvText)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: String(text), hasHeaderRow: true, trimFields: true)
        } catch {
            throw LegacyImportError("the CSV cannot be read: \(error)")
        }
        guard let rawHeader = reader.headerRow else { throw LegacyImportError("the CSV has no header row") }
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }
        let plan = try Plan(mapping: mapping, header: header)

        var cases: [(key: Int64, row: Int, events: [CloudEvent])] = []
        var skipped: [(row: Int, reason: String)] = []
        var rejected: [(row: Int, reason: String)] = []
        var streams: [String: Int] = [:]
        var row = 0
        while let fields = reader.next() {
            row += 1
            let values = fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if values.allSatisfy(\.isEmpty) {
                skipped.append((row, "blank row"))
                continue
            }
            switch plan.convert(values, row: row) {
            case .skipped(let reason):
                skipped.append((row, reason))
            case .rejected(let reason):
                rejected.append((row, reason))
            case .converted(let subject, let key, let events):
                if let first = streams[subject] {
                    rejected.append((row, "\(subject) was already produced by row \(first)"))
                } else {
                    streams[subject] = row
                    cases.append((key, row, events))
                }
            }
        }
        if let error = reader.error { throw LegacyImportError("the CSV cannot be read after row \(row): \(error)") }

        // Cases in the order of their first event (then by row), each stream's events in order; items first.
        cases.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
        var timed: [(key: Int64, order: Int, event: CloudEvent)] = []
        for (n, c) in cases.enumerated() {
            for (k, event) in c.events.enumerated() {
                timed.append(((try? RFC3339Timestamp(parsing: event.time))?.epochSeconds ?? 0, n * 64 + k, event))
            }
        }
        timed.sort { $0.key != $1.key ? $0.key < $1.key : $0.order < $1.order }
        return LegacyImportResult(events: plan.itemEvents + timed.map(\.event), imported: cases.count, skipped: skipped, rejected: rejected)
    }

    // MARK: - The checked mapping

    enum Outcome {
        case converted(subject: String, key: Int64, events: [CloudEvent])
        case skipped(String)
        case rejected(String)
    }

    /// A template split into literal text and placeholders.
    struct Template {
        enum Part { case text(String), column(Int, String), variable(String) }
        var parts: [Part]

        init(_ text: String, header: [String]) throws(LegacyImportError) {
            parts = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
                guard let close = rest[open...].firstIndex(of: "}") else { throw LegacyImportError("unclosed '{' in template '\(text)'") }
                let name = String(rest[rest.index(after: open)..<close])
                if name.hasPrefix("$") {
                    guard ["$item", "$stream", "$row"].contains(name) else { throw LegacyImportError("unknown variable {\(name)} in '\(text)'") }
                    parts.append(.variable(name))
                } else {
                    guard let index = header.firstIndex(of: name) else { throw LegacyImportError("template '\(text)' names column '\(name)', which the CSV lacks") }
                    parts.append(.column(index, name))
                }
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { parts.append(.text(String(rest))) }
        }

        /// The rendered text and the names of the columns that were empty.
        func render(_ values: [String], variables: [String: String]) -> (String, [String]) {
            var out = ""
            var empty: [String] = []
            for part in parts {
                switch part {
                case .text(let t): out += t
                case .column(let i, let name):
                    let v = i < values.count ? values[i] : ""
                    if v.isEmpty { empty.append(name) }
                    out += v
                case .variable(let name): out += variables[name] ?? ""
                }
            }
            return (out, empty)
        }
    }

    /// A date format: fields and literal characters.
    struct DateFormat {
        enum Token { case year, month, day, number(Int), literal(Character) }
        var tokens: [Token]

        init(_ format: String) throws(LegacyImportError) {
            tokens = []
            let chars = Array(format)
            var i = 0
            func at(_ s: String) -> Bool { Array(s) == Array(chars[i..<min(chars.count, i + s.count)]) }
            while i < chars.count {
                if at("YYYY") { tokens.append(.year); i += 4 }
                else if at("MM") { tokens.append(.month); i += 2 }
                else if at("DD") { tokens.append(.day); i += 2 }
                else if at("hh") || at("mm") || at("ss") { tokens.append(.number(2)); i += 2 }
                else { tokens.append(.literal(chars[i])); i += 1 }
            }
            let fields = tokens.filter { if case .year = $0 { true } else if case .month = $0 { true } else if case .day = $0 { true } else { false } }
            guard fields.count == 3 else { throw LegacyImportError("date format '\(format)' needs YYYY, MM and DD") }
        }

        func parse(_ text: String) -> CivilDate? {
            let chars = Array(text)
            var i = 0, y = 0, m = 0, d = 0
            func digits(_ n: Int) -> Int? {
                guard i + n <= chars.count else { return nil }
                var v = 0
                for c in chars[i..<(i + n)] {
                    guard let digit = c.wholeNumberValue, c.isASCII else { return nil }
                    v = v * 10 + digit
                }
                i += n
                return v
            }
            for token in tokens {
                switch token {
                case .year: guard let v = digits(4) else { return nil }; y = v
                case .month: guard let v = digits(2) else { return nil }; m = v
                case .day: guard let v = digits(2) else { return nil }; d = v
                case .number(let n): guard digits(n) != nil else { return nil }
                case .literal(let c): guard i < chars.count, chars[i] == c else { return nil }; i += 1
                }
            }
            guard i == chars.count, (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y) else { return nil }
            return CivilDate(year: y, month: m, day: d)
        }
    }

    /// Local times in the mapping's zone, with the offset of that day (daylight saving included).
    final class Clock {
        let zone: TimeZone
        var calendar: Calendar
        var cache: [Int: (String, Int64)] = [:]

        init(zone: TimeZone) {
            self.zone = zone
            calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
        }

        /// RFC 3339 text and epoch seconds of `date` at `minutes` after local midnight.
        func time(_ date: CivilDate, minutes: Int) -> (String, Int64) {
            let key = date.daysSinceEpoch * 1440 + minutes
            if let hit = cache[key] { return hit }
            let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: minutes / 60, minute: minutes % 60)
            let instant = calendar.date(from: components) ?? Date(timeIntervalSince1970: Double(date.daysSinceEpoch * 86_400))
            let offset = zone.secondsFromGMT(for: instant)
            func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
            let sign = offset < 0 ? "-" : "+"
            let text = "\(date)T\(pad(minutes / 60)):\(pad(minutes % 60)):00\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
            let epoch = Int64(date.daysSinceEpoch) * 86_400 + Int64(minutes * 60 - offset)
            let value = (text, epoch)
            cache[key] = value
            return value
        }
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    /// The mapping checked against the CSV's header, ready to convert rows.
    struct Plan {
        let mapping: LegacyImportMapping
        let clock: Clock
        let streamNumber: Template
        let itemColumn: Int
        let dateColumns: [String: (index: Int, column: String, format: DateFormat)]
        let rules: [(rule: LegacyImportMapping.EventRule, eventType: EventType, minutes: Int, data: [(String, DataTemplate)])]
        let items: [String: LegacyImportMapping.ItemRule]
        let catalogDate: CivilDate
        let itemEvents: [CloudEvent]

        enum DataTemplate {
            case template(Template)
            case item(String)
            case literal(JSONValue)
        }

        init(mapping: LegacyImportMapping, header: [String]) throws(LegacyImportError) {
            self.mapping = mapping
            guard Region(mapping.region) != nil else { throw LegacyImportError("region '\(mapping.region)' is not a division code") }
            guard let zone = TimeZone(identifier: mapping.timeZone) else { throw LegacyImportError("unknown time zone '\(mapping.timeZone)'") }
            clock = Clock(zone: zone)
            streamNumber = try Template(mapping.stream.number, header: header)
            guard let itemColumn = header.firstIndex(of: mapping.itemCode.column) else {
                throw LegacyImportError("the item code column '\(mapping.itemCode.column)' is not in the CSV")
            }
            self.itemColumn = itemColumn
            var dateColumns: [String: (index: Int, column: String, format: DateFormat)] = [:]
            for (name, date) in mapping.dates {
                guard let index = header.firstIndex(of: date.column) else { throw LegacyImportError("the date column '\(date.column)' is not in the CSV") }
                dateColumns[name] = (index, date.column, try DateFormat(date.format))
            }
            self.dateColumns = dateColumns
            var rules: [(rule: LegacyImportMapping.EventRule, eventType: EventType, minutes: Int, data: [(String, DataTemplate)])] = []
            for rule in mapping.events {
                guard let eventType = EventCatalog.eventType(rule.type) else { throw LegacyImportError("unknown event type '\(rule.type)'") }
                guard eventType.streamKind == mapping.stream.kind else {
                    throw LegacyImportError("\(rule.type) belongs to '\(eventType.streamKind)' streams, not '\(mapping.stream.kind)'")
                }
                guard dateColumns[rule.date] != nil else { throw LegacyImportError("\(rule.type) is dated by '\(rule.date)', which 'dates' lacks") }
                guard let minutes = LegacyImport.minutes(rule.time) else { throw LegacyImportError("time '\(rule.time)' of \(rule.type) is not HH:MM") }
                var data: [(String, DataTemplate)] = []
                for (field, value) in rule.data.sorted(by: { $0.key < $1.key }) {
                    switch value {
                    case .template(let t): data.append((field, .template(try Template(t, header: header))))
                    case .item(let name):
                        guard Self.itemAttributes.contains(name) else { throw LegacyImportError("unknown item attribute '\(name)' for \(field)") }
                        data.append((field, .item(name)))
                    case .literal(let v): data.append((field, .literal(v)))
                    }
                }
                rules.append((rule, eventType, minutes, data))
            }
            guard !rules.isEmpty else { throw LegacyImportError("the mapping produces no events") }
            self.rules = rules
            var items: [String: LegacyImportMapping.ItemRule] = [:]
            for item in mapping.items {
                guard items[item.code] == nil else { throw LegacyImportError("item code '\(item.code)' is mapped twice") }
                items[item.code] = item
            }
            self.items = items
            guard let catalogDate = CivilDate(mapping.catalog.date) else { throw LegacyImportError("catalog date '\(mapping.catalog.date)' is not YYYY-MM-DD") }
            self.catalogDate = catalogDate
            guard let registeredAt = LegacyImport.minutes(mapping.catalog.registeredAt),
                  let confirmedAt = LegacyImport.minutes(mapping.catalog.confirmedAt), registeredAt < confirmedAt else {
                throw LegacyImportError("catalog times must be HH:MM with registration before confirmation")
            }
            // One item stream per item code: all registered, then all confirmed by the department.
            var registrations: [CloudEvent] = []
            var confirmations: [CloudEvent] = []
            let registered = clock.time(catalogDate, minutes: registeredAt).0
            let confirmed = clock.time(catalogDate, minutes: confirmedAt).0
            for item in mapping.items {
                let subject = "item/\(mapping.region)/\(item.code)"
                var data: [String: JSONValue] = [
                    "itemCode": .string(item.code), "itemName": .string(item.name),
                    "itemKind": .string(item.itemKind ?? mapping.catalog.itemKind),
                    "departmentCode": .string(mapping.department.code), "departmentName": .string(mapping.department.name),
                    "statutoryLimit": .integer(Int64(item.statutoryLimit ?? item.promisedLimit)),
                    "promisedLimit": .integer(Int64(item.promisedLimit)),
                    "caseType": .string(item.caseType ?? mapping.catalog.caseType),
                ]
                if let basis = mapping.catalog.legalBasis { data["legalBasis"] = .string(basis) }
                let pair = [
                    Self.event(subject: subject, n: 1, type: "gov.catalog.item.registered", time: registered, data: .object(data), mapping: mapping),
                    Self.event(subject: subject, n: 2, type: "gov.catalog.item.confirmed", time: confirmed,
                               data: ["departmentCode": .string(mapping.department.code)], mapping: mapping),
                ]
                for e in pair {
                    do { _ = try EventValidator.validate(Self.json(e)) } catch {
                        throw LegacyImportError("item \(item.code) does not make a valid event: \(error)")
                    }
                }
                registrations.append(pair[0])
                confirmations.append(pair[1])
            }
            self.itemEvents = registrations + confirmations
        }

        static let itemAttributes: Set<String> = ["code", "name", "itemKind", "caseType", "promisedLimit", "statutoryLimit", "buildingClass"]

        func itemAttribute(_ name: String, of item: LegacyImportMapping.ItemRule) -> JSONValue {
            switch name {
            case "code": .string(item.code)
            case "name": .string(item.name)
            case "itemKind": .string(item.itemKind ?? mapping.catalog.itemKind)
            case "caseType": .string(item.caseType ?? mapping.catalog.caseType)
            case "promisedLimit": .integer(Int64(item.promisedLimit))
            case "statutoryLimit": .integer(Int64(item.statutoryLimit ?? item.promisedLimit))
            default: item.buildingClass.map(JSONValue.string) ?? .null
            }
        }

        func convert(_ values: [String], row: Int) -> Outcome {
            // Item code.
            let rawItem = itemColumn < values.count ? values[itemColumn] : ""
            guard !rawItem.isEmpty else { return .rejected("\(mapping.itemCode.column) is empty") }
            var code = rawItem
            if let separator = mapping.itemCode.separator, let r = code.range(of: separator) { code = String(code[..<r.lowerBound]) }
            if let n = mapping.itemCode.prefixLength { code = String(code.prefix(n)) }
            guard let item = items[code] else {
                return .skipped("item code '\(code)' (\(mapping.itemCode.column) '\(rawItem)') is not in the mapping")
            }
            // Stream.
            let (number, emptyColumns) = streamNumber.render(values, variables: ["$item": code, "$row": String(row)])
            guard emptyColumns.isEmpty else { return .rejected("\(emptyColumns.joined(separator: ", ")) empty: no stream number") }
            let subject = "\(mapping.stream.kind)/\(mapping.region)/\(number)"
            guard StreamID(subject) != nil, !number.contains("/") else { return .rejected("'\(number)' is not a valid stream number") }
            // Dates.
            var dates: [String: CivilDate] = [:]
            for (name, column) in dateColumns.sorted(by: { $0.key < $1.key }) where rules.contains(where: { $0.rule.date == name }) {
                let text = column.index < values.count ? values[column.index] : ""
                guard !text.isEmpty else { return .rejected("\(column.column) is empty") }
                guard let date = column.format.parse(text) else {
                    return .rejected("\(column.column) '\(text)' does not match the format '\(mapping.dates[name]!.format)'")
                }
                guard date >= catalogDate else {
                    return .rejected("\(column.column) \(date) is before the item catalogue date \(catalogDate)")
                }
                dates[name] = date
            }
            // Events, strictly increasing in time.
            let variables = ["$item": code, "$stream": number, "$row": String(row)]
            var events: [CloudEvent] = []
            var previous: (epoch: Int64, rule: LegacyImportMapping.EventRule)?
            for (n, r) in rules.enumerated() {
                let date = dates[r.rule.date]!
                let (time, epoch) = clock.time(date, minutes: r.minutes)
                if let p = previous, epoch <= p.epoch {
                    let a = dateColumns[r.rule.date]!, b = dateColumns[p.rule.date]!
                    return .rejected(a.column == b.column
                        ? "\(r.rule.type) would not follow \(p.rule.type) in time"
                        : "\(a.column) \(values[a.index]) is before \(b.column) \(values[b.index])")
                }
                previous = (epoch, r.rule)
                var data: [String: JSONValue] = [:]
                for (field, template) in r.data {
                    switch template {
                    case .template(let t):
                        let (text, _) = t.render(values, variables: variables)
                        if !text.isEmpty { data[field] = .string(text) }
                    case .item(let name):
                        let v = itemAttribute(name, of: item)
                        if v != .null { data[field] = v }
                    case .literal(let v):
                        data[field] = v
                    }
                }
                let event = Self.event(subject: subject, n: n + 1, type: r.rule.type, time: time, data: .object(data), mapping: mapping)
                do {
                    _ = try EventValidator.validate(Self.json(event))
                } catch {
                    return .rejected("\(r.rule.type): \(error.description)")
                }
                events.append(event)
            }
            return .converted(subject: subject, key: clock.time(dates[rules[0].rule.date]!, minutes: rules[0].minutes).1, events: events)
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
