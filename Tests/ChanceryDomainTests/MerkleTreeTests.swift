import ChanceryDomain
import Crypto
import Testing

/// The RFC 9162 Merkle tree against the Certificate Transparency test vectors (the eight leaf inputs and the node
/// and root hashes that Trillian and transparency-dev/merkle test with), and properties over every size up to 40.
@Suite("Merkle tree (RFC 9162)")
struct MerkleTreeTests {
    static func h(_ hex: String) -> Merkle.Hash { Merkle.bytes(hex: hex)! }

    /// The leaf inputs of the CT vectors.
    static let inputs: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map { h($0) }
    /// Complete subtree hashes by level.
    static let nodes: [[Merkle.Hash]] = [
        ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
         "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7", "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
         "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
         "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"].map { h($0) },
        ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
         "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"].map { h($0) },
        ["d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"].map { h($0) },
        ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"].map { h($0) },
    ]
    /// Roots by tree size 0…8.
    static let roots: [Merkle.Hash] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4", "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map { h($0) }

    static var vectorTree: InMemoryMerkleTree { InMemoryMerkleTree(leafHashes: inputs.map(Merkle.leafHash)) }

    @Test("leaf and node hashes, and the root of every size 0…8, equal the CT vectors")
    func vectors() throws {
        #expect(Self.inputs.map(Merkle.leafHash) == Self.nodes[0])
        let tree = Self.vectorTree
        for level in 0..<Self.nodes.count {
            for (index, hash) in Self.nodes[level].enumerated() {
                #expect(tree.nodes[Merkle.NodeID(level: level, index: Int64(index))] == hash, "node (\(level), \(index))")
            }
        }
        for size in 0...8 {
            #expect(try tree.root(size: Int64(size)) == Self.roots[size], "root of \(size)")
            #expect(Merkle.root(leaves: Self.nodes[0].prefix(size)) == Self.roots[size], "reference root of \(size)")
        }
    }

    @Test("inclusion proofs equal the CT vectors")
    func inclusionVectors() throws {
        let tree = Self.vectorTree
        let n = Self.nodes
        // (leaf index, tree size, expected path)
        let cases: [(Int64, Int64, [Merkle.Hash])] = [
            (0, 1, []),
            (0, 8, [n[0][1], n[1][1], n[2][1]]),
            (5, 8, [n[0][4], n[1][3], n[2][0]]),
            (2, 3, [n[1][0]]),
            (1, 5, [n[0][0], n[1][1], n[0][4]]),
        ]
        for (index, size, path) in cases {
            let proof = try tree.inclusionProof(index: index, size: size)
            #expect(proof == path, "leaf \(index) in \(size)")
            #expect(Merkle.verifyInclusion(leafHash: n[0][Int(index)], index: index, size: size, proof: proof, root: Self.roots[Int(size)]))
        }
    }

    @Test("consistency proofs equal the CT vectors")
    func consistencyVectors() throws {
        let tree = Self.vectorTree
        let n = Self.nodes
        let cases: [(Int64, Int64, [Merkle.Hash])] = [
            (1, 1, []),
            (1, 8, [n[0][1], n[1][1], n[2][1]]),
            (6, 8, [n[1][2], n[1][3], n[2][0]]),
            (2, 5, [n[1][1], n[0][4]]),
            // Derived by hand from PROOF of RFC 9162 §2.1.4.1: MTH(D[4:7]) = node(D[4:6], D[6]).
            (3, 7, [n[0][2], n[0][3], n[1][0], Merkle.nodeHash(n[1][2], n[0][6])]),
        ]
        for (m, size, path) in cases {
            let proof = try tree.consistencyProof(from: m, to: size)
            #expect(proof == path, "\(m) → \(size)")
            #expect(Merkle.verifyConsistency(from: m, to: size, firstRoot: Self.roots[Int(m)], secondRoot: Self.roots[Int(size)], proof: proof))
        }
    }

    static func tree(_ count: Int, salt: UInt8 = 0) -> (InMemoryMerkleTree, [Merkle.Hash]) {
        let leaves = (0..<count).map { i in Merkle.leafHash(Array(SHA256.hash(data: [UInt8(i & 0xff), UInt8(i >> 8), salt]))) }
        return (InMemoryMerkleTree(leafHashes: leaves), leaves)
    }

    @Test("for every size up to 40: roots equal the reference MTH, every inclusion proof verifies, and a changed leaf, index or root fails")
    func inclusionProperties() throws {
        let (tree, leaves) = Self.tree(40)
        for size in Int64(1)...40 {
            let root = try tree.root(size: size)
            #expect(root == Merkle.root(leaves: leaves.prefix(Int(size))))
            for index in 0..<size {
                let proof = try tree.inclusionProof(index: index, size: size)
                #expect(Merkle.verifyInclusion(leafHash: leaves[Int(index)], index: index, size: size, proof: proof, root: root))
                var changed = leaves[Int(index)]
                changed[0] ^= 1
                #expect(!Merkle.verifyInclusion(leafHash: changed, index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    #expect(!Merkle.verifyInclusion(leafHash: leaves[Int(index)], index: (index + 1) % size, size: size, proof: proof, root: root))
                    var badProof = proof
                    badProof[0][31] ^= 0x80
                    #expect(!Merkle.verifyInclusion(leafHash: leaves[Int(index)], index: index, size: size, proof: badProof, root: root))
                }
                #expect(!Merkle.verifyInclusion(leafHash: leaves[Int(index)], index: index, size: size, proof: proof + [root], root: root))
            }
        }
    }

    @Test("consistency proofs between every pair of sizes up to 40 verify, and fail for another tree's root or an altered proof")
    func consistencyProperties() throws {
        let (tree, _) = Self.tree(40)
        let (other, _) = Self.tree(40, salt: 1)
        for n in Int64(1)...40 {
            let second = try tree.root(size: n)
            for m in Int64(1)...n {
                let first = try tree.root(size: m)
                let proof = try tree.consistencyProof(from: m, to: n)
                #expect(Merkle.verifyConsistency(from: m, to: n, firstRoot: first, secondRoot: second, proof: proof), "\(m) → \(n)")
                #expect(!Merkle.verifyConsistency(from: m, to: n, firstRoot: try other.root(size: m), secondRoot: second, proof: proof), "forged first \(m) → \(n)")
                if m < n {
                    var altered = proof
                    altered[altered.count - 1][0] ^= 1
                    #expect(!Merkle.verifyConsistency(from: m, to: n, firstRoot: first, secondRoot: second, proof: altered), "altered \(m) → \(n)")
                    #expect(!Merkle.verifyConsistency(from: m, to: n, firstRoot: first, secondRoot: try other.root(size: n), proof: proof))
                }
            }
        }
    }

    @Test("a frontier rebuilt from stored perfect subtrees continues the same tree")
    func frontierRestart() throws {
        let (tree, leaves) = Self.tree(37)
        var restarted = try MerkleFrontier(size: 21, nodes: tree.nodes)
        for leaf in leaves[21...] { restarted.append(leafHash: leaf) }
        #expect(restarted.root == (try tree.root(size: 37)))
        #expect(throws: MerkleError.self) { try MerkleFrontier(size: 21, nodes: [:]) }
    }

    @Test("an event's leaf is SHA-256(0x00 ‖ the 32 bytes of its hex hash)")
    func eventLeaf() {
        let hex = String(repeating: "ab", count: 32)
        #expect(Merkle.eventLeafHash(hex: hex) == Array(SHA256.hash(data: [0x00] + [UInt8](repeating: 0xab, count: 32))))
        #expect(Merkle.eventLeafHash(hex: "abc") == nil)
        #expect(Merkle.eventLeafHash(hex: String(repeating: "zz", count: 32)) == nil)
    }
}
