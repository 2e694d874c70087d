import ChanceryDomain
import Foundation

extension LegacyImport {
    /// What one record becomes.
    enum Outcome {
        /// The record's stream, the instant of its first event (epoch seconds) and its events in stream order.
        case converted(subject: String, key: Int64, events: [CloudEvent])
        case skipped(String)
        case rejected(String)
    }
}

extension LegacyImport.Plan {
    /// Converts one record (values aligned with the export's columns).
    ///
    /// The record is rejected whole, with the first reason found, when its item code or stream number is empty, a
    /// required date is empty or does not match its format, an event would precede the one before it, a value is
    /// not among a column's mapped values, an event fails ``EventValidator`` or breaks the stream's lifecycle rules
    /// (``Lifecycle/decide(_:given:)``). Events of the same instant keep the mapping's order.
    func convert(_ values: [String], row: Int) -> LegacyImport.Outcome {
        func value(_ index: Int) -> String { index < values.count ? values[index] : "" }
        // Item code.
        var item: LegacyImportMapping.ItemRule?
        var code = ""
        if let itemCode {
            let (index, rule) = (itemCode.index, itemCode.rule)
            let raw = value(index)
            guard !raw.isEmpty else { return .rejected("\(rule.column) is empty") }
            code = raw
            if let separator = rule.separator, let r = code.range(of: separator) { code = String(code[..<r.lowerBound]) }
            if let n = rule.prefixLength { code = String(code.prefix(n)) }
            guard let known = items[code] else {
                let reason = "item code '\(code)' (\(rule.column) '\(raw)') is not in the mapping"
                return rule.unmapped == .reject ? .rejected(reason) : .skipped(reason)
            }
            item = known
        }
        // Stream.
        let (number, emptyColumns) = streamNumber.render(values, variables: ["$item": code, "$row": String(row)])
        guard emptyColumns.isEmpty else { return .rejected("\(emptyColumns.joined(separator: ", ")) empty: no stream number") }
        let subject = "\(mapping.stream.kind)/\(mapping.region)/\(number)"
        guard StreamID(subject) != nil, !number.contains("/") else { return .rejected("'\(number)' is not a valid stream number") }

        // Events, in time order, each legal after the ones before it.
        let variables = ["$item": code, "$stream": number, "$row": String(row)]
        var events: [CloudEvent] = []
        var state: AggregateState?
        var previous: (epoch: Int64, rule: Rule)?
        var firstEpoch: Int64 = 0
        for rule in rules {
            let text = value(rule.date.index)
            if text.isEmpty {
                if rule.optional { continue }
                return .rejected("\(rule.date.column) is empty")
            }
            guard let parsed = rule.date.format.parse(text) else {
                return .rejected("\(rule.date.column) '\(text)' does not match the format '\(rule.date.formatText)'")
            }
            let (date, seconds) = (parsed.date, parsed.seconds)
            if let catalogDate, date < catalogDate {
                return .rejected("\(rule.date.column) \(date) is before the item catalogue date \(catalogDate)")
            }
            let (time, epoch) = clock.time(date, seconds: rule.seconds ?? seconds ?? 0)
            if let p = previous, epoch < p.epoch {
                return .rejected(p.rule.date.column == rule.date.column
                    ? "\(rule.type) would not follow \(p.rule.type) in time"
                    : "\(rule.date.column) \(text) is before \(p.rule.date.column) \(value(p.rule.date.index))")
            }
            if previous == nil { firstEpoch = epoch }
            previous = (epoch, rule)

            var data: [String: JSONValue] = [:]
            for (field, template) in rule.data {
                switch template {
                case .template(let t, let omit):
                    let (text, emptyColumns) = t.render(values, variables: variables)
                    // Empty or blank, every named column empty, or one of the texts that say "leave it out".
                    let allColumnsEmpty = t.columnCount > 0 && emptyColumns.count == t.columnCount
                    if text.allSatisfy(\.isWhitespace) || allColumnsEmpty || omit.contains(text) { continue }
                    data[field] = .string(text)
                case .item(let name):
                    if let item {
                        let v = itemAttribute(name, of: item)
                        if v != .null && v != .string("") { data[field] = v }
                    }
                case .column(let index, let name, let mapped, let type, let omit):
                    let text = value(index)
                    if text.isEmpty || omit.contains(text) { continue }
                    if let mapped {
                        guard let v = mapped[text] else {
                            let omitted = omit.isEmpty ? "" : "; left out for \(omit.sorted().joined(separator: ", "))"
                            return .rejected("\(name) '\(text)' is not one of the mapped values (\(mapped.keys.sorted().joined(separator: ", ")))\(omitted)")
                        }
                        if v == .string("") { continue }
                        data[field] = v
                    } else if type == .integer {
                        guard let n = Int64(text) else { return .rejected("\(name) '\(text)' is not an integer") }
                        data[field] = .integer(n)
                    } else {
                        data[field] = .string(text)
                    }
                case .literal(let v):
                    data[field] = v
                }
            }
            let event = Self.event(subject: subject, n: rule.number, type: rule.type, time: time, data: .object(data), mapping: mapping)
            do {
                _ = try EventValidator.validate(Self.json(event))
                _ = try Lifecycle.decide(event, given: state)
            } catch {
                return .rejected("\(rule.type): \(error.description)")
            }
            state = Lifecycle.evolve(state, event)
            events.append(event)
        }
        return .converted(subject: subject, key: firstEpoch, events: events)
    }
}
