import Foundation

/// A JSON Schema (draft 2020-12) restricted to the keywords Chancery's published schemas use, compiled
/// for validation.
///
/// Supported: boolean schemas; `type` (one or a list); `const`, `enum`; `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`; `minLength`, `maxLength` (in code points),
/// `pattern` (unanchored search, ICU regular expressions — the subset shared with ECMA-262 and Python);
/// `format`, asserted (as Python's `jsonschema` does with a format checker) by the ``Format``s given at loading — a
/// general validator knows no formats of its own; Chancery's domain gives `date` and `date-time`;
/// `properties`, `required`, `additionalProperties`, `minProperties`, `maxProperties`; `items`,
/// `minItems`, `maxItems`; `$ref` to `#` or a JSON Pointer fragment within the same document (`#/$defs/x`);
/// `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`. Annotations (`$schema`, `$id`, `$comment`,
/// `$defs`, `title`, `description`, `examples`, `default`, `deprecated`, `readOnly`, `writeOnly` and any
/// `x-…` keyword) are kept or ignored. Any other keyword or format makes loading fail, so a schema never
/// silently asks for more than this validator checks.
public final class JSONSchema: Sendable {
    /// The document as written.
    public let document: OrderedJSON
    /// `$id` of the document, if any.
    public let id: String?
    /// The formats asserted, by name.
    private let formats: [String: Format]
    /// The compiled root.
    public let root: Node
    /// Compiled `$ref` targets by JSON Pointer within the document (`""` is the root).
    private let targets: [String: Node]

    /// Why a schema could not be loaded.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// A `format` this validator asserts: its name, what a value must be (for messages: "… must be <expectation>") and
    /// the check of a string value.
    public struct Format: Sendable {
        public var name: String
        public var expectation: String
        public var check: @Sendable (String) -> Bool

        public init(name: String, expectation: String, check: @escaping @Sendable (String) -> Bool) {
            self.name = name
            self.expectation = expectation
            self.check = check
        }
    }

    /// Compiles `document`, asserting `formats` (a `format` keyword naming any other makes loading fail).
    /// - Throws: ``LoadError`` naming the location of an unsupported or malformed keyword.
    public init(_ document: OrderedJSON, formats: [Format] = []) throws(LoadError) {
        self.document = document
        self.id = document["$id"]?.stringValue
        self.formats = Dictionary(formats.map { ($0.name, $0) }) { _, last in last }
        var compiler = Compiler(document: document, formats: Set(formats.map(\.name)))
        let root = try compiler.compile(document, at: "")
        var targets: [String: Node] = ["": root]
        // Every definition at the root is addressable (e.g. cloudevent.json's /$defs/submission).
        for member in document["$defs"]?.members ?? [] { compiler.pendingRefs.append("/$defs/\(JSONSchema.escape(member.key))") }
        while let pointer = compiler.pendingRefs.popLast() {
            guard targets[pointer] == nil else { continue }
            guard let sub = document.value(at: pointer) else { throw LoadError("$ref #\(pointer) points nowhere") }
            targets[pointer] = try compiler.compile(sub, at: pointer)
        }
        self.root = root
        self.targets = targets
    }

    /// Parses and compiles a schema file's bytes, asserting `formats`.
    public convenience init(parsing bytes: some Collection<UInt8>, formats: [Format] = []) throws(LoadError) {
        let document: OrderedJSON
        do { document = try OrderedJSON(parsing: bytes) } catch { throw LoadError("\(error)") }
        try self.init(document, formats: formats)
    }

    /// The compiled subschema at a JSON Pointer of the document: the root (`""`), a definition at the root
    /// (`/$defs/submission`) or any `$ref` target.
    public func subschema(at pointer: String) -> Node? {
        if let node = targets[pointer] { return node }
        return nil
    }

    /// `node` followed by the targets of its `$ref` chain: the nodes whose keywords together make the
    /// schema of a member (e.g. a property `{"$ref": "#/$defs/workingDays", "maximum": 20}`).
    public func refChain(_ node: Node) -> [Node] {
        var chain = [node]
        var current = node
        while let ref = current.ref, let target = targets[ref], chain.count < 32, !chain.contains(where: { $0 === target }) {
            chain.append(target)
            current = target
        }
        return chain
    }

