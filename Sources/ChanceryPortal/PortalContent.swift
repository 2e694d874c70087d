import Foundation

/// The portal's per-region texts: region names, the disclosure norms (规范要求), the request guide (信息公开申请指南),
/// the replying body and the mailboxes — read from JSON files in a content folder, so a region's office edits them
/// without a new build.
///
/// The folder holds `regions.json` (`{"<region>": {"zh": name, "en": name, "government": {"zh", "en"}}}`),
/// `default.json` and optionally `<region>.json`; a region's file overrides the default's top-level members:
/// - `norms`, `guide`: `{"zh": [section], "en": [section]}`, a section being `{"heading": text, "paragraphs": [text]}`;
///   `{answeringBody}` in a paragraph is replaced by the region's `answeringBody`;
/// - `answeringBody`: `{"zh": text, "en": text}`;
/// - `mailboxes`: the mailbox codes of its letter form (`secretary`, `county-head`, `district-head`, `mayor`);
/// - `departments`: `{"<code>": {"zh": name, "en": name}}`, names of departments that the item catalogue does not
///   name (those without items, known only from their documents).
///
/// The folder is `$CHANCERY_PORTAL_CONTENT` when set, else the one bundled with the module
/// (Sources/ChanceryPortal/Resources/content).
struct PortalContent: Sendable {
    /// One heading and its paragraphs.
    struct Section: Sendable {
        var heading: String
        var paragraphs: [String]
    }

    let regionNames: [String: [String: String]]
    let governments: [String: [String: String]]
    private let files: [String: [String: JSONText]]

    /// Loads every `.json` file of `directory`.
    /// - Throws: when a file is not valid JSON or `default.json` is missing.
    init(directory: URL) throws {
        var files: [String: [String: JSONText]] = [:]
        var names: [String: [String: String]] = [:]
        var governments: [String: [String: String]] = [:]
        for url in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) where url.pathExtension == "json" {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
            let name = url.deletingPathExtension().lastPathComponent
            if name == "regions", let regions = object as? [String: [String: Any]] {
                for (code, entry) in regions {
                    names[code] = entry.compactMapValues { $0 as? String }
                    governments[code] = (entry["government"] as? [String: String]) ?? [:]
                }
            } else if let dictionary = object as? [String: Any] {
                files[name] = dictionary.mapValues(JSONText.init)
            }
        }
        guard files["default"] != nil else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the portal's content folder \(directory.path) has no default.json"])
        }
        self.files = files
        self.regionNames = names
        self.governments = governments
    }

    /// The content folder: `$CHANCERY_PORTAL_CONTENT`, else the bundled one.
    static func load() throws -> PortalContent {
        if let path = ProcessInfo.processInfo.environment["CHANCERY_PORTAL_CONTENT"], !path.isEmpty {
            return try PortalContent(directory: URL(fileURLWithPath: path))
        }
        guard let url = Bundle.module.url(forResource: "content", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the bundled portal content folder is missing"])
        }
        return try PortalContent(directory: url)
    }

    /// A region's name in `language`, or its code when the content does not name it.
    func regionName(_ region: String, _ language: PortalLanguage) -> String {
        regionNames[region]?[language.rawValue] ?? region
    }

    /// The region's government (the portal's owner) in `language`.
    func government(_ region: String, _ language: PortalLanguage) -> String {
        governments[region]?[language.rawValue] ?? regionName(region, language)
    }

    private func member(_ key: String, region: String) -> JSONText? {
        files[region]?[key] ?? files["default"]?[key]
    }

    /// The mailboxes of the region's letter form.
    func mailboxes(region: String) -> [String] {
        (member("mailboxes", region: region)?.value as? [String]) ?? ["secretary"]
    }

    /// The name of a department from the region's content file, if it names it.
    func departmentName(_ code: String, region: String, _ language: PortalLanguage) -> String? {
        ((member("departments", region: region)?.value as? [String: Any])?[code] as? [String: String])?[language.rawValue]
    }

    /// Who answers disclosure requests in the region.
    func answeringBody(region: String, _ language: PortalLanguage) -> String {
        ((member("answeringBody", region: region)?.value as? [String: String])?[language.rawValue]) ?? ""
    }

    /// The sections of `key` (`norms` or `guide`) for the region in `language`.
    func sections(_ key: String, region: String, _ language: PortalLanguage) -> [Section] {
        guard let byLanguage = member(key, region: region)?.value as? [String: Any],
              let list = byLanguage[language.rawValue] as? [[String: Any]] else { return [] }
        let body = answeringBody(region: region, language)
        return list.map {
            Section(heading: $0["heading"] as? String ?? "",
                    paragraphs: ($0["paragraphs"] as? [String] ?? []).map { $0.replacingOccurrences(of: "{answeringBody}", with: body) })
        }
    }
}

/// A JSON value read from a content file, kept as Foundation objects (immutable after loading).
struct JSONText: @unchecked Sendable {
    let value: Any
    init(_ value: Any) { self.value = value }
}
