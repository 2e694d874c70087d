import ChanceryDomain
import Foundation

/// The fields each event type marks as personal data (`"x-personal-data": true` in schemas/events), read from the
/// schemas bundled with ChanceryDomain: what the portal masks is what the schemas say, not a list of its own.
struct PersonalFields: Sendable {
    /// Event type (`gov.approval.case.submitted`) → the names of its personal `data` members (all versions).
    let byType: [String: Set<String>]

    /// Reads every `<type>.v<n>.json` of the bundled schema folder; an unreadable folder gives no marks, which
    /// leaves every field masked by the callers' defaults (they mask when unsure).
    static func bundled() -> PersonalFields {
        var out: [String: Set<String>] = [:]
        guard let directory = EventSchemas.bundledDirectory,
              let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) else {
            return PersonalFields(byType: [:])
        }
        for file in files where file.lastPathComponent.hasPrefix("gov.") && file.pathExtension == "json" {
            guard let data = try? Data(contentsOf: file),
                  let schema = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let properties = schema["properties"] as? [String: Any] else { continue }
            let type = file.deletingPathExtension().deletingPathExtension().lastPathComponent
            for (name, value) in properties {
                if let member = value as? [String: Any], member["x-personal-data"] as? Bool == true { out[type, default: []].insert(name) }
            }
        }
        return PersonalFields(byType: out)
    }

    /// Whether `field` of `type` is personal; true when the schemas could not be read (mask when unsure).
    func isPersonal(_ field: String, of type: String) -> Bool {
        guard !byType.isEmpty else { return true }
        return byType[type]?.contains(field) ?? false
    }
}