    /// Validates `instance` against the root (or the subschema at `pointer`).
    ///
    /// - Returns: every violation found, in a stable order: at each object, its declared properties in
    ///   the schema's order (missing required ones where they are declared), then undeclared members
    ///   sorted by name. Empty when `instance` is valid.
    public func validate(_ instance: JSONValue, against pointer: String = "") -> [Violation] {
        guard let node = targets[pointer] ?? (pointer.isEmpty ? root : nil) else {
            return [Violation(pointer: "", keyword: "$ref", message: "the schema has no subschema at #\(pointer)")]
        }
        var out: [Violation] = []
        check(node, instance, "", &out, depth: 0)
        return out
    }

    /// Whether `instance` is valid.
    public func isValid(_ instance: JSONValue, against pointer: String = "") -> Bool {
        validate(instance, against: pointer).isEmpty
    }

    /// One way an instance fails its schema.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// RFC 6901 pointer into the instance: the member concerned (for `required`, the missing member).
        public var pointer: String
        /// The keyword that failed, e.g. `required`, `type`, `enum`, `additionalProperties`.
        public var keyword: String
        /// A sentence for a person, naming the member.
        public var message: String
        public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }
    }

    /// JSON Schema's instance types.
    public enum InstanceType: String, Sendable, Hashable, CaseIterable {
        case null, boolean, object, array, number, string, integer
    }

    /// A compiled (sub)schema. Its stored values are the keywords it had.
    public final class Node: Sendable {
        /// `true`/`false` for a boolean schema, `nil` for an object schema.
        public let booleanSchema: Bool?
        public let pointer: String
        public let types: [InstanceType]?
        public let constValue: JSONValue?
        public let enumValues: [JSONValue]?
        public let minimum: Double?
        public let maximum: Double?
        public let exclusiveMinimum: Double?
        public let exclusiveMaximum: Double?
        public let multipleOf: Double?
        public let minLength: Int?
        public let maxLength: Int?
        public let pattern: String?
        let regex: NSRegularExpression?
        public let format: String?
        /// Declared properties in document order.
        public let properties: [(name: String, schema: Node)]
        public let required: [String]
        public let additionalProperties: Node?
        public let minProperties: Int?
        public let maxProperties: Int?
        public let items: Node?
        public let minItems: Int?
        public let maxItems: Int?
        /// JSON Pointer of the `$ref` target within the document.
        public let ref: String?
        public let allOf: [Node]
        public let anyOf: [Node]
        public let oneOf: [Node]
        public let not: Node?
        public let ifSchema: Node?
        public let thenSchema: Node?
        public let elseSchema: Node?
        public let title: String?
        public let summary: String?
        /// Annotations whose name starts with `x-` (e.g. `x-personal-data`, `x-unit`).
        public let extensions: [String: JSONValue]

        init(boolean: Bool, pointer: String) {
            booleanSchema = boolean
            self.pointer = pointer
            types = nil; constValue = nil; enumValues = nil
            minimum = nil; maximum = nil; exclusiveMinimum = nil; exclusiveMaximum = nil; multipleOf = nil
            minLength = nil; maxLength = nil; pattern = nil; regex = nil; format = nil
            properties = []; required = []; additionalProperties = nil; minProperties = nil; maxProperties = nil
            items = nil; minItems = nil; maxItems = nil; ref = nil
            allOf = []; anyOf = []; oneOf = []; not = nil; ifSchema = nil; thenSchema = nil; elseSchema = nil
            title = nil; summary = nil; extensions = [:]
        }

        init(pointer: String, fields f: Compiler.Fields) {
            booleanSchema = nil
            self.pointer = pointer
            types = f.types; constValue = f.constValue; enumValues = f.enumValues
            minimum = f.minimum; maximum = f.maximum; exclusiveMinimum = f.exclusiveMinimum; exclusiveMaximum = f.exclusiveMaximum
            multipleOf = f.multipleOf
            minLength = f.minLength; maxLength = f.maxLength; pattern = f.pattern; regex = f.regex; format = f.format
            properties = f.properties; required = f.required; additionalProperties = f.additionalProperties
            minProperties = f.minProperties; maxProperties = f.maxProperties
            items = f.items; minItems = f.minItems; maxItems = f.maxItems; ref = f.ref
            allOf = f.allOf; anyOf = f.anyOf; oneOf = f.oneOf; not = f.not
            ifSchema = f.ifSchema; thenSchema = f.thenSchema; elseSchema = f.elseSchema
            title = f.title; summary = f.summary; extensions = f.extensions
        }

        /// The declared property `name`, or `nil`.
        public func property(_ name: String) -> Node? { properties.first { $0.name == name }?.schema }
    }

    // MARK: Compiling

    struct Compiler {
        let document: OrderedJSON
        /// The names of the formats asserted.
        let formats: Set<String>
        var pendingRefs: [String] = []

        static let annotations: Set<String> = [
            "$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
        ]

        struct Fields {
            var types: [InstanceType]?
            var constValue: JSONValue?
            var enumValues: [JSONValue]?
            var minimum: Double?, maximum: Double?, exclusiveMinimum: Double?, exclusiveMaximum: Double?, multipleOf: Double?
            var minLength: Int?, maxLength: Int?
            var pattern: String?
            var regex: NSRegularExpression?
            var format: String?
            var properties: [(name: String, schema: Node)] = []
            var required: [String] = []
            var additionalProperties: Node?
            var minProperties: Int?, maxProperties: Int?
            var items: Node?
            var minItems: Int?, maxItems: Int?
            var ref: String?
            var allOf: [Node] = [], anyOf: [Node] = [], oneOf: [Node] = []
            var not: Node?, ifSchema: Node?, thenSchema: Node?, elseSchema: Node?
            var title: String?, summary: String?
            var extensions: [String: JSONValue] = [:]
        }

        mutating func compile(_ json: OrderedJSON, at pointer: String) throws(LoadError) -> Node {
            if case .bool(let b) = json { return Node(boolean: b, pointer: pointer) }
            guard let members = json.members else { throw LoadError("#\(pointer): a schema must be an object or a boolean") }
            var f = Fields()
            func here(_ key: String) -> String { "\(pointer)/\(key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))" }
            func count(_ key: String, _ v: OrderedJSON) throws(LoadError) -> Int {
                guard case .integer(let n) = v, n >= 0 else { throw LoadError("#\(here(key)) must be a non-negative integer") }
                return Int(n)
            }
            func number(_ key: String, _ v: OrderedJSON) throws(LoadError) -> Double {
                guard let d = v.doubleValue else { throw LoadError("#\(here(key)) must be a number") }
                return d
            }
            func schemas(_ key: String, _ v: OrderedJSON) throws(LoadError) -> [Node] {
                guard let list = v.arrayValue, !list.isEmpty else { throw LoadError("#\(here(key)) must be a non-empty array of schemas") }
                var out: [Node] = []
                for (i, s) in list.enumerated() { out.append(try compile(s, at: "\(here(key))/\(i)")) }
                return out
            }
            for member in members {
                let key = member.key, v = member.value
                if Compiler.annotations.contains(key) {
                    switch key {
                    case "title": f.title = v.stringValue
                    case "description": f.summary = v.stringValue
                    case "$id" where !pointer.isEmpty: throw LoadError("#\(here(key)): $id is supported only at the root")
                    default: break
                    }
                    continue
                }
                if key.hasPrefix("x-") {
                    f.extensions[key] = v.jsonValue
                    continue
                }
                switch key {
                case "type":
                    let names: [String]
                    if let s = v.stringValue { names = [s] } else if let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) { names = a.compactMap(\.stringValue) } else {
                        throw LoadError("#\(here(key)) must be a type name or a list of them")
                    }
                    var types: [InstanceType] = []
                    for n in names {
                        guard let t = InstanceType(rawValue: n) else { throw LoadError("#\(here(key)): unknown type '\(n)'") }
                        types.append(t)
                    }
                    f.types = types
                case "const": f.constValue = v.jsonValue
                case "enum":
                    guard let a = v.arrayValue, !a.isEmpty else { throw LoadError("#\(here(key)) must be a non-empty array") }
                    f.enumValues = a.map(\.jsonValue)
                case "minimum": f.minimum = try number(key, v)
                case "maximum": f.maximum = try number(key, v)
                case "exclusiveMinimum": f.exclusiveMinimum = try number(key, v)
                case "exclusiveMaximum": f.exclusiveMaximum = try number(key, v)
                case "multipleOf":
                    let m = try number(key, v)
                    guard m > 0 else { throw LoadError("#\(here(key)) must be positive") }
                    f.multipleOf = m
                case "minLength": f.minLength = try count(key, v)
                case "maxLength": f.maxLength = try count(key, v)
                case "pattern":
                    guard let p = v.stringValue else { throw LoadError("#\(here(key)) must be a string") }
                    do { f.regex = try NSRegularExpression(pattern: p) } catch { throw LoadError("#\(here(key)): bad regular expression \(p)") }
                    f.pattern = p
                case "format":
                    guard let fmt = v.stringValue, formats.contains(fmt) else {
                        throw LoadError("#\(here(key)): unsupported format \(v) (supported: \(formats.sorted().joined(separator: ", ")))")
                    }
                    f.format = fmt
                case "properties":
                    guard let props = v.members else { throw LoadError("#\(here(key)) must be an object") }
                    for p in props {
                        guard !f.properties.contains(where: { $0.name == p.key }) else { throw LoadError("#\(here(key)): property \(p.key) declared twice") }
                        f.properties.append((p.key, try compile(p.value, at: "\(here(key))/\(p.key)")))
                    }
                case "required":
                    guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { throw LoadError("#\(here(key)) must be an array of names") }
                    f.required = a.compactMap(\.stringValue)
                case "additionalProperties": f.additionalProperties = try compile(v, at: here(key))
                case "minProperties": f.minProperties = try count(key, v)
                case "maxProperties": f.maxProperties = try count(key, v)
                case "items": f.items = try compile(v, at: here(key))
                case "minItems": f.minItems = try count(key, v)
                case "maxItems": f.maxItems = try count(key, v)
                case "$ref":
                    guard let r = v.stringValue, r.hasPrefix("#") else {
                        throw LoadError("#\(here(key)): only references within the document (#…) are supported")
                    }
                    let target = String(r.dropFirst()).removingPercentEncoding ?? String(r.dropFirst())
                    guard target.isEmpty || target.hasPrefix("/") else { throw LoadError("#\(here(key)): anchors are not supported, use a JSON Pointer") }
                    guard document.value(at: target) != nil else { throw LoadError("#\(here(key)): \(r) points nowhere") }
                    f.ref = target
                    pendingRefs.append(target)
                case "allOf": f.allOf = try schemas(key, v)
                case "anyOf": f.anyOf = try schemas(key, v)
                case "oneOf": f.oneOf = try schemas(key, v)
                case "not": f.not = try compile(v, at: here(key))
                case "if": f.ifSchema = try compile(v, at: here(key))
                case "then": f.thenSchema = try compile(v, at: here(key))
                case "else": f.elseSchema = try compile(v, at: here(key))
                default:
                    throw LoadError("#\(here(key)): keyword '\(key)' is not supported by Chancery's schema validator")
                }
            }
            return Node(pointer: pointer, fields: f)
        }
    }

    // MARK: Validating

    private func check(_ node: Node, _ value: JSONValue, _ path: String, _ out: inout [Violation], depth: Int) {
        func add(_ keyword: String, _ message: String, at p: String? = nil) {
            out.append(Violation(pointer: p ?? path, keyword: keyword, message: message))
        }
        let name = JSONSchema.name(of: path)
        if let b = node.booleanSchema {
            if !b { add("false", "\(name) is not allowed here") }
            return
        }
        guard depth < 64 else { add("$ref", "the schema nests too deeply (a $ref loop?)"); return }
        if let ref = node.ref, let target = targets[ref] {
            check(target, value, path, &out, depth: depth + 1)
        }
        if let types = node.types, !types.contains(where: { JSONSchema.matches(value, $0) }) {
            add("type", "\(name) must be \(JSONSchema.describe(types)), not \(value.typeName)")
            return
        }
        if let c = node.constValue, !JSONSchema.equal(value, c) {
            add("const", "\(name) must be \(JSONSchema.render(c))")
        }
        if let e = node.enumValues, !e.contains(where: { JSONSchema.equal(value, $0) }) {
            add("enum", "\(name) must be one of \(e.map(JSONSchema.renderBare).joined(separator: ", ")), not \(JSONSchema.render(value))")
        }
        switch value {
        case .string(let s):
            let length = s.unicodeScalars.count
            if let min = node.minLength, length < min {
                add("minLength", min == 1 ? "\(name) must not be empty" : "\(name) must have at least \(min) characters")
            }
            if let max = node.maxLength, length > max { add("maxLength", "\(name) must have at most \(max) characters") }
            if let regex = node.regex, regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil {
                add("pattern", "\(name) must match \(node.pattern ?? "")")
            }
            if let formatName = node.format, let format = formats[formatName], !format.check(s) {
                add("format", "\(name) must be \(format.expectation)")
            }
        case .integer, .number:
            let d: Double = if case .integer(let i) = value { Double(i) } else if case .number(let n) = value { n } else { 0 }
            if let m = node.minimum, d < m { add("minimum", "\(name) must be at least \(JSONSchema.show(m))") }
            if let m = node.maximum, d > m { add("maximum", "\(name) must be at most \(JSONSchema.show(m))") }
            if let m = node.exclusiveMinimum, d <= m { add("exclusiveMinimum", "\(name) must be more than \(JSONSchema.show(m))") }
            if let m = node.exclusiveMaximum, d >= m { add("exclusiveMaximum", "\(name) must be less than \(JSONSchema.show(m))") }
            if let m = node.multipleOf, (d / m).rounded() != d / m { add("multipleOf", "\(name) must be a multiple of \(JSONSchema.show(m))") }
        case .object(let members):
            var declared: Set<String> = []
            for (property, schema) in node.properties {
                declared.insert(property)
                let p = "\(path)/\(JSONSchema.escape(property))"
                if let v = members[property] {
                    check(schema, v, p, &out, depth: depth + 1)
                } else if node.required.contains(property) {
                    add("required", "'\(property)' is required", at: p)
                }
            }
            for property in node.required where !declared.contains(property) && members[property] == nil {
                add("required", "'\(property)' is required", at: "\(path)/\(JSONSchema.escape(property))")
            }
            if let extra = node.additionalProperties {
                for key in members.keys.sorted() where !declared.contains(key) {
                    let p = "\(path)/\(JSONSchema.escape(key))"
                    if extra.booleanSchema == false {
                        let allowed = node.properties.map(\.name)
                        add("additionalProperties", "'\(key)' is not a known member" + (allowed.isEmpty ? "" : "; known: \(allowed.joined(separator: ", "))"), at: p)
                    } else {
                        check(extra, members[key]!, p, &out, depth: depth + 1)
                    }
                }
            }
            if let min = node.minProperties, members.count < min { add("minProperties", "\(name) needs at least \(min) members") }
            if let max = node.maxProperties, members.count > max { add("maxProperties", "\(name) may have at most \(max) members") }
        case .array(let elements):
            if let items = node.items {
                for (i, e) in elements.enumerated() { check(items, e, "\(path)/\(i)", &out, depth: depth + 1) }
            }
            if let min = node.minItems, elements.count < min { add("minItems", "\(name) needs at least \(min) elements") }
            if let max = node.maxItems, elements.count > max { add("maxItems", "\(name) may have at most \(max) elements") }
        default:
            break
        }
        for sub in node.allOf { check(sub, value, path, &out, depth: depth + 1) }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { passes($0, value, path, depth) }) {
            add("anyOf", "\(name) matches none of the allowed forms")
        }
        if !node.oneOf.isEmpty {
            let n = node.oneOf.filter { passes($0, value, path, depth) }.count
            if n != 1 { add("oneOf", n == 0 ? "\(name) matches none of the allowed forms" : "\(name) matches more than one of the exclusive forms") }
        }
        if let not = node.not, passes(not, value, path, depth) { add("not", "\(name) has a form that is not allowed") }
        if let condition = node.ifSchema {
            if passes(condition, value, path, depth) {
                if let then = node.thenSchema { check(then, value, path, &out, depth: depth + 1) }
            } else if let otherwise = node.elseSchema {
                check(otherwise, value, path, &out, depth: depth + 1)
            }
        }
    }

    private func passes(_ node: Node, _ value: JSONValue, _ path: String, _ depth: Int) -> Bool {
        var scratch: [Violation] = []
        check(node, value, path, &scratch, depth: depth + 1)
        return scratch.isEmpty
    }

    // MARK: Helpers

    /// How a member is named in messages: `'promisedLimit'` for `/data/promisedLimit`, `the value` for the root.
    public static func name(of path: String) -> String {
        guard let last = path.split(separator: "/", omittingEmptySubsequences: false).last, !path.isEmpty else { return "the value" }
        let token = last.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        return "'\(token)'"
    }

    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func matches(_ value: JSONValue, _ type: InstanceType) -> Bool {
        switch (type, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string): true
        case (.number, .integer), (.number, .number), (.integer, .integer): true
        case (.integer, .number(let d)): d.isFinite && d.rounded() == d
        default: false
        }
    }

    static func describe(_ types: [InstanceType]) -> String {
        func one(_ t: InstanceType) -> String {
            switch t {
            case .null: "null"
            case .boolean: "a boolean"
            case .object: "an object"
            case .array: "an array"
            case .number: "a number"
            case .string: "a string"
            case .integer: "an integer"
            }
        }
        return types.map(one).joined(separator: " or ")
    }

    /// JSON equality as JSON Schema defines it: numbers compare by value (1 equals 1.0).
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .number(let y)), (.number(let y), .integer(let x)): Double(x) == y
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)): x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        default: a == b
        }
    }

    static func render(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): "\"\(s)\""
        case .integer(let i): String(i)
        case .number(let d): show(d)
        case .bool(let b): String(b)
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func renderBare(_ v: JSONValue) -> String {
        if case .string(let s) = v { return s }
        return render(v)
    }

    static func show(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

}
