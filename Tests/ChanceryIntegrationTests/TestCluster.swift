import ChanceryDomain
import ChanceryGateway
import ChanceryHTTP
import ChanceryKafka
import ChanceryPostgres
import ChanceryRuntime
import ChanceryProjections
import ChanceryServer
import ChancerySupervision
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// A fresh database on the server named by `CHANCERY_TEST_DATABASE_URL` (set by `make test`).
struct TestDatabase {
    static let environmentKey = "CHANCERY_TEST_DATABASE_URL"
    let url: String
    let name: String

    static var baseURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment[environmentKey] else {
                throw TestSetupError("\(environmentKey) is not set: run `make test`, which starts a throwaway PostgreSQL")
            }
            return url
        }
    }

    static func create() async throws -> TestDatabase {
        let base = try baseURL
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await PostgresConnection.connect(url: base, logger: Logger(label: "test"))
        try await admin.execute("CREATE DATABASE \(unescaped: name)")
        await admin.close()
        let url = base.replacingOccurrences(of: "/chancery", with: "/\(name)")
        return TestDatabase(url: url, name: name)
    }

    func drop() async {
        guard let admin = try? await PostgresConnection.connect(url: try TestDatabase.baseURL, logger: Logger(label: "test")) else { return }
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
        await admin.close()
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A gateway on an embedded broker over a fresh database; projector and supervisor are run by the test.
final class TestCluster: Sendable {
    let node: ChanceryNode
    let database: TestDatabase
    let logger: Logger
    let calendars: RegionCalendars

    private init(node: ChanceryNode, database: TestDatabase, logger: Logger) throws {
        self.node = node
        self.database = database
        self.logger = logger
        self.calendars = try RegionCalendars.bundled()
    }

    /// - Parameters:
    ///   - brokers: an existing broker (nil: a new embedded one owned by the node).
    ///   - database: an existing test database (nil: a new one, dropped by ``stop()``).
    ///   - seedCatalog: whether to register the items of ``Events/catalog`` (tests that append a whole
    ///     scenario with its own catalog pass false).
    static func start(brokers: String? = nil, database: TestDatabase? = nil, seedCatalog: Bool = true,
                      configure: (inout NodeConfiguration) -> Void = { _ in }) async throws -> TestCluster {
        let db: TestDatabase
        if let database { db = database } else { db = try await TestDatabase.create() }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        var config = NodeConfiguration(databaseURL: db.url)
        config.kafkaBrokers = brokers
        config.roles = [.gateway]
        config.assignment = .all
        config.partitions = 3
        configure(&config)
        let node = try await ChanceryNode.start(config, registry: PrometheusCollectorRegistry(), logger: logger)
        // The catalog the test cases refer to (the gateway refuses a case for an unknown item).
        if seedCatalog { _ = try await node.gateway!.append(Events.catalog) }
        return try TestCluster(node: node, database: db, logger: logger)
    }

    /// Runs `body` with a started cluster and always stops it afterwards.
    static func with<T: Sendable>(seedCatalog: Bool = true, configure: (inout NodeConfiguration) -> Void = { _ in },
                                  _ body: (TestCluster) async throws -> T) async throws -> T {
        let cluster = try await start(seedCatalog: seedCatalog, configure: configure)
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    func stop() async {
        await node.shutdown()
        await database.drop()
    }

    /// Stops the node but keeps its database (to start another node on it).
    func stopKeepingDatabase() async {
        await node.shutdown()
    }

    var gateway: Gateway { node.gateway! }

    /// The HTTP application over this cluster's gateway and database, with the test tokens.
    func application() -> some ApplicationProtocol {
        Application(router: buildRouter(database: node.database, gateway: node.gateway, appender: node.gateway, registry: node.registry,
                                        resolver: TestTokens.resolver))
    }

    func projector(batchSize: Int = 2000, fault: (@Sendable (ExactlyOnceConsumer.Stage, [ConsumedEvent]) throws -> Void)? = nil, database: PostgresClient? = nil) -> ExactlyOnceConsumer {
        ExactlyOnceConsumer(group: ReadModelProjector.consumerGroup, topics: node.topics.allCanonical,
                            kafka: KafkaConfiguration(bootstrapServers: node.bootstrapServers), database: database ?? node.database,
                            handler: ReadModelProjector(calendars: calendars), assignment: .all, logger: logger, batchSize: batchSize,
                            faultInjector: fault, publisher: GatewayPublisher(appender: gateway, logger: logger))
    }

    func supervisor(batchSize: Int = 2000, policy: SupervisionPolicy = .standard,
                    fault: (@Sendable (ExactlyOnceConsumer.Stage, [ConsumedEvent]) throws -> Void)? = nil) -> ExactlyOnceConsumer {
        ExactlyOnceConsumer(group: Supervisor.consumerGroup, topics: Supervisor.topics(node.topics),
                            kafka: KafkaConfiguration(bootstrapServers: node.bootstrapServers), database: node.database,
                            handler: Supervisor(calendars: calendars, policy: policy, topics: node.topics, logger: logger), assignment: .all, logger: logger,
                            batchSize: batchSize, faultInjector: fault, publisher: GatewayPublisher(appender: gateway, logger: logger))
    }

    /// One live-mode tick of `supervisor` at `now`, its alerts appended through this cluster's gateway.
    func tick(_ supervisor: Supervisor, now: Date) async throws {
        try await LiveSupervisionClock.tick(supervisor, now: now, database: node.database, publisher: GatewayPublisher(appender: gateway, logger: logger))
    }

    /// Runs `consumers` in the background while `body` runs; cancels them afterwards.
    func running<T: Sendable>(_ consumers: [ExactlyOnceConsumer], _ body: () async throws -> T) async throws -> T {
        let tasks = consumers.map { c in Task { try await c.run() } }
        do {
            let result = try await body()
            for t in tasks { t.cancel() }
            for t in tasks { _ = try? await t.value }
            return result
        } catch {
            for t in tasks { t.cancel() }
            for t in tasks { _ = try? await t.value }
            throw error
        }
    }

    /// Waits until `sql` (returning one bigint) equals `expected`, or fails after `seconds`.
    func eventually(_ sql: String, equals expected: Int64, on db: PostgresClient? = nil, seconds: Double = 120) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var last: Int64 = -1
        while Date() < deadline {
            last = try await (db ?? node.database).query(sql).first?.decode(Int64?.self, at: 0) ?? 0
            if last == expected { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(sql) stayed at \(last), expected \(expected)")
        throw TestSetupError("timed out")
    }
}

/// Fixed tokens for tests.
enum TestTokens {
    static let admin = AccessToken(id: "testadmin", secret: "adminsecret0123456789")
    static let analyst = AccessToken(id: "testanalyst", secret: "analystsecret0123456789")
    static let auditor = AccessToken(id: "testauditor", secret: "auditorsecret0123456789")
    /// May publish for /430424/departments/test in region 430424 only.
    static let integrator = AccessToken(id: "testintegrator", secret: "integratorsecret0123456789")

    struct Resolver: PrincipalResolver {
        func principal(forBearer bearer: String) async throws -> Principal? {
            switch AccessToken(bearer) {
            case admin: Principal(tokenID: admin.id, role: .admin)
            case analyst: Principal(tokenID: analyst.id, role: .analyst)
            case auditor: Principal(tokenID: auditor.id, role: .auditor)
            case integrator: Principal(tokenID: integrator.id, role: .integrator, sources: ["/430424/departments/test"], regions: ["430424"])
            default: nil
            }
        }
    }
    static let resolver = Resolver()
}

/// Builders of test events.
enum Events {
    static let region = "430424"
    static let source = "/430424/departments/test"

    static func event(_ type: String, subject: String, id: String, time: String, data: JSONValue) -> JSONValue {
        [
            "specversion": "1.0", "id": .string(id), "source": .string(source), "type": .string(type),
            "subject": .string(subject), "time": .string(time), "region": .string(region), "data": data,
        ]
    }

    /// The items of the test cases: `430424XK001` of department `test` and `SO` of `building` in Hengdong, `SO` of
    /// `building` in Burlington.
    static let catalog: [SubmittedEvent] = [
        ("430424", "430424XK001", "test", "2025-01-02T09:00:00+08:00"), ("430424", "SO", "building", "2025-01-02T09:00:00+08:00"),
        ("3524002", "SO", "building", "2015-01-02T09:00:00-05:00"),
    ].map { region, code, department, time in
        let json: JSONValue = [
            "specversion": "1.0", "id": .string("item-\(code)"), "source": .string("/\(region)/departments/\(department)"),
            "type": "gov.catalog.item.registered", "subject": .string("item/\(region)/\(code)"), "time": .string(time), "region": .string(region),
            "data": ["itemCode": .string(code), "itemName": "测试事项", "itemKind": "licensing", "departmentCode": .string(department),
                     "departmentName": .string(department), "statutoryLimit": 20, "promisedLimit": 5, "caseType": "promised"],
        ]
        return SubmittedEvent(event: try! EventValidator.validate(json))
    }

    static func submitted(_ n: String, id: String? = nil) -> JSONValue {
        event("gov.approval.case.submitted", subject: "case/430424/\(n)", id: id ?? "\(n)-1", time: "2025-03-03T09:00:00+08:00",
              data: ["caseNumber": .string(n), "itemCode": "430424XK001", "departmentCode": "test", "applicantName": "张三"])
    }

    static func accepted(_ n: String, limit: Int64 = 5, id: String? = nil) -> JSONValue {
        event("gov.approval.case.accepted", subject: "case/430424/\(n)", id: id ?? "\(n)-2", time: "2025-03-03T10:00:00+08:00",
              data: ["caseType": "promised", "promisedLimit": .integer(limit), "promisedLimitUnit": "working-days", "statutoryLimit": 20])
    }

    static func step(_ n: String, id: String, step: String = "review") -> JSONValue {
        event("gov.approval.case.step.completed", subject: "case/430424/\(n)", id: id, time: "2025-03-04T10:00:00+08:00",
              data: ["step": .string(step)])
    }

    static func decided(_ n: String) -> JSONValue {
        event("gov.approval.case.decided", subject: "case/430424/\(n)", id: "\(n)-d", time: "2025-03-05T10:00:00+08:00", data: ["decision": "approved"])
    }

    static func concluded(_ n: String, time: String = "2025-03-05T11:00:00+08:00") -> JSONValue {
        event("gov.approval.case.concluded", subject: "case/430424/\(n)", id: "\(n)-c", time: time, data: [:])
    }

    /// The `n`-th event (id `<subject>#<n>`) of glossary type `name` on `subject` in Hengdong, validated.
    static func numbered(_ subject: String, _ n: Int, _ name: String, _ time: String, _ data: JSONValue) -> SubmittedEvent {
        let json: JSONValue = [
            "specversion": "1.0", "id": .string("\(subject)#\(n)"), "source": .string(source), "type": .string(EventCatalog.named(name).type),
            "subject": .string(subject), "time": .string(time), "region": .string(region), "data": data,
        ]
        return SubmittedEvent(event: try! EventValidator.validate(json))
    }

    static func body(_ value: JSONValue) -> ByteBuffer {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return ByteBuffer(bytes: try! e.encode(value))
    }

    static func setting(_ value: JSONValue, _ key: String, _ new: JSONValue) -> JSONValue {
        guard case .object(var o) = value else { return value }
        o[key] = new
        return .object(o)
    }
}

extension TestClientProtocol {
    /// POSTs one event (or a batch when `value` is an array) to /v1/events with `token` (admin by default).
    func post(_ value: JSONValue, contentType: String? = nil, token: AccessToken? = TestTokens.admin) async throws -> TestResponse {
        let type = contentType ?? (value.arrayValue != nil ? "application/cloudevents-batch+json" : "application/cloudevents+json")
        var headers: HTTPFields = [.contentType: type]
        if let token { headers[.authorization] = "Bearer \(token.text)" }
        return try await execute(uri: "/v1/events", method: .post, headers: headers, body: Events.body(value))
    }

    /// GETs `uri` with `token` (analyst by default).
    func read(_ uri: String, token: AccessToken? = TestTokens.analyst) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token.text)" }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}

extension TestResponse {
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))) ?? .null }
}
