import ChanceryDomain
import ChanceryPostgres
import Foundation
import Logging

/// Settings of the checkpoint service (README, "The verifiable log").
public struct CheckpointConfiguration: Sendable {
    /// The file of the Ed25519 signing key (`PRIVATE+KEY+<name>+<id>+<key>`), created with mode 0600 on first use.
    public var keyFile: String
    /// The key name (and checkpoint origin) of a key generated on first use; an existing file keeps its own name.
    public var origin: String
    /// Sign a checkpoint once the tree has grown by this many events…
    public var everyEvents: Int64 = 1000
    /// …or this long after the last one, if the tree has grown at all.
    public var interval: Duration = .seconds(60)
    /// How often the service reads the journal's tail.
    public var poll: Duration = .seconds(1)
    /// The region (administrative division code) of the stream `checkpoint/<region>/log-<shard>` that each signed
    /// checkpoint is appended to as a CheckpointSigned event; nil: checkpoints are stored and served only.
    public var eventRegion: String?

    public init(keyFile: String, origin: String = "chancery.local/log/0") {
        self.keyFile = keyFile
        self.origin = origin
    }
}

/// Extends the Merkle tree from the journal's tail and signs a checkpoint every N events or T seconds; stores them in
/// `audit.checkpoints`. The private key stays in this process: it is read from its file and never logged.
///
/// **Checkpoints as events.** With ``CheckpointConfiguration/eventRegion`` and an appender, every signed checkpoint is
/// also appended through the gateway as a CheckpointSigned event (`gov.supervision.checkpoint.signed`, id
/// `checkpoint/<origin>/<tree size>`, so a retry appends nothing, on the stream `checkpoint/<region>/log-<shard>`).
/// That event is a canonical event like any other, hence a leaf of the *next* tree: the checkpoint of size N is
/// published at a position after its N leaves. To keep an idle log from signing a checkpoint of nothing but the
/// previous checkpoint's event (and so on, one a minute forever), a checkpoint is due only when the tree has grown by
/// events other than CheckpointSigned since the last one.
public struct CheckpointService: Sendable {
    public let tree: PostgresLogTree
    public let signer: NoteSigner
    public let configuration: CheckpointConfiguration
    let database: PostgresClient
    let logger: Logger
    /// Where CheckpointSigned events are appended (the gateway of this process); nil: not published.
    let appender: (any EventAppender)?

    /// The source of CheckpointSigned events.
    public static let eventSource = "/chancery/checkpoints"

    /// Loads the key (creating it on first use) and records its verifier key in `audit.checkpoint_keys`.
    /// - Parameter appender: the gateway that appends CheckpointSigned events (with ``CheckpointConfiguration/eventRegion``).
    public static func start(database: PostgresClient, configuration: CheckpointConfiguration, shard: Int = 0, appender: (any EventAppender)? = nil,
                             logger: Logger) async throws -> CheckpointService {
        let signer = try loadOrCreateKey(path: configuration.keyFile, name: configuration.origin, logger: logger)
        let tree = PostgresLogTree(database: database, shard: shard)
        let size = try await tree.head().size
        _ = try await database.execute(
            "INSERT INTO audit.checkpoint_keys (verifier_key, first_tree_size) VALUES (\(signer.verifier.encoded), \(size)) ON CONFLICT (verifier_key) DO NOTHING")
        logger.info("checkpoints signed", metadata: ["verifierKey": "\(signer.verifier.encoded)", "keyFile": "\(configuration.keyFile)"])
        return CheckpointService(tree: tree, signer: signer, configuration: configuration, database: database, logger: logger, appender: appender)
    }

