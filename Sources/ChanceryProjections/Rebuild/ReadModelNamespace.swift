import ChanceryPostgres

/// Where a copy of the read models built from the log lives: a replay (`chancery replay --into NAME`), the shadow of
/// `chancery verify --read-models` or a rebuild. The live read models are spread over the schemas of
/// ``liveSchemas`` (`approval.cases`, `audit.events` …) and every query qualifies its tables, so a build named `NAME`
/// gets one schema per live schema, `NAME__approval`, `NAME__audit` …, and the unchanged projector, supervisor, read API
/// and reports reach it through a ``PostgresSchemaRoute`` (``route``) that rewrites `approval.` to `"NAME__approval".`.
///
/// Names: 1–30 characters, lower-case ASCII letters, digits and `_`, starting with a letter, no `__` (the separator),
/// and not a live schema name, `public`, `live`, `pg_…` or `information_schema`.
public struct ReadModelNamespace: Sendable, Hashable, CustomStringConvertible {
    /// Every schema of the live layout, as the migrations create them (a test holds this list equal to their
    /// `CREATE SCHEMA` statements).
    public static let liveSchemas = ["approval", "audit", "auth", "catalog", "disclosure", "interaction", "portal", "projection", "supervision"]

    /// The build's name.
    public let name: String

    /// Why a name is refused.
    public struct InvalidName: Error, CustomStringConvertible {
        /// The refused name.
        public var name: String
        /// What is wrong with it, in English.
        public var reason: String
        public var description: String { "invalid read-model schema name '\(name)': \(reason)" }
    }

    /// - Throws: ``InvalidName`` for a name outside the rules above (the live schemas and `public` in particular).
    public init(_ name: String) throws(InvalidName) {
        guard !name.isEmpty, name.count <= 30 else { throw InvalidName(name: name, reason: "it must have 1 to 30 characters") }
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first),
              name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
            throw InvalidName(name: name, reason: "use lower-case letters, digits and _, starting with a letter")
        }
        guard !name.contains("__") else { throw InvalidName(name: name, reason: "__ separates the name from the schema; use a single _") }
        guard !(Self.liveSchemas + ["public", "live", "information_schema"]).contains(name), !name.hasPrefix("pg_") else {
            throw InvalidName(name: name, reason: "it names the live read models or a system schema")
        }
        self.name = name
    }

    /// The schema of this build that stands for live schema `live` (`NAME__approval`).
    public func schema(_ live: String) -> String { "\(name)__\(live)" }

    /// This build's schemas, one per live schema.
    public var schemas: [String] { Self.liveSchemas.map(schema) }

    /// The route that sends every live schema's qualified names to this build's schemas.
    public var route: PostgresSchemaRoute {
        PostgresSchemaRoute(mapping: Dictionary(uniqueKeysWithValues: Self.liveSchemas.map { ($0, schema($0)) }))
    }

    public var description: String { name }
}
