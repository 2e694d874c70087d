import Foundation

/// The published JSON Schemas — `schemas/cloudevent.json` and `schemas/events/<type>.v<version>.json` —
/// loaded and compiled: the source of truth for the event catalog (``EventCatalog``) and for validating
/// `data` (``EventValidator``).
///
/// The files are bundled as resources of ChanceryDomain (`Resources/schemas` is a symlink to the
/// repository's `schemas/`, processed as resources, so the bundle holds them flat: `cloudevent.json` and
/// `gov.….v1.json` side by side). ``load(directory:)`` reads either layout.
public struct EventSchemaSet: Sendable {
    /// `cloudevent.json`: the envelope, with `$defs/submission` and `$defs/canonical`.
    public let envelope: JSONSchema
    /// Data schemas by CloudEvents `type`, then version.
    public let schemas: [String: [Int: JSONSchema]]
    /// The event types, in the order of the envelope's `type` enum (the glossary's order), each described
    /// by its newest schema.
    public let eventTypes: [EventType]

    /// The schema of `data` for `type` at `version`, or `nil` when there is none.
    public func schema(for type: String, version: Int) -> JSONSchema? { schemas[type]?[version] }

    /// The catalog entry of `type` as version `version` of its schema describes it (an older version's
    /// fields, for compatibility checks and upcasting), or `nil` when there is no such version.
    public func eventType(_ type: String, version: Int) -> EventType? {
        guard let schema = schema(for: type, version: version) else { return nil }
        return try? EventSchemaSet.eventType(type, version: version, schema: schema)
    }

    /// The file name of a data schema: `<type>.v<version>.json`.
    public static func fileName(type: String, version: Int) -> String { "\(type).v\(version).json" }

    /// The `$id` (and `dataschema`) of a data schema: `urn:chancery:schema:<type>:<version>`.
    public static func schemaID(type: String, version: Int) -> String { "urn:chancery:schema:\(type):\(version)" }

