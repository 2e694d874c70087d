import Crypto

/// The Merkle tree of RFC 9162 §2.1 (the hashing of Certificate Transparency), pure: no I/O.
///
/// Chancery's verifiable log is one such tree per gateway shard over the canonical events in journal position order
/// (README, "The verifiable log"): leaf `i` is `SHA-256(0x00 ‖ h)` where `h` is the 32 raw bytes of the `i`-th canonical
/// event's hash, and an inner node is `SHA-256(0x01 ‖ left ‖ right)`.
///
/// Storage is by *perfect subtrees*: ``Merkle/NodeID`` `(level, index)` covers the leaves
/// `index·2^level ..< (index+1)·2^level`. Every hash a root or proof needs is the hash of an *aligned* range (one that
/// the recursive split of RFC 9162 §2.1.1 produces), and such a range is a run of perfect subtrees of decreasing size,
/// so a root or proof for any tree size needs O(log² n) stored nodes, never the leaves.
public enum Merkle {
    /// A SHA-256 digest, 32 bytes.
    public typealias Hash = [UInt8]

    /// The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
    public static let emptyRoot: Hash = Array(SHA256.hash(data: [UInt8]()))

    /// `SHA-256(0x00 ‖ data)`.
    public static func leafHash(_ data: [UInt8]) -> Hash {
        var h = SHA256()
        h.update(data: [0x00])
        h.update(data: data)
        return Array(h.finalize())
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: Hash, _ right: Hash) -> Hash {
        var h = SHA256()
        h.update(data: [0x01])
        h.update(data: left)
        h.update(data: right)
        return Array(h.finalize())
    }

    /// The leaf of a canonical event: `SHA-256(0x00 ‖ the 32 bytes of its hex hash)`; nil when `hex` is not 64 hex digits.
    public static func eventLeafHash(hex: String) -> Hash? {
        guard let bytes = bytes(hex: hex), bytes.count == 32 else { return nil }
        return leafHash(bytes)
    }

    /// The largest power of two smaller than `n` (`n` ≥ 2).
    public static func split(_ n: Int64) -> Int64 {
        precondition(n >= 2)
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH of RFC 9162 §2.1.1 computed from the leaf hashes themselves (the reference definition; O(n)).
    public static func root(leaves: ArraySlice<Hash>) -> Hash {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let k = Int(split(Int64(leaves.count)))
            return nodeHash(root(leaves: leaves.prefix(k)), root(leaves: leaves.dropFirst(k)))
        }
    }

    /// A perfect subtree: leaves `index·2^level ..< (index+1)·2^level`; level 0 is a leaf.
    public struct NodeID: Hashable, Sendable, CustomStringConvertible {
        public var level: Int
        public var index: Int64
        public init(level: Int, index: Int64) {
            self.level = level
            self.index = index
        }
        public var leaves: Range<Int64> { (index << Int64(level))..<((index + 1) << Int64(level)) }
        public var description: String { "(\(level), \(index))" }
    }

    /// The perfect subtrees of an aligned range, left to right, in decreasing size: for `0..<n`, the binary digits
    /// of `n`. The range must be one that the MTH recursion produces (its start a multiple of the first subtree's size).
    public static func perfectSubtrees(_ range: Range<Int64>) -> [NodeID] {
        var out: [NodeID] = []
        var lo = range.lowerBound
        while lo < range.upperBound {
            var level = 0
            while lo % (Int64(1) << Int64(level + 1)) == 0 && lo + (Int64(1) << Int64(level + 1)) <= range.upperBound { level += 1 }
            out.append(NodeID(level: level, index: lo >> Int64(level)))
            lo += Int64(1) << Int64(level)
        }
        return out
    }

