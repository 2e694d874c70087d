import Foundation
import Mustache

/// Renders the dashboard's mustache templates (the `Templates` resource folder, `*.mustache`): a page's own template
/// into the `layout` template's `{{{body}}}`. Values are HTML-escaped by mustache (`{{…}}`); the only unescaped
/// inserts are the rendered body and chart data made safe by ``scriptJSON(_:)``.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template of the module's bundle.
    /// - Throws: when the bundle's Templates folder is missing or a template does not parse.
    public init() throws {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw DashboardConfigurationError("the dashboard's bundled Templates folder is missing")
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// The template names loaded.
    public var templateNames: Set<String> {
        Set(["layout", "charts", "cases", "login", "error", "overview", "departments", "department", "item", "case", "interactions", "disclosure", "unused", "alerts"]
            .filter { library.getTemplate(named: $0) != nil })
    }

    /// `template` rendered with `context`, inside the layout with `page` (title, navigation, language).
    /// - Throws: ``DashboardConfigurationError`` when a template is missing.
    public func render(_ template: String, context: [String: Any], page: [String: Any]) throws -> String {
        var merged = page
        for (k, v) in context { merged[k] = v }
        guard let body = library.render(merged, withTemplate: template) else {
            throw DashboardConfigurationError("no dashboard template \(template)")
        }
        merged["body"] = body
        guard let html = library.render(merged, withTemplate: "layout") else {
            throw DashboardConfigurationError("no dashboard template layout")
        }
        return html
    }

    /// `value` as JSON safe to place inside `<script type="application/json">`: `<`, `>` and `&` are written as
    /// `\u003c`, `\u003e`, `\u0026`, so no text of the data can close the script element.
    public static func scriptJSON(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
