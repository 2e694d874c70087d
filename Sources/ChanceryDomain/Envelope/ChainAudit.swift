import Foundation

/// A SHA-256 digest in 32 bytes (the verifier keeps one or two per event; a hex `String` would take four times as much).
public struct Hash32: Sendable, Hashable {
    var a: UInt64, b: UInt64, c: UInt64, d: UInt64

    /// Parses 64 lower- or upper-case hex digits; `nil` otherwise.
    public init?(hex: String) {
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var i = 0
        for c in hex.utf8 {
            guard i < 64 else { return nil }
            let v: UInt64
            switch c {
            case 48...57: v = UInt64(c - 48)
            case 97...102: v = UInt64(c - 87)
            case 65...70: v = UInt64(c - 55)
            default: return nil
            }
            switch i >> 4 {
            case 0: w.0 = w.0 << 4 | v
            case 1: w.1 = w.1 << 4 | v
            case 2: w.2 = w.2 << 4 | v
            default: w.3 = w.3 << 4 | v
            }
            i += 1
        }
        guard i == 64 else { return nil }
        a = w.0
        b = w.1
        c = w.2
        d = w.3
    }

    /// The genesis hash (64 zeros).
    public static let genesis = Hash32(hex: CloudEvent.genesisHash)!
}

/// One journal row as an auditor reads it: where it is in the log of record, what the journal's index columns say,
/// and the bytes exactly as appended (`audit.journal`).
public struct JournalEntry: Sendable {
    public var position: Int64
    /// The journal's `subject` column: nil for a dead letter.
    public var subject: String?
    /// The journal's `sequence` column.
    public var sequence: Int64?
    /// The journal's `hash` column.
    public var hash: String?
    /// The record value: the CloudEvent JSON as appended.
    public var value: [UInt8]

    public init(position: Int64, subject: String?, sequence: Int64?, hash: String?, value: [UInt8]) {
        self.position = position
        self.subject = subject
        self.sequence = sequence
        self.hash = hash
        self.value = value
    }
}

/// A journal row checked on its own (no other event needed): decoded, its hash recomputed from the stored bytes and
/// compared with the hash it carries and with the journal's columns. Pure and independent per row, so a verifier
/// can compute these in parallel and then chain them in log order.
public struct CheckedEntry: Sendable {
    public var position: Int64
    /// The stream: the event's own `subject` when it decodes, else the journal's column.
    public var subject: String
    public var sequence: Int64?
    /// The hash the event carries (what its successor's prevhash must name).
    public var hash: String?
    public var prevhash: String?
    /// The decoded event (nil when the bytes are not a CloudEvent).
    public var event: CloudEvent?
    /// Why the row is not self-consistent (empty when it is): hash mismatch, undecodable, columns that disagree.
    public var problems: [String]

    /// Checks `entry`, which must be a canonical event (`subject` set).
    public init(_ entry: JournalEntry, decoder: JSONDecoder = JSONDecoder()) {
        position = entry.position
        problems = []
        guard let event = try? decoder.decode(CloudEvent.self, from: Data(entry.value)) else {
            subject = entry.subject ?? ""
            sequence = entry.sequence
            hash = entry.hash
            problems.append("the stored bytes are not a CloudEvent")
            return
        }
        self.event = event
        subject = event.subject
        sequence = event.sequence
        hash = event.hash
        prevhash = event.prevhash
        if event.hash == nil {
            problems.append("the stored event carries no hash")
        } else {
            let recomputed = event.computeHash()
            if recomputed != event.hash {
                problems.append("hash mismatch: the event carries \(event.hash!.prefix(12))…, its stored bytes hash to \(recomputed.prefix(12))…")
            }
        }
        if event.sequence == nil { problems.append("the stored event carries no sequence") }
        if event.prevhash == nil { problems.append("the stored event carries no prevhash") }
        if let column = entry.subject, column != event.subject {
            problems.append("the journal's subject column says \(column), the event \(event.subject)")
        }
        if let column = entry.sequence, column != event.sequence {
            problems.append("the journal's sequence column says \(column), the event \(event.sequence.map(String.init) ?? "none")")
        }
        if let column = entry.hash, column != event.hash {
            problems.append("the journal's hash column says \(column.prefix(12))…, the event \(event.hash.map { String($0.prefix(12)) } ?? "none")…")
        }
    }

