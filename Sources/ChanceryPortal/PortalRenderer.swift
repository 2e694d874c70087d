import ChanceryDomain
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the portal's pages from the bundled swift-mustache templates (Resources/templates/*.mustache). Every
/// `{{value}}` is HTML-escaped by swift-mustache; templates use no triple mustaches for data.
struct PortalRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template of the bundled folder.
    /// - Throws: when the folder is missing or a template does not parse.
    init() throws {
        guard let url = Bundle.module.url(forResource: "templates", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the bundled portal templates are missing"])
        }
        var templates: [String: MustacheTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil) where file.pathExtension == "mustache" {
            templates[file.deletingPathExtension().lastPathComponent] = try MustacheTemplate(string: String(contentsOf: file, encoding: .utf8))
        }
        self.library = MustacheLibrary(templates: templates)
    }

    /// An HTML response of template `name` over `data`.
    func page(_ name: String, _ data: [String: Any], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let html = library.render(data, withTemplate: name) ?? "template \(name) is missing"
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = fields[.cacheControl] ?? "no-store"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Content-Security-Policy")!] = "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'"
        fields[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Turns the JSON that PostgreSQL builds (`json_agg`, `json_build_object`) into values swift-mustache renders:
/// strings, `Int`, `Double`, `Bool`, arrays and dictionaries; JSON null members are left out (so `{{#x}}` is false).
enum TemplateJSON {
    static func parse(_ text: String) throws -> Any {
        convert(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    static func convert(_ value: JSONValue) -> Any {
        switch value {
        case .string(let s): return s
        case .integer(let i): return Int(i)
        case .number(let d): return d
        case .bool(let b): return b
        case .null: return NSNull()
        case .array(let a): return a.map(convert)
        case .object(let o):
            var out: [String: Any] = [:]
            for (k, v) in o where v != .null { out[k] = convert(v) }
            return out
        }
    }
}
