import ChanceryDomain
import Foundation

/// The outcome of an import: the events to publish and what happened to each record.
///
/// Rows are numbered from 1: in a CSV the first record after the header (line `row + 1` of a file without line
/// breaks inside quoted fields); in JSONL the line number.
public struct LegacyImportResult: Sendable {
    /// Items first (registered and confirmed), then the records' events, sorted by time (each stream in order).
    public var events: [CloudEvent]
    /// Records read: CSV rows after the header, or JSONL lines (blank lines included, a final line break not).
    public var rowsRead: Int
    /// Records that became a stream.
    public var imported: Int
    /// Records deliberately left out (blank, or an item code the mapping does not cover), in row order.
    public var skipped: [(row: Int, reason: String)]
    /// Records that could not be imported (malformed line, empty or unparseable date, reply before receipt, invalid
    /// event, lifecycle violation …), in row order.
    public var rejected: [(row: Int, reason: String)]
    /// The row that produced each stream (by subject, e.g. `case/3524002/…`); item streams have none.
    public var rowOfStream: [String: Int]

    /// A result with these parts (``LegacyImport/events(text:format:mapping:progress:)`` makes them).
    public init(events: [CloudEvent], rowsRead: Int, imported: Int, skipped: [(row: Int, reason: String)],
                rejected: [(row: Int, reason: String)], rowOfStream: [String: Int] = [:]) {
        self.events = events
        self.rowsRead = rowsRead
        self.imported = imported
        self.skipped = skipped
        self.rejected = rejected
        self.rowOfStream = rowOfStream
    }
}

/// A mapping or a file that cannot be imported at all (as opposed to a single record, which is rejected).
public struct LegacyImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the mapping entry, column or line.
    public var message: String
    /// An error with this message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Mapping-driven import of a legacy system's export, CSV or JSON Lines (see ``LegacyImportMapping``).
///
/// Pure and deterministic: event ids are `<subject>#<n>` (`n` the event rule's position in the mapping), so
/// importing the same file again produces identical events and re-sending them appends nothing. A UTF-8 byte-order
/// mark is stripped and every value is trimmed (padded addresses). Every produced event is checked with
/// ``EventValidator`` and folded through ``Lifecycle/decide(_:given:)``; a record whose events fail is rejected
/// whole, as is a second record for a stream already produced.
public enum LegacyImport {
    /// Converts a CSV export (with a header row).
    /// - Throws: ``LegacyImportError`` when the mapping does not fit the columns or the CSV cannot be read at all.
    public static func events(csvText: String, mapping: LegacyImportMapping) throws(LegacyImportError) -> LegacyImportResult {
        try events(text: csvText, format: .csv, mapping: mapping)
    }

    /// Converts an export in `format`; `progress` is called with the number of records converted so far (every
    /// 500 records and at the end).
    /// - Throws: ``LegacyImportError`` when the mapping does not fit the columns or the file cannot be read at all
    ///   (a malformed JSONL line is a rejected record, not an error).
    public static func events(text: String, format: LegacyImportFormat, mapping: LegacyImportMapping,
                              progress: (_ converted: Int, _ total: Int) -> Void = { _, _ in }) throws(LegacyImportError) -> LegacyImportResult {
        let records = try LegacyRecords.read(text, format: format)
        let plan = try Plan(mapping: mapping, columns: records.columns)

        var streams: [(key: Int64, row: Int, events: [CloudEvent])] = []
        var skipped: [(row: Int, reason: String)] = []
        var rejected = records.rejected
        var producedBy: [String: Int] = [:]
        for (n, record) in records.rows.enumerated() {
            if n % 500 == 0 { progress(n, records.rows.count) }
            if record.values.allSatisfy(\.isEmpty) {
                skipped.append((record.row, "blank row"))
                continue
            }
            switch plan.convert(record.values, row: record.row) {
            case .skipped(let reason):
                skipped.append((record.row, reason))
            case .rejected(let reason):
                rejected.append((record.row, reason))
            case .converted(let subject, let key, let events):
                if let first = producedBy[subject] {
                    rejected.append((record.row, "\(subject) was already produced by row \(first)"))
                } else {
                    producedBy[subject] = record.row
                    streams.append((key, record.row, events))
                }
            }
        }
        progress(records.rows.count, records.rows.count)
        rejected.sort { $0.row < $1.row }

        // Streams in the order of their first event (then by row), each stream's events in order; items first.
        streams.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
        var timed: [(epoch: Int64, stream: Int, index: Int, event: CloudEvent)] = []
        for (s, stream) in streams.enumerated() {
            for (k, event) in stream.events.enumerated() {
                timed.append(((try? RFC3339Timestamp(parsing: event.time))?.epochSeconds ?? 0, s, k, event))
            }
        }
        timed.sort { ($0.epoch, $0.stream, $0.index) < ($1.epoch, $1.stream, $1.index) }
        return LegacyImportResult(events: plan.itemEvents + timed.map(\.event), rowsRead: records.rows.count + records.rejected.count,
                                  imported: streams.count, skipped: skipped, rejected: rejected, rowOfStream: producedBy)
    }
}

extension LegacyImportResult {
    /// The events in the order `chancery import` sends them: the item catalogue first, then in business-time
    /// order (so the supervisor's event-time clock never runs ahead of a stream still to come), each stream's own
    /// order kept; events of the same instant keep their order in ``events``.
    public var sendingOrder: [CloudEvent] {
        events.enumerated().sorted { a, b in
            let ia = a.element.subject.hasPrefix("item/"), ib = b.element.subject.hasPrefix("item/")
            if ia != ib { return ia }
            let ta = (try? RFC3339Timestamp(parsing: a.element.time)) ?? RFC3339Timestamp(epochSeconds: 0)
            let tb = (try? RFC3339Timestamp(parsing: b.element.time)) ?? RFC3339Timestamp(epochSeconds: 0)
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map(\.element)
    }
}

extension LegacyImport {
    /// `events` as CloudEvents JSON Lines: each event as `application/cloudevents+json` (the canonical JSON the
    /// HTTP door takes, keys sorted) on a line of its own, each line ending with a line break.
    public static func jsonLines(_ events: [CloudEvent]) -> [UInt8] {
        var out: [UInt8] = []
        for event in events {
            out += event.jsonBytes()
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
