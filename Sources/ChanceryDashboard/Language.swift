/// The language of a dashboard page: Chinese by default, English with `?lang=en` (kept across links).
public enum DashboardLanguage: String, Sendable, CaseIterable {
    case zh, en

    /// The language `lang` asks for: `en` is English, anything else (or nothing) Chinese.
    public init(query lang: String?) {
        self = lang == "en" ? .en : .zh
    }

    /// The `lang` attribute of the page.
    public var htmlLang: String { self == .en ? "en" : "zh-CN" }

    /// Every label of the dashboard in this language, by key (``DashboardLabels``).
    public var labels: [String: String] { self == .en ? DashboardLabels.english : DashboardLabels.chinese }

    /// The label `key` in this language (the key itself when missing, so a gap shows instead of vanishing).
    public func label(_ key: String) -> String { labels[key] ?? key }
}
