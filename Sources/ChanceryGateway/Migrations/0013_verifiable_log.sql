-- The verifiable log (README, "The verifiable log"): an RFC 9162 Merkle tree over the canonical events of the journal in
-- position order, its signed checkpoints and the keys that signed them. Written only by the checkpoint service.
CREATE TABLE audit.tree_leaves (
    leaf_index bigint PRIMARY KEY,
    position bigint NOT NULL UNIQUE
);
COMMENT ON TABLE audit.tree_leaves IS 'Leaf i of the Merkle tree is the canonical event at this journal position (rows of audit.journal with a hash, in position order; dead letters are not leaves).';

CREATE TABLE audit.tree_nodes (
    level smallint NOT NULL CHECK (level >= 0),
    node_index bigint NOT NULL CHECK (node_index >= 0),
    hash bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, node_index)
);
COMMENT ON TABLE audit.tree_nodes IS 'Every complete (perfect) subtree of the Merkle tree: (level, node_index) covers leaves node_index*2^level up to (node_index+1)*2^level - 1; level 0 holds the leaf hashes SHA-256(0x00 || event hash bytes). Any root or proof is built from O(log^2 n) of these.';

CREATE TABLE audit.tree_head (
    shard integer PRIMARY KEY,
    size bigint NOT NULL CHECK (size >= 0),
    last_position bigint NOT NULL CHECK (last_position >= 0)
);
COMMENT ON TABLE audit.tree_head IS 'How far the tree of a gateway shard has read the journal: size leaves, up to journal position last_position (dead letters included).';

CREATE TABLE audit.checkpoints (
    tree_size bigint PRIMARY KEY,
    root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
    time timestamptz NOT NULL DEFAULT now(),
    note text NOT NULL
);
COMMENT ON TABLE audit.checkpoints IS 'Signed checkpoints: C2SP tlog-checkpoint signed notes (origin, tree size, base64 root hash, Ed25519 signature line). time is when it was signed (not part of the signed text).';

CREATE TABLE audit.checkpoint_keys (
    verifier_key text PRIMARY KEY,
    first_used timestamptz NOT NULL DEFAULT now(),
    first_tree_size bigint NOT NULL
);
COMMENT ON TABLE audit.checkpoint_keys IS 'Every verifier key (<name>+<hex key id>+<base64(0x01 || Ed25519 public key)>) that has signed checkpoints, with the first tree size it signed: after a key rotation, older checkpoints still verify with the older key.';