    /// Loads `cloudevent.json` and the data schemas from `directory`: from its `events/` subdirectory when
    /// there is one (the repository layout), otherwise from `directory` itself (the bundle layout).
    ///
    /// Every file is checked: its `$id` matches its name, it has a `title` (the glossary name) and a
    /// `description`, its root is an object schema, every field maps to a ``FieldSpec/Kind``, and the
    /// envelope's `type` enum lists exactly the types that have schemas.
    public static func load(directory: URL) throws(JSONSchema.LoadError) -> EventSchemaSet {
        let fm = FileManager.default
        func read(_ url: URL) throws(JSONSchema.LoadError) -> JSONSchema {
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw JSONSchema.LoadError("cannot read \(url.path): \(error)") }
            do { return try JSONSchema(parsing: data, formats: JSONSchema.Format.chancery) } catch { throw JSONSchema.LoadError("\(url.lastPathComponent): \(error.message)") }
        }
        let envelope = try read(directory.appendingPathComponent("cloudevent.json"))
        var eventsDirectory = directory.appendingPathComponent("events")
        var isDirectory: ObjCBool = false
        if !(fm.fileExists(atPath: eventsDirectory.path, isDirectory: &isDirectory) && isDirectory.boolValue) { eventsDirectory = directory }
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: eventsDirectory.path).sorted() } catch {
            throw JSONSchema.LoadError("cannot list \(eventsDirectory.path): \(error)")
        }
        var schemas: [String: [Int: JSONSchema]] = [:]
        for name in names {
            guard let (type, version) = parseFileName(name) else { continue }
            let schema = try read(eventsDirectory.appendingPathComponent(name))
            guard schema.id == schemaID(type: type, version: version) else {
                throw JSONSchema.LoadError("\(name): $id must be \(schemaID(type: type, version: version)), not \(schema.id ?? "missing")")
            }
            schemas[type, default: [:]][version] = schema
        }
        guard let typeEnum = envelope.root.property("type")?.enumValues?.compactMap(\.stringValue) else {
            throw JSONSchema.LoadError("cloudevent.json: properties/type must have an enum of the event types")
        }
        guard Set(typeEnum) == Set(schemas.keys), typeEnum.count == schemas.count else {
            let missing = Set(typeEnum).subtracting(schemas.keys).sorted(), unlisted = Set(schemas.keys).subtracting(typeEnum).sorted()
            throw JSONSchema.LoadError("cloudevent.json's type enum and the data schemas disagree: no schema for \(missing), not in the enum: \(unlisted)")
        }
        var eventTypes: [EventType] = []
        for type in typeEnum {
            let versions = schemas[type]!
            let newest = versions.keys.max()!
            guard versions.count == newest else { throw JSONSchema.LoadError("\(type): versions must be 1…\(newest) without gaps") }
            eventTypes.append(try eventType(type, version: newest, schema: versions[newest]!))
        }
        return EventSchemaSet(envelope: envelope, schemas: schemas, eventTypes: eventTypes)
    }

    /// `(type, version)` of a file named `<type>.v<version>.json`, or `nil`.
    static func parseFileName(_ name: String) -> (String, Int)? {
        guard name.hasSuffix(".json"), name.hasPrefix("gov.") else { return nil }
        let stem = name.dropLast(5)
        guard let dot = stem.range(of: ".v", options: .backwards), let version = Int(stem[dot.upperBound...]), version >= 1 else { return nil }
        return (String(stem[..<dot.lowerBound]), version)
    }

    /// The catalog entry described by a data schema.
    static func eventType(_ type: String, version: Int, schema: JSONSchema) throws(JSONSchema.LoadError) -> EventType {
        let file = fileName(type: type, version: version)
        let parts = type.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0] == "gov", parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }) else {
            throw JSONSchema.LoadError("\(file): a type is gov.<topic>.<kind>.<words> in lower-case letters")
        }
        let root = schema.root
        guard let title = root.title, !title.isEmpty else { throw JSONSchema.LoadError("\(file): title (the glossary name) is missing") }
        guard let summary = root.summary, !summary.isEmpty else { throw JSONSchema.LoadError("\(file): description is missing") }
        guard root.types == [.object] else { throw JSONSchema.LoadError("\(file): data must be \"type\": \"object\"") }
        var fields: [FieldSpec] = []
        for (name, node) in root.properties {
            fields.append(try field(name, node, required: root.required.contains(name), in: schema, file: file))
        }
        for name in root.required where root.property(name) == nil {
            throw JSONSchema.LoadError("\(file): required '\(name)' is not among the properties")
        }
        return EventType(
            name: title, type: type, topic: parts[0...1].joined(separator: "."), streamKind: String(parts[2]),
            version: version, fields: fields, summary: summary)
    }

    static func field(_ name: String, _ node: JSONSchema.Node, required: Bool, in schema: JSONSchema, file: String) throws(JSONSchema.LoadError) -> FieldSpec {
        let chain = schema.refChain(node)
        func first<T>(_ get: (JSONSchema.Node) -> T?) -> T? {
            for n in chain { if let v = get(n) { return v } }
            return nil
        }
        let personal = first { $0.extensions["x-personal-data"]?.boolValue } ?? false
        let types = first { $0.types }
        let kind: FieldSpec.Kind
        if first({ $0.extensions["x-unit"]?.stringValue }) == "working-days" {
            kind = .workingDays
        } else if let values = first({ $0.enumValues }), values.allSatisfy({ $0.stringValue != nil }) {
            kind = .oneOf(values.compactMap(\.stringValue))
        } else if let c = first({ $0.constValue })?.stringValue {
            kind = .oneOf([c])
        } else if types == [.string] {
            switch first({ $0.format }) {
            case "date": kind = .date
            case "date-time": kind = .dateTime
            default: kind = .string
            }
        } else if types == [.integer] {
            kind = .integer
        } else if types == [.boolean] {
            kind = .boolean
        } else {
            throw JSONSchema.LoadError("\(file): field '\(name)' has no kind the catalog knows (string, enum, date, date-time, working days, integer, boolean)")
        }
        return FieldSpec(name, kind, required: required, personal: personal, summary: first { $0.summary } ?? "")
    }
}

/// The schemas bundled with ChanceryDomain.
public enum EventSchemas {
    /// The directory of the bundled schema files, or `nil` when the resource bundle lacks them.
    public static var bundledDirectory: URL? {
        Bundle.module.url(forResource: "cloudevent", withExtension: "json")?.deletingLastPathComponent()
            ?? Bundle.module.url(forResource: "cloudevent", withExtension: "json", subdirectory: "schemas")?.deletingLastPathComponent()
    }

    /// The repository's `schemas/` beside this source file, when it exists: used only if the bundle lacks
    /// the schemas (a build from a checkout whose Package.swift does not process `Resources/schemas`).
    public static var sourceTreeDirectory: URL? {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemas")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("cloudevent.json").path) ? url : nil
    }

    /// The bundled schemas, loaded once. Missing or broken schemas are a packaging error and stop the process
    /// with the reason.
    public static let bundled: EventSchemaSet = {
        guard let directory = bundledDirectory ?? sourceTreeDirectory else {
            preconditionFailure("ChanceryDomain's resource bundle has no schemas (cloudevent.json): Package.swift must list .process(\"Resources/schemas\")")
        }
        do { return try EventSchemaSet.load(directory: directory) } catch {
            preconditionFailure("the event schemas in \(directory.path) do not load: \(error)")
        }
    }()
}
