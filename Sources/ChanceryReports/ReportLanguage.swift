/// The language a report is rendered in: Chinese (the statutory language of the documents, the default) or English.
public enum ReportLanguage: String, Sendable, CaseIterable, Codable {
    /// Simplified Chinese, `zh`: the labels of the national format.
    case chinese = "zh"
    /// English, `en`: a translation of the labels, for readers who do not read Chinese.
    case english = "en"

    /// Parses `zh`, `zh-CN`, `en`, `en-US` … (case-insensitive); nil for any other value.
    public init?(code: String) {
        let lower = code.lowercased()
        if lower == "zh" || lower.hasPrefix("zh-") { self = .chinese }
        else if lower == "en" || lower.hasPrefix("en-") { self = .english }
        else { return nil }
    }
}