    /// MTH of an aligned range from the hashes of its perfect subtrees (fold from the right, as MTH splits).
    /// - Throws: ``MerkleError`` when a node is missing.
    public static func hash(of range: Range<Int64>, nodes: [NodeID: Hash]) throws(MerkleError) -> Hash {
        if range.isEmpty { return emptyRoot }
        let ids = perfectSubtrees(range)
        guard var acc = nodes[ids[ids.count - 1]] else { throw MerkleError("node \(ids[ids.count - 1]) is missing") }
        for id in ids.dropLast().reversed() {
            guard let left = nodes[id] else { throw MerkleError("node \(id) is missing") }
            acc = nodeHash(left, acc)
        }
        return acc
    }

    /// The ranges whose hashes make up the inclusion proof of leaf `index` in the tree of `size` leaves
    /// (PATH of RFC 9162 §2.1.3.1), from the leaf's sibling up to the root's child.
    public static func inclusionRanges(index: Int64, size: Int64) -> [Range<Int64>] {
        precondition(0 <= index && index < size)
        var out: [Range<Int64>] = []
        var lo: Int64 = 0
        var hi = size
        // Top-down, then reversed: the proof lists the deepest sibling first.
        while hi - lo > 1 {
            let k = split(hi - lo)
            if index < lo + k {
                out.append((lo + k)..<hi)
                hi = lo + k
            } else {
                out.append(lo..<(lo + k))
                lo += k
            }
        }
        return out.reversed()
    }

    /// The ranges whose hashes make up the consistency proof from the tree of `from` leaves to the tree of `to`
    /// leaves (PROOF of RFC 9162 §2.1.4.1); empty when `from` is 0 or equals `to`.
    public static func consistencyRanges(from m: Int64, to n: Int64) -> [Range<Int64>] {
        precondition(0 <= m && m <= n)
        guard m > 0, m < n else { return [] }
        var out: [Range<Int64>] = []
        // SUBPROOF(m, D[lo:hi], b), top-down; the nodes are appended after the recursive part, so collect and reverse.
        var lo: Int64 = 0
        var hi = n
        var rel = m
        var complete = true
        while true {
            let size = hi - lo
            if rel == size {
                if !complete { out.append(lo..<hi) }
                break
            }
            let k = split(size)
            if rel <= k {
                out.append((lo + k)..<hi)
                hi = lo + k
            } else {
                out.append(lo..<(lo + k))
                lo += k
                rel -= k
                complete = false
            }
        }
        // The recursion emits the innermost subproof first: the last found is the first in the proof.
        return out.reversed()
    }

    /// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leafHash: Hash, index: Int64, size: Int64, proof: [Hash], root: Hash) -> Bool {
        guard let computed = rootFromInclusion(leafHash: leafHash, index: index, size: size, proof: proof) else { return false }
        return computed == root
    }

    /// The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or nil when the proof has the wrong shape.
    public static func rootFromInclusion(leafHash: Hash, index: Int64, size: Int64, proof: [Hash]) -> Hash? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard p.count == 32, sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// Verifies a consistency proof between the tree of `from` leaves with root `firstRoot` and the tree of `to`
    /// leaves with root `secondRoot` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; every
    /// tree is consistent with the empty one.
    public static func verifyConsistency(from m: Int64, to n: Int64, firstRoot: Hash, secondRoot: Hash, proof: [Hash]) -> Bool {
        guard 0 <= m, m <= n else { return false }
        if m == 0 { return proof.isEmpty }
        if m == n { return proof.isEmpty && firstRoot == secondRoot }
        guard !proof.isEmpty, proof.allSatisfy({ $0.count == 32 }) else { return false }
        var path = proof
        if m & (m - 1) == 0 { path.insert(firstRoot, at: 0) }
        var fn = m - 1
        var sn = n - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }

    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of an even-length hex string (either case), or nil.
    public static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// The right edge of a growing tree (a compact range over `0..<size`): the perfect subtrees of ``Merkle/perfectSubtrees(_:)``
/// with their hashes. Appending a leaf returns the perfect subtrees it completes, which is what the log stores.
public struct MerkleFrontier: Sendable, Equatable {
    /// The number of leaves.
    public private(set) var size: Int64
    /// The perfect subtrees of `0..<size`, largest first, with their hashes.
    public private(set) var nodes: [(id: Merkle.NodeID, hash: Merkle.Hash)]

