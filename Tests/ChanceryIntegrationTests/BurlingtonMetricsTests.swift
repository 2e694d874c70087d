import ChanceryRuntime
import ChanceryDomain
import ChanceryGateway
import ChanceryImport
import ChanceryServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Chancery's metrics on the real Burlington permits equal an independent computation: for every permit type,
/// the number concluded, the number on time and the median business days used, as
/// `scripts/burlington-independent.py` computes them with the `holidays` package and none of Chancery's code.
@Suite("Burlington metrics", .serialized, .timeLimit(.minutes(6)))
struct BurlingtonMetricsTests {
    static func independent() throws -> JSONValue {
        let root = PackageRoot.packageRoot
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/burlington-independent.py").path]
        process.currentDirectoryURL = root
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scripts/burlington-independent.py exited \(process.terminationStatus): \(message)")
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    @Test("on-time rate and median business days per permit type equal the independent Python computation")
    func perPermitType() async throws {
        let expected = try Self.independent()
        let root = PackageRoot.packageRoot
        let csv = try String(contentsOf: root.appendingPathComponent("examples/data/burlington-building-permits.csv"), encoding: .utf8)
        let mapping = try JSONDecoder().decode(LegacyImportMapping.self,
                                               from: Data(contentsOf: root.appendingPathComponent("examples/mappings/burlington-building-permits.json")))
        let imported = try LegacyImport.events(csvText: csv, mapping: mapping)
        try await TestCluster.with(seedCatalog: false) { cluster in
            var start = 0
            while start < imported.events.count {
                let batch = imported.events[start..<min(start + 2000, imported.events.count)]
                _ = try await cluster.gateway.append(batch.map { SubmittedEvent(event: $0) })
                start += 2000
            }
            try await cluster.running([cluster.projector()]) {
                try await cluster.eventually("SELECT count(*) FROM audit.events WHERE region = '3524002'", equals: Int64(imported.events.count), seconds: 240)
            }
            try await cluster.application().test(.router) { client in
                let r = try await client.read("/v1/metrics/cases?region=3524002&groupBy=item&period=all")
                let rows = try #require(r.json["rows"]?.arrayValue)
                let types = try #require(expected.objectValue)
                #expect(rows.count == types.count)
                for (code, figures) in types {
                    let row = try #require(rows.first { $0["itemCode"] == .string(code) }, "no row for \(code)")
                    #expect(row["concluded"] == figures["count"], "\(code)")
                    #expect(row["concludedOnTime"] == figures["onTime"], "\(code)")
                    #expect(row["onTimeRate"]?.doubleValue == figures["onTimeRate"]?.doubleValue, "\(code)")
                    #expect(row["medianWorkingDays"]?.doubleValue == figures["median"]?.doubleValue, "\(code)")
                }
            }
        }
    }
}

/// The folder holding Package.swift, found by going up from this file.
enum PackageRoot {
    static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }()
}
