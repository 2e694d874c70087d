import ChanceryDomain
import Foundation

extension StreamHistoryEvent {
    /// The CSV header of a stream's history (`chancery history --format csv`, `GET /v1/streams/{subject}` with
    /// `Accept: text/csv`): the JSON member names, in the order of ``csvFields``.
    public static let csvHeader = ["position", "topic", "partition", "offset", "sequence", "id", "source", "type", "time", "recordedTime",
                                   "prevhash", "hash", "linkOK", "problems", "dataschema", "data", "upcastDataschema", "upcastData"]

    /// The event as CSV fields (unescaped): numbers in decimal, absent values empty, `linkOK` `true`/`false`, `problems`
    /// joined with `; `, `data` and `upcastData` as JSON (sorted keys).
    public var csvFields: [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: JSONValue?) -> String {
            guard let value, let data = try? encoder.encode(value) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        return [
            String(position), topic, String(partition), offset.map(String.init) ?? "", sequence.map(String.init) ?? "",
            id ?? "", source ?? "", type ?? "", time ?? "", recordedTime ?? "", prevhash ?? "", hash ?? "",
            linkOK ? "true" : "false", problems.joined(separator: "; "), dataschema ?? "", json(data),
            upcastDataschema ?? "", json(upcastData),
        ]
    }
}