    /// Whether the row is self-consistent.
    public var selfConsistent: Bool { problems.isEmpty }
}

/// Something `verify` found wrong in the log of record.
public struct ChainFinding: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The stored bytes do not hash to the hash they carry, do not decode, or disagree with the journal's columns.
        case changed
        /// A sequence of a stream is missing (a gap never filled), or a journal position is missing.
        case removed
        /// An event comes in the log after a later event of its own stream.
        case reordered
        /// A second copy of an event (same stream, sequence and hash).
        case duplicated
        /// A second, different event with a sequence the stream already has.
        case inserted
        /// The event is self-consistent but its prevhash does not name its predecessor's hash (the predecessor was
        /// rewritten with a new hash, or this event was forged into the chain).
        case brokenLink = "broken-link"
        /// A record the consumers read from a canonical topic that the log of record does not hold: produced straight
        /// into the topic, not appended through the gateway.
        case forged
        /// A stored checkpoint whose signed note does not verify (signature, size or root altered), or whose stored size
        /// or root differs from its note.
        case checkpointAltered = "checkpoint-altered"
        /// A correctly signed checkpoint that is not consistent with the earlier one (RFC 9162 §2.1.4).
        case checkpointInconsistent = "checkpoint-inconsistent"
        /// A correctly signed, consistent checkpoint whose root is not the root of the journal's first events: the
        /// journal was changed after it was signed.
        case checkpointMismatch = "checkpoint-mismatch"
    }

    public var kind: Kind
    /// Journal position of the event at fault (for a removed event: the missing position when one can be told).
    public var position: Int64?
    public var subject: String?
    public var sequence: Int64?
    /// The tree size of the checkpoint at fault (checkpoint findings only).
    public var treeSize: Int64?
    public var detail: String

    public init(kind: Kind, position: Int64?, subject: String?, sequence: Int64?, detail: String) {
        self.kind = kind
        self.position = position
        self.subject = subject
        self.sequence = sequence
        self.detail = detail
    }
}

/// The result of a verification of the whole log of record.
public struct ChainReport: Sendable, Codable {
    /// Journal rows read (canonical events and dead letters).
    public var records: Int
    /// Canonical events among them.
    public var events: Int
    public var deadLetters: Int
    public var streams: Int
    public var lastPosition: Int64
    /// Findings in the order found (removed ones last); empty when the log verifies.
    public var findings: [ChainFinding]
    /// Count of findings per kind (every kind listed).
    public var counts: [String: Int]
    /// Whether the log verifies (no finding).
    public var ok: Bool
}

/// Recomputes every stream's hash chain from the journal read in position order (`chancery verify`).
///
/// Feed ``CheckedEntry`` values (canonical events) and dead-letter positions in strictly increasing position order,
/// then call ``finish()``. Per event it keeps its position and two 32-byte hashes (about 90 bytes with the array
/// slot), so one million events take about 90 MB.
public struct ChainVerifier: Sendable {
    struct Slot: Sendable {
        var position: Int64
        var hash: Hash32?
        var prevhash: Hash32?
    }

    struct Stream: Sendable {
        /// Index `sequence - 1`; nil for a sequence not seen (yet).
        var slots: [Slot?] = []
        /// Highest sequence seen and its position.
        var highest: Int64 = 0
        var highestPosition: Int64 = 0
    }

