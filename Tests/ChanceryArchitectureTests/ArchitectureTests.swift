import ChanceryDomain
import Foundation
import Testing

/// The rules of DESIGN.md and issue 10 that the compiler does not enforce, checked on the sources themselves: the
/// domain stays pure, C libraries stay behind their one module, supervision depends on the domain, PostgreSQL and the
/// consumer runtime only, and event type names are read in one place per aggregate (its ``TypedEvent``).
@Suite("Architecture")
struct ArchitectureTests {
    /// `Sources/`, found from this file's path (`Tests/ChanceryArchitectureTests/ArchitectureTests.swift`).
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file of `module` (relative path → text).
    static func files(of module: String) throws -> [(path: String, text: String)] {
        let root = sources.appendingPathComponent(module)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            found.append((module + "/" + url.path.dropFirst(root.path.count + 1), try String(contentsOf: url, encoding: .utf8)))
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// The modules `module`'s files import, each with a file that imports it.
    static func imports(of module: String) throws -> [String: String] {
        let pattern = try NSRegularExpression(pattern: #"^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|func|protocol)\s+)?(\w+)"#,
                                              options: .anchorsMatchLines)
        var found: [String: String] = [:]
        for (path, text) in try files(of: module) {
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found[String(text[Range(match.range(at: 1), in: text)!])] = path
            }
        }
        return found
    }

    static var modules: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: sources.path).sorted()) ?? []
    }

    @Test("the sources are where this test looks for them")
    func sourcesFound() throws {
        #expect(Self.modules.contains("ChanceryDomain"))
        #expect(try Self.files(of: "ChanceryDomain").count > 20)
        #expect(try Self.imports(of: "ChancerySupervision")["ChanceryDomain"] != nil)
    }

    @Test("the domain imports no edge: no C library, no Kafka, PostgreSQL, HTTP, logging or metrics")
    func domainIsPure() throws {
        let allowed: Set = ["Foundation", "ChanceryJSONSchema", "Crypto"]
        for (module, file) in try Self.imports(of: "ChanceryDomain") {
            #expect(allowed.contains(module), "ChanceryDomain imports \(module) in \(file)")
        }
        for (module, file) in try Self.imports(of: "ChanceryJSONSchema") {
            #expect(module == "Foundation", "ChanceryJSONSchema imports \(module) in \(file)")
        }
    }

    @Test("supervision imports neither the gateway, the HTTP layer, the projections nor Kafka: it returns alerts, the runtime appends them")
    func supervisionStaysOffTheEdges() throws {
        let imports = try Self.imports(of: "ChancerySupervision")
        #expect(imports["ChanceryRuntime"] != nil)
        let forbidden: Set = ["ChanceryGateway", "ChanceryHTTP", "ChanceryServer", "ChanceryProjections", "ChanceryKafka", "Hummingbird",
                              "CRdKafka", "CLibPQ"]
        for (module, file) in imports {
            #expect(!forbidden.contains(module), "ChancerySupervision imports \(module) in \(file)")
        }
        for (module, file) in try Self.imports(of: "ChanceryProjections") where forbidden.contains(module) && module != "ChanceryProjections" {
            Issue.record("ChanceryProjections imports \(module) in \(file)")
        }
    }

    @Test("the consumer runtime depends on no role: neither gateway, projections, supervision, HTTP nor the server")
    func runtimeServesEveryRole() throws {
        let imports = try Self.imports(of: "ChanceryRuntime")
        #expect(imports["ChanceryKafka"] != nil && imports["ChanceryPostgres"] != nil)
        for module in ["ChanceryGateway", "ChanceryHTTP", "ChanceryProjections", "ChancerySupervision", "ChanceryServer"] {
            #expect(imports[module] == nil, "ChanceryRuntime imports \(module) in \(imports[module] ?? "")")
        }
    }

    @Test("each C library is imported by its one module: libpq by ChanceryPostgres, librdkafka by ChanceryKafka")
    func cLibrariesStayBehindTheirModule() throws {
        let owner = ["CLibPQ": "ChanceryPostgres", "CRdKafka": "ChanceryKafka"]
        for module in Self.modules where !owner.keys.contains(module) {
            for (imported, file) in try Self.imports(of: module) {
                if let expected = owner[imported] {
                    #expect(module == expected, "\(imported) imported in \(file); only \(expected) may")
                }
            }
        }
    }

    @Test("event type names are compared only where an aggregate decodes its typed events")
    func noNameSwitchOutsideDecoding() throws {
        let names = Set(EventCatalog.all.flatMap { [$0.name, $0.type] })
        #expect(names.contains("CaseAccepted"))
        let comparison = try NSRegularExpression(pattern: #"(?:\bcase\s+|[=!]=\s*)"([A-Za-z.]+)""#)
        var decoding: [String] = []
        for module in Self.modules {
            for (path, text) in try Self.files(of: module) {
                if text.range(of: #"enum \w+: TypedEvent"#, options: .regularExpression) != nil {
                    decoding.append(path)
                    continue
                }
                for match in comparison.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let name = String(text[Range(match.range(at: 1), in: text)!])
                    #expect(!names.contains(name), "\(path) compares an event type name (\(name)); decode a TypedEvent instead")
                }
            }
        }
        #expect(decoding.count >= 5, "the typed events: \(decoding)")
    }
}
