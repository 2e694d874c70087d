import ChanceryDomain
import Foundation
import Testing

/// The example corpus (Tests/ChanceryDomainTests/corpus/<type>/{valid,invalid}-….json and corpus/envelope/)
/// gets the same verdict from Python's `jsonschema` (scripts/validate-corpus.py, the reference
/// implementation of draft 2020-12), from the Swift schema validator, and from EventValidator — and that
/// verdict is the one in the file name.
@Suite("Schema corpus", .serialized)
struct SchemaCorpusTests {
    static let corpus = repositoryRoot.appendingPathComponent("Tests/ChanceryDomainTests/corpus")
    static let schemasDirectory = repositoryRoot.appendingPathComponent("schemas")

    static func corpusFiles() throws -> [URL] {
        let fm = FileManager.default
        var files: [URL] = []
        for dir in try fm.contentsOfDirectory(atPath: corpus.path).sorted() {
            for name in try fm.contentsOfDirectory(atPath: corpus.appendingPathComponent(dir).path).sorted() where name.hasSuffix(".json") {
                files.append(corpus.appendingPathComponent(dir).appendingPathComponent(name))
            }
        }
        return files
    }

    /// The Swift verdict by the same procedure as the Python script: the envelope against
    /// cloudevent.json#/$defs/submission, `data` against the schema named by `dataschema` (or the newest).
    static func swiftViolations(_ event: JSONValue, schemas: EventSchemaSet) -> [String] {
        var problems = schemas.envelope.validate(event, against: "/$defs/submission").map(\.description)
        guard let type = event["type"]?.stringValue, let versions = schemas.schemas[type] else {
            if problems.isEmpty { problems.append("/type: no schema") }
            return problems
        }
        var version = versions.keys.max()!
        if let ds = event["dataschema"], ds != .null {  // null is absent (CloudEvents JSON format §2.2)
            guard let s = ds.stringValue, let v = EventValidator.dataschemaVersion(s, type: type), versions[v] != nil else {
                return problems + ["/dataschema: not a schema of \(type)"]
            }
            version = v
        }
        if let data = event["data"] {
            problems += versions[version]!.validate(data).map { "/data\($0.pointer): \($0.message)" }
        }
        return problems
    }

    static func parse(_ url: URL) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }

    @Test("every type has at least one valid and two invalid examples")
    func coverage() throws {
        let files = try Self.corpusFiles()
        for t in EventCatalog.all {
            let names = files.filter { $0.deletingLastPathComponent().lastPathComponent == t.type }.map(\.lastPathComponent)
            #expect(names.filter { $0.hasPrefix("valid-") }.count >= 1, "\(t.type)")
            #expect(names.filter { $0.hasPrefix("invalid-") }.count >= 2, "\(t.type)")
            #expect(names.contains { $0.hasPrefix("invalid-missing-") } || t.fields.allSatisfy { !$0.required }, "\(t.type) lacks a missing-field example")
        }
        #expect(files.allSatisfy { $0.lastPathComponent.hasPrefix("valid-") || $0.lastPathComponent.hasPrefix("invalid-") })
    }

    @Test("Swift's schema validator and EventValidator give the file name's verdict")
    func swiftVerdicts() throws {
        let schemas = try EventSchemaSet.load(directory: Self.schemasDirectory)
        for url in try Self.corpusFiles() {
            let name = "\(url.deletingLastPathComponent().lastPathComponent)/\(url.lastPathComponent)"
            let expectValid = url.lastPathComponent.hasPrefix("valid-")
            let event = try Self.parse(url)
            let problems = Self.swiftViolations(event, schemas: schemas)
            #expect(problems.isEmpty == expectValid, "\(name): \(problems)")
            let rejection: EventRejection?
            do { _ = try EventValidator.validateSubmission(event); rejection = nil } catch { rejection = error }
            #expect((rejection == nil) == expectValid, "\(name): EventValidator says \(rejection.map { "\($0)" } ?? "valid")")
        }
    }

    @Test("Python's jsonschema (scripts/validate-corpus.py) agrees with Swift on every example")
    func pythonAgrees() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/validate-corpus.py").path,
                             "--schemas", Self.schemasDirectory.path, Self.corpus.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus != 2,
                     "scripts/validate-corpus.py could not run (python3 with `pip install jsonschema rfc3339-validator` is needed): \(stderr)")
        var python: [String: Bool] = [:]
        for line in String(decoding: stdout, as: UTF8.self).split(separator: "\n") {
            let row = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            let file = try #require(row["file"]?.stringValue)
            python[URL(fileURLWithPath: file).resolvingSymlinksInPath().path] = row["valid"]?.boolValue
        }
        #expect(process.terminationStatus == 0, "the script found files whose verdict differs from their name: \(stderr)")
        let schemas = try EventSchemaSet.load(directory: Self.schemasDirectory)
        let files = try Self.corpusFiles()
        #expect(python.count == files.count)
        for url in files {
            let name = "\(url.deletingLastPathComponent().lastPathComponent)/\(url.lastPathComponent)"
            guard let py = python[url.resolvingSymlinksInPath().path] else {
                Issue.record("no Python verdict for \(name)")
                continue
            }
            let swift = Self.swiftViolations(try Self.parse(url), schemas: schemas).isEmpty
            #expect(py == swift, "\(name): Python says \(py ? "valid" : "invalid"), Swift says \(swift ? "valid" : "invalid")")
            #expect(py == url.lastPathComponent.hasPrefix("valid-"), "\(name)")
        }
    }
}
