/// The language of a portal page: Chinese by default, English with `?lang=en` (issue 13).
public enum PortalLanguage: String, Sendable, CaseIterable {
    case zh, en

    /// `en` when the query's `lang` is `en`, else `zh`.
    public init(query: String?) {
        self = query == "en" ? .en : .zh
    }

    /// The `lang` attribute of the page's `<html>` element (BCP 47).
    public var htmlLang: String { self == .zh ? "zh-CN" : "en" }

    /// The suffix that keeps the language on a link without a query (`?lang=en` or nothing).
    public var query: String { self == .en ? "?lang=en" : "" }

    /// The suffix that keeps the language on a link that has a query already (`&lang=en` or nothing).
    public var ampersandQuery: String { self == .en ? "&lang=en" : "" }

    /// The same page in the other language (label and query suffix).
    public var other: PortalLanguage { self == .zh ? .en : .zh }

    /// Picks the text of this language from a (Chinese, English) pair.
    public func pick(_ pair: (String, String)) -> String { self == .zh ? pair.0 : pair.1 }
}