    private var streams: [String: Stream] = [:]
    private var findings: [ChainFinding] = []
    private var nextPosition: Int64 = 1
    /// Journal positions missing (ranges), in order.
    private var missingPositions: [ClosedRange<Int64>] = []
    public private(set) var records = 0
    public private(set) var events = 0
    public private(set) var deadLetters = 0

    public init() {}

    /// Findings so far.
    public var findingCount: Int { findings.count }

    private mutating func see(position: Int64) {
        if position > nextPosition { missingPositions.append(nextPosition...(position - 1)) }
        nextPosition = max(nextPosition, position + 1)
        records += 1
    }

    /// A dead letter (a journal row without subject) at `position`.
    public mutating func addDeadLetter(position: Int64) {
        see(position: position)
        deadLetters += 1
    }

    /// The next canonical event in position order.
    public mutating func add(_ e: CheckedEntry) {
        see(position: e.position)
        events += 1
        if !e.problems.isEmpty {
            findings.append(ChainFinding(kind: .changed, position: e.position, subject: e.subject, sequence: e.sequence,
                                         detail: e.problems.joined(separator: "; ")))
        }
        guard let sequence = e.sequence, sequence >= 1, sequence <= Int64(Int32.max) else {
            if e.sequence != nil {
                findings.append(ChainFinding(kind: .changed, position: e.position, subject: e.subject, sequence: e.sequence, detail: "sequence out of range"))
            }
            return
        }
        let slot = Slot(position: e.position, hash: e.hash.flatMap(Hash32.init(hex:)), prevhash: e.prevhash.flatMap(Hash32.init(hex:)))
        var s = streams[e.subject] ?? Stream()
        streams[e.subject] = nil  // keep the storage uniquely referenced while mutating
        defer { streams[e.subject] = s }
        let index = Int(sequence - 1)
        if index < s.slots.count, let existing = s.slots[index] {
            if existing.hash != nil, existing.hash == slot.hash {
                findings.append(ChainFinding(kind: .duplicated, position: e.position, subject: e.subject, sequence: sequence,
                                             detail: "a second copy of sequence \(sequence), first at position \(existing.position)"))
            } else {
                findings.append(ChainFinding(kind: .inserted, position: e.position, subject: e.subject, sequence: sequence,
                                             detail: "another event with sequence \(sequence), which the stream already has at position \(existing.position)"))
            }
            return
        }
        if index < s.slots.count {
            findings.append(ChainFinding(kind: .reordered, position: e.position, subject: e.subject, sequence: sequence,
                                         detail: "sequence \(sequence) comes after sequence \(s.highest) of its stream (position \(s.highestPosition))"))
        } else if index > s.slots.count {
            s.slots.append(contentsOf: repeatElement(Slot?.none, count: index - s.slots.count))
        }
        if index == s.slots.count { s.slots.append(slot) } else { s.slots[index] = slot }
        if sequence > s.highest {
            s.highest = sequence
            s.highestPosition = e.position
        }
        // The link to the predecessor…
        if let prev = slot.prevhash {
            if index == 0 {
                if prev != Hash32.genesis {
                    findings.append(ChainFinding(kind: .brokenLink, position: e.position, subject: e.subject, sequence: sequence,
                                                 detail: "the first event of its stream has prevhash \(e.prevhash!.prefix(12))…, not the genesis hash"))
                }
            } else if let before = s.slots[index - 1], let h = before.hash, h != prev {
                findings.append(ChainFinding(kind: .brokenLink, position: e.position, subject: e.subject, sequence: sequence,
                                             detail: "prevhash \(e.prevhash!.prefix(12))… does not name the hash of sequence \(sequence - 1) (position \(before.position))"))
            }
        }
        // … and from the successor, when the successor came first (reordering).
        if index + 1 < s.slots.count, let after = s.slots[index + 1], let h = slot.hash, let p = after.prevhash, p != h {
            findings.append(ChainFinding(kind: .brokenLink, position: after.position, subject: e.subject, sequence: sequence + 1,
                                         detail: "prevhash does not name the hash of sequence \(sequence) (position \(e.position))"))
        }
    }

