import ChanceryDomain
import Foundation
import Testing

/// The published schema files: bundled unchanged, loadable, and consistent with the envelope rules.
@Suite("Schema files")
struct SchemaFilesTests {
    static let schemasDirectory = repositoryRoot.appendingPathComponent("schemas")

    static func repositoryFiles() throws -> [String: Data] {
        let fm = FileManager.default
        var out: [String: Data] = [:]
        out["cloudevent.json"] = try Data(contentsOf: schemasDirectory.appendingPathComponent("cloudevent.json"))
        for name in try fm.contentsOfDirectory(atPath: schemasDirectory.appendingPathComponent("events").path) where name.hasSuffix(".json") {
            out[name] = try Data(contentsOf: schemasDirectory.appendingPathComponent("events").appendingPathComponent(name))
        }
        return out
    }

    @Test("the module bundles exactly the files of schemas/, byte for byte")
    func bundledEqualsRepository() throws {
        let bundled = try #require(EventSchemas.bundledDirectory, "ChanceryDomain's bundle has no schemas")
        let repository = try Self.repositoryFiles()
        let fm = FileManager.default
        var bundledFiles: [String: Data] = [:]
        for name in try fm.contentsOfDirectory(atPath: bundled.path) where name == "cloudevent.json" || (name.hasPrefix("gov.") && name.hasSuffix(".json")) {
            bundledFiles[name] = try Data(contentsOf: bundled.appendingPathComponent(name))
        }
        #expect(Set(bundledFiles.keys) == Set(repository.keys))
        for (name, data) in repository {
            #expect(bundledFiles[name] == data, "\(name) differs between schemas/ and the bundle (rebuild?)")
        }
    }

    @Test("the bundled set and the repository set load and describe the same catalog")
    func loads() throws {
        let fromRepository = try EventSchemaSet.load(directory: Self.schemasDirectory)
        #expect(fromRepository.eventTypes == EventSchemas.bundled.eventTypes)
        #expect(fromRepository.eventTypes == EventCatalog.all)
        #expect(EventSchemas.bundled.envelope.id == "urn:chancery:schema:cloudevent")
    }

    @Test("the envelope's type enum lists the catalog; its subject rule pairs each type with its stream kind")
    func envelopeTypes() throws {
        let envelope = EventSchemas.bundled.envelope
        let values = envelope.root.property("type")?.enumValues ?? []
        let types = values.compactMap(\.stringValue)
        #expect(types == EventCatalog.all.map(\.type))
        func event(_ type: String, _ subject: String) -> JSONValue {
            ["specversion": "1.0", "id": "1", "source": "/s", "type": .string(type), "subject": .string(subject),
             "time": "2025-03-05T10:00:00+08:00", "region": "430424", "data": [:]]
        }
        for t in EventCatalog.all {
            #expect(envelope.isValid(event(t.type, "\(t.streamKind)/430424/1"), against: "/$defs/submission"), "\(t.type)")
            let other = t.streamKind == "case" ? "letter" : "case"
            #expect(!envelope.isValid(event(t.type, "\(other)/430424/1"), against: "/$defs/submission"), "\(t.type) on a \(other) stream")
        }
    }

    @Test("canonical events (as the gateway appends them) validate against $defs/canonical, submissions do not")
    func canonical() throws {
        var event = CloudEvent(id: "1", source: "/430424/departments/test", type: "gov.approval.case.refused", subject: "case/430424/1",
                               time: "2025-03-05T10:00:00+08:00", region: "430424", data: ["reason": "不属于本机关职权范围"],
                               dataschema: "urn:chancery:schema:gov.approval.case.refused:1", sequence: 1, recordedtime: "2025-03-05T02:00:01.000Z",
                               prevhash: CloudEvent.genesisHash)
        event.hash = event.computeHash()
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(event.jsonBytes()))
        let envelope = EventSchemas.bundled.envelope
        #expect(envelope.validate(json, against: "/$defs/canonical").isEmpty)
        #expect(!envelope.isValid(json, against: "/$defs/submission"))
        #expect(envelope.isValid(json))
    }

    @Test("the envelope schema agrees with EventValidator on time, region and subject shapes")
    func envelopeShapes() {
        let envelope = EventSchemas.bundled.envelope
        let times = ["2025-03-05T10:00:00+08:00", "2025-03-05T02:00:00Z", "2025-03-05T02:00:00.1Z", "2025-03-05T02:00:00.123456789-05:00",
                     "2025-03-05t02:00:00z", "2025-03-05T10:00:00", "2025-03-05T10:00:00.Z", "2025-03-05T10:00:00.1234567890Z",
                     "2025-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2025-03-05T10:00:00+8:00", "2025-03-05T10:00:00+24:00",
                     "2025-03-05 10:00:00Z", "20250305T100000Z", "2025-03-05T25:00:00Z", "2025-03-05T10:60:00Z"]
        for time in times {
            let swift = (try? RFC3339Timestamp(parsing: time)) != nil
            let event: JSONValue = ["specversion": "1.0", "id": "1", "source": "/s", "type": "gov.approval.case.refused", "subject": "case/430424/1",
                                    "time": .string(time), "region": "430424", "data": [:]]
            #expect(envelope.isValid(event, against: "/$defs/submission") == swift, "\(time)")
        }
        // Times RFC 3339 allows but PostgreSQL cannot store (StorageLimits.checkTime): the schema refuses them too.
        for time in ["2025-03-05T10:00:00+15:59", "2025-03-05T10:00:00-15:59", "2025-03-05T10:00:00+16:00", "2025-03-05T10:00:00-23:59",
                     "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5+08:00", "0000-06-01T00:00:00Z", "0001-01-02T00:00:00Z"] {
            var storable = true
            do { try StorageLimits.checkTime(time, pointer: "/time") } catch { storable = false }
            let event: JSONValue = ["specversion": "1.0", "id": "1", "source": "/s", "type": "gov.approval.case.refused", "subject": "case/430424/1",
                                    "time": .string(time), "region": "430424", "data": [:]]
            #expect(envelope.isValid(event, against: "/$defs/submission") == storable, "\(time)")
        }
        for region in ["430424", "3524002", "43042", "43042400", "43042a", "４３０４２４"] {
            let event: JSONValue = ["specversion": "1.0", "id": "1", "source": "/s", "type": "gov.approval.case.refused", "subject": .string("case/\(region)/1"),
                                    "time": "2025-03-05T10:00:00Z", "region": .string(region), "data": [:]]
            #expect(envelope.isValid(event, against: "/$defs/submission") == (Region(region) != nil), "\(region)")
        }
        for subject in ["case/430424/1", "case/430424/a/b", "case/430424/", "case//1", "/430424/1", "case/430424", "case/4304245/x"] {
            let region = StreamID(subject)?.region ?? "430424"
            let event: JSONValue = ["specversion": "1.0", "id": "1", "source": "/s", "type": "gov.approval.case.refused", "subject": .string(subject),
                                    "time": "2025-03-05T10:00:00Z", "region": .string(region), "data": [:]]
            #expect(envelope.isValid(event, against: "/$defs/submission") == (StreamID(subject) != nil), "\(subject)")
        }
    }
}