    public static func == (a: MerkleFrontier, b: MerkleFrontier) -> Bool {
        a.size == b.size && a.nodes.map(\.id) == b.nodes.map(\.id) && a.nodes.map(\.hash) == b.nodes.map(\.hash)
    }

    /// The empty tree.
    public init() {
        size = 0
        nodes = []
    }

    /// The frontier of the tree of `size` leaves from the hashes of its perfect subtrees.
    /// - Throws: ``MerkleError`` when one is missing.
    public init(size: Int64, nodes: [Merkle.NodeID: Merkle.Hash]) throws(MerkleError) {
        self.size = size
        self.nodes = []
        for id in Merkle.perfectSubtrees(0..<size) {
            guard let h = nodes[id] else { throw MerkleError("node \(id) of the frontier of size \(size) is missing") }
            self.nodes.append((id, h))
        }
    }

    /// Appends a leaf; returns the perfect subtrees it completes (the leaf itself first, then its ancestors).
    @discardableResult
    public mutating func append(leafHash: Merkle.Hash) -> [(id: Merkle.NodeID, hash: Merkle.Hash)] {
        var completed: [(id: Merkle.NodeID, hash: Merkle.Hash)] = [(Merkle.NodeID(level: 0, index: size), leafHash)]
        nodes.append(completed[0])
        size += 1
        while nodes.count >= 2, nodes[nodes.count - 1].id.level == nodes[nodes.count - 2].id.level {
            let right = nodes.removeLast()
            let left = nodes.removeLast()
            let merged = (id: Merkle.NodeID(level: left.id.level + 1, index: left.id.index >> 1), hash: Merkle.nodeHash(left.hash, right.hash))
            nodes.append(merged)
            completed.append(merged)
        }
        return completed
    }

    /// The root of the tree of ``size`` leaves.
    public var root: Merkle.Hash {
        guard var acc = nodes.last?.hash else { return Merkle.emptyRoot }
        for n in nodes.dropLast().reversed() { acc = Merkle.nodeHash(n.hash, acc) }
        return acc
    }
}

/// A whole tree in memory (tests, the offline CLI): every perfect subtree's hash, roots and proofs for any size.
public struct InMemoryMerkleTree: Sendable {
    public private(set) var frontier = MerkleFrontier()
    public private(set) var nodes: [Merkle.NodeID: Merkle.Hash] = [:]

    public init(leafHashes: [Merkle.Hash] = []) {
        for h in leafHashes { append(leafHash: h) }
    }

    public var size: Int64 { frontier.size }

    public mutating func append(leafHash: Merkle.Hash) {
        for n in frontier.append(leafHash: leafHash) { nodes[n.id] = n.hash }
    }

    /// MTH of the first `size` leaves.
    public func root(size: Int64) throws(MerkleError) -> Merkle.Hash {
        guard size <= self.size else { throw MerkleError("the tree has \(self.size) leaves, not \(size)") }
        return try Merkle.hash(of: 0..<size, nodes: nodes)
    }

    public func inclusionProof(index: Int64, size: Int64) throws(MerkleError) -> [Merkle.Hash] {
        guard size <= self.size, index >= 0, index < size else { throw MerkleError("no leaf \(index) in a tree of \(size) (of \(self.size)) leaves") }
        var out: [Merkle.Hash] = []
        for r in Merkle.inclusionRanges(index: index, size: size) { out.append(try Merkle.hash(of: r, nodes: nodes)) }
        return out
    }

    public func consistencyProof(from m: Int64, to n: Int64) throws(MerkleError) -> [Merkle.Hash] {
        guard 0 <= m, m <= n, n <= size else { throw MerkleError("no consistency proof from \(m) to \(n) in a tree of \(size) leaves") }
        var out: [Merkle.Hash] = []
        for r in Merkle.consistencyRanges(from: m, to: n) { out.append(try Merkle.hash(of: r, nodes: nodes)) }
        return out
    }
}

/// A Merkle computation that cannot be done: a missing node, a size out of range.
public struct MerkleError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