    /// The signer in `path`, or a new key written there (mode 0600, parent folders created) when the file does not exist.
    /// - Throws: when the file exists but does not hold a signer key, or cannot be written.
    public static func loadOrCreateKey(path: String, name: String, logger: Logger) throws -> NoteSigner {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let signer: NoteSigner
            do { signer = try NoteSigner(encoded: text) } catch { throw SignedNoteError("\(path): \(error)") }
            if let mode = (try? fm.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                logger.warning("the checkpoint key file is readable by others: chmod 600 it", metadata: ["keyFile": "\(path)"])
            }
            return signer
        }
        let signer = try NoteSigner.generate(name: name)
        let url = URL(fileURLWithPath: path)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard fm.createFile(atPath: path, contents: Data((signer.encoded + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SignedNoteError("cannot create the checkpoint key file \(path)")
        }
        logger.notice("generated a checkpoint signing key", metadata: ["keyFile": "\(path)", "verifierKey": "\(signer.verifier.encoded)"])
        return signer
    }

    /// The newest checkpoint's size and time, if any.
    func latest() async throws -> (size: Int64, time: Date)? {
        guard let row = try await database.query("SELECT tree_size, time FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1").first else { return nil }
        return (try row.decode(Int64.self, at: 0), try row.decode(Date.self, at: 1))
    }

    /// Catches the tree up with the journal and signs a checkpoint when due (or whenever the tree grew, with `force`).
    /// - Returns: the signed note written now, if any.
    @discardableResult
    public func step(now: Date = Date(), force: Bool = false) async throws -> String? {
        let (size, root) = try await tree.catchUp()
        guard size > 0 else { return nil }
        let last = try await latest()
        if let last {
            guard size > last.size else { return nil }
            let grown = try await grownByOtherThanCheckpoints(since: last.size)
            guard grown > 0 else { return nil }
            let seconds = Double(configuration.interval.components.seconds)
            guard force || grown >= configuration.everyEvents || now.timeIntervalSince(last.time) >= seconds else { return nil }
        }
        let note = try signer.sign(Checkpoint(origin: signer.name, size: size, rootHash: root).text)
        _ = try await database.execute(
            "INSERT INTO audit.checkpoints (tree_size, root_hash, time, note) VALUES (\(size), \(Data(root)), \(now), \(note)) ON CONFLICT (tree_size) DO NOTHING")
        logger.debug("checkpoint signed", metadata: ["treeSize": "\(size)"])
        return note
    }

    /// Leaves from `leafIndex` on that are not CheckpointSigned events.
    func grownByOtherThanCheckpoints(since leafIndex: Int64) async throws -> Int64 {
        try await database.query(
            """
            SELECT count(*) FROM audit.tree_leaves l JOIN audit.journal j ON j.position = l.position
            WHERE l.leaf_index >= \(leafIndex) AND j.subject NOT LIKE 'checkpoint/%'
            """)[0].decode(Int64.self, at: 0)
    }

    /// The CheckpointSigned event of a stored checkpoint.
    public static func event(note: String, size: Int64, root: Merkle.Hash, time: Date, region: String, shard: Int) -> CloudEvent {
        let origin = note.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let type = EventCatalog.named("CheckpointSigned")
        let millis = (time.timeIntervalSince1970 * 1000).rounded(.down)
        let stamp = RFC3339Timestamp(epochSeconds: Int64((millis / 1000).rounded(.down)), nanoseconds: Int32(millis.truncatingRemainder(dividingBy: 1000)) * 1_000_000)
        return CloudEvent(
            id: "checkpoint/\(origin)/\(size)", source: eventSource, type: type.type, subject: "checkpoint/\(region)/log-\(shard)",
            time: stamp.description, region: region,
            data: ["origin": .string(origin), "treeSize": .integer(size), "rootHash": .string(Data(root).base64EncodedString()), "note": .string(note)],
            dataschema: type.dataschema())
    }

    /// Appends every stored checkpoint not yet published as a CheckpointSigned event, oldest first, and marks it
    /// published. A checkpoint the gateway refuses (its id already taken by other content, e.g. after a restore) is
    /// logged and marked, since no retry mends it; while the gateway is unavailable the rest wait for the next step.
    /// - Returns: the checkpoints published (or refused) now.
    @discardableResult
    public func publishPending() async throws -> Int {
        guard let appender, let region = configuration.eventRegion else { return 0 }
        let rows = try await database.query("SELECT tree_size, root_hash, time, note FROM audit.checkpoints WHERE NOT published ORDER BY tree_size")
        var done = 0
        for row in rows {
            let size = try row.decode(Int64.self, at: 0)
            let event = Self.event(note: try row.decode(String.self, at: 3), size: size, root: Array(try row.decode(Data.self, at: 1)),
                                   time: try row.decode(Date.self, at: 2), region: region, shard: tree.shard)
            do {
                _ = try await appender.append([SubmittedEvent(event: event)])
            } catch AppendFailure.rejected(_, let why) {
                logger.error("the checkpoint event was refused by the gateway", metadata: ["treeSize": "\(size)", "reason": "\(why)"])
            } catch AppendFailure.unavailable {
                return done
            }
            _ = try await database.execute("UPDATE audit.checkpoints SET published = true WHERE tree_size = \(size)")
            done += 1
        }
        return done
    }

    /// Runs ``step(now:force:)`` and ``publishPending()`` every ``CheckpointConfiguration/poll`` until cancelled.
    public func run() async throws {
        while !Task.isCancelled {
            try await step()
            try await publishPending()
            try await Task.sleep(for: configuration.poll)
        }
    }
}