    /// Closes the verification: sequences never seen become `removed` findings (with the missing journal position
    /// between their neighbours when there is one), and so do missing journal positions no stream accounts for.
    public mutating func finish() -> ChainReport {
        var attributed = Set<Int64>()
        var removed: [ChainFinding] = []
        for (subject, s) in streams.sorted(by: { $0.key < $1.key }) {
            for (i, slot) in s.slots.enumerated() where slot == nil {
                let before = (0..<i).reversed().lazy.compactMap { s.slots[$0]?.position }.first ?? 0
                let after = ((i + 1)..<s.slots.count).lazy.compactMap { s.slots[$0]?.position }.first ?? Int64.max
                let lo = min(before, after), hi = max(before, after)
                let position = firstMissing(in: lo, hi, excluding: attributed)
                if let position { attributed.insert(position) }
                removed.append(ChainFinding(kind: .removed, position: position, subject: subject, sequence: Int64(i + 1),
                                            detail: "sequence \(i + 1) is missing from the stream"
                                                + (position.map { " (journal position \($0) is missing)" } ?? "")))
            }
        }
        for range in missingPositions {
            for p in range where !attributed.contains(p) {
                removed.append(ChainFinding(kind: .removed, position: p, subject: nil, sequence: nil,
                                            detail: "journal position \(p) is missing"))
                if removed.count > 100_000 { break }
            }
        }
        removed.sort { ($0.position ?? .max) < ($1.position ?? .max) }
        let all = findings + removed
        var counts = Dictionary(uniqueKeysWithValues: ChainFinding.Kind.allCases.map { ($0.rawValue, 0) })
        for f in all { counts[f.kind.rawValue, default: 0] += 1 }
        return ChainReport(records: records, events: events, deadLetters: deadLetters, streams: streams.count,
                           lastPosition: nextPosition - 1, findings: all, counts: counts, ok: all.isEmpty)
    }

    private func firstMissing(in lo: Int64, _ hi: Int64, excluding taken: Set<Int64>) -> Int64? {
        guard hi > lo, hi - lo >= 2 else { return nil }
        for range in missingPositions where range.upperBound > lo && range.lowerBound < hi {
            var p = max(range.lowerBound, lo + 1)
            while p <= range.upperBound && p < hi {
                if !taken.contains(p) { return p }
                p += 1
            }
        }
        return nil
    }
}

/// The chain links of one stream's events in sequence order, as `GET /v1/streams/{subject}` shows them.
public enum StreamLinks {
    /// Whether each event links: it is self-consistent, its sequence follows the previous one's and its prevhash names
    /// the previous hash (the genesis hash for sequence 1).
    /// - Parameters:
    ///   - entries: the stream's events in sequence order.
    ///   - previous: sequence and hash of the event before the first of `entries` (paging), nil when `entries`
    ///     starts the stream.
    /// - Returns: per entry, whether it links and why not.
    public static func check(_ entries: [CheckedEntry], previous: (sequence: Int64, hash: String?)? = nil) -> [(ok: Bool, problems: [String])] {
        var prevSequence: Int64 = previous?.sequence ?? 0
        var prevHash: String? = previous == nil ? CloudEvent.genesisHash : previous!.hash
        return entries.map { e in
            var problems = e.problems
            if let seq = e.sequence, seq != prevSequence + 1 {
                problems.append("sequence \(seq) follows sequence \(prevSequence)")
            }
            if let ph = e.prevhash, ph != prevHash {
                problems.append("prevhash \(ph.prefix(12))… does not name the previous hash \(prevHash.map { String($0.prefix(12)) } ?? "none")…")
            }
            prevSequence = e.sequence ?? prevSequence + 1
            prevHash = e.hash
            return (ok: problems.isEmpty, problems: problems)
        }
    }
}
