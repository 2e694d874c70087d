#!/usr/bin/env python3
"""An independent verifier of Chancery's verifiable log, written from the specifications, not from Chancery's code:
RFC 9162 §2.1 (Merkle tree hashing, inclusion and consistency proof verification) and C2SP signed-note and
tlog-checkpoint (Ed25519 signatures over checkpoints). Uses hashlib and PyPI's `cryptography`.

    python3 scripts/verify-tlog.py BUNDLE.json

BUNDLE is JSON: {"verifierKey": "<name>+<key id hex>+<base64(0x01 ‖ Ed25519 public key)>",
                 "checkpoints": ["<signed note>", …],
                 "inclusion": [{"eventHash": "<hex>", "leafIndex": n, "treeSize": n, "hashes": ["<base64>", …]}, …],
                 "consistency": [{"from": n, "to": n, "hashes": ["<base64>", …]}, …]}
Every inclusion and consistency proof is checked against the roots of the checkpoints of its tree sizes. Prints one
line per check; exits 0 when all pass, 1 when any fails, 2 on a malformed bundle.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(event_hash_hex):
    return sha256(b"\x00" + bytes.fromhex(event_hash_hex))


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(leaf, index, size, path, root):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """RFC 9162 §2.1.4.2."""
    if first == 0 or first > second:
        return False
    if first == second:
        return not path and first_root == second_root
    if first & (first - 1) == 0:  # an exact power of two
        path = [first_root] + list(path)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def parse_verifier(text):
    """C2SP signed-note verifier key: <name>+<hex key id>+<base64(type 0x01 ‖ public key)>."""
    name, key_id, key = text.strip().split("+", 2)  # the base64 may hold "+" too
    raw = base64.b64decode(key)
    if raw[0] != 1 or len(raw) != 33:
        raise ValueError("not an Ed25519 verifier key")
    computed = sha256(name.encode() + b"\n" + raw)[:4]
    if computed.hex() != key_id.lower():
        raise ValueError(f"key id {key_id} does not match the key (expected {computed.hex()})")
    return name, computed, Ed25519PublicKey.from_public_bytes(raw[1:])


def open_note(note, verifier):
    """C2SP signed-note: the text, a blank line, signature lines '— <name> <base64(key id ‖ signature)>'.
    Returns the text when one signature by the verifier's key verifies over it, else None."""
    name, key_id, public_key = verifier
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        return None
    text, signatures = note[:split + 1], note[split + 2:]
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            return None
        parts = line[2:].split(" ")
        if len(parts) != 2 or parts[0] != name:
            continue
        blob = base64.b64decode(parts[1])
        if blob[:4] != key_id:
            continue
        try:
            public_key.verify(blob[4:], text.encode())
            return text
        except InvalidSignature:
            return None
    return None


def parse_checkpoint(text):
    """C2SP tlog-checkpoint body: origin, decimal tree size, base64 root hash, optional extension lines."""
    lines = text.split("\n")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2])
    if len(root) != 32 or str(size) != lines[1]:
        raise ValueError("malformed checkpoint")
    return origin, size, root


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    try:
        bundle = json.load(open(sys.argv[1], encoding="utf-8"))
        verifier = parse_verifier(bundle["verifierKey"])
    except (OSError, ValueError, KeyError) as e:
        print(f"malformed bundle: {e}")
        return 2
    failures = 0
    roots = {}
    for i, note in enumerate(bundle.get("checkpoints", [])):
        text = open_note(note, verifier)
        if text is None:
            print(f"FAIL checkpoint {i}: no valid signature by {verifier[0]}")
            failures += 1
            continue
        try:
            origin, size, root = parse_checkpoint(text)
        except (ValueError, IndexError) as e:
            print(f"FAIL checkpoint {i}: {e}")
            failures += 1
            continue
        roots[size] = root
        print(f"ok   checkpoint {i}: {origin}, tree size {size}, signature verifies")
    for i, proof in enumerate(bundle.get("inclusion", [])):
        size = proof["treeSize"]
        ok = size in roots and verify_inclusion(leaf_hash(proof["eventHash"]), proof["leafIndex"], size,
                                                [base64.b64decode(h) for h in proof["hashes"]], roots[size])
        print(f"{'ok  ' if ok else 'FAIL'} inclusion {i}: leaf {proof['leafIndex']} in tree {size}")
        failures += 0 if ok else 1
    for i, proof in enumerate(bundle.get("consistency", [])):
        a, b = proof["from"], proof["to"]
        ok = a in roots and b in roots and verify_consistency(a, b, roots[a], roots[b], [base64.b64decode(h) for h in proof["hashes"]])
        print(f"{'ok  ' if ok else 'FAIL'} consistency {i}: tree {a} → tree {b}")
        failures += 0 if ok else 1
    print(f"verify-tlog: {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
