import Foundation
import Testing

/// The published API documents, `schemas/openapi.yaml` (OpenAPI 3.1) and `schemas/asyncapi.yaml`
/// (AsyncAPI 3.0.0), pass `scripts/validate-api-docs.py`: openapi-spec-validator, every relative `$ref`
/// resolving, examples valid against their schemas, every event type of `schemas/events` documented as a
/// message, and the routes, problem codes, consumer groups and dead-letter headers of `Sources/` documented.
@Suite("API documents")
struct APIDocumentsTests {
    /// The folder holding Package.swift, found by going up from this file.
    static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()

    @Test("scripts/validate-api-docs.py accepts schemas/openapi.yaml and schemas/asyncapi.yaml")
    func documentsValidate() throws {
        let script = Self.packageRoot.appendingPathComponent("scripts/validate-api-docs.py")
        try #require(FileManager.default.fileExists(atPath: script.path), "no \(script.path)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.currentDirectoryURL = Self.packageRoot
        // One pipe for both streams: the script's problems go to stderr, and reading one stream to its end
        // while the other fills up could block both processes.
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus != 2,
                     "scripts/validate-api-docs.py could not run (python3 with `pip install -r scripts/requirements-api-docs.txt` is needed):\n\(text)")
        #expect(process.terminationStatus == 0, "scripts/validate-api-docs.py exited \(process.terminationStatus):\n\(text)")
    }
}
