#!/usr/bin/env python3
"""Stand-alone verifier for the zhifa ledger: Merkle proofs (RFC 9162 §2.1) and signed checkpoints.

Standard library only, so that a court or a party can check a proof with a bare `python3`:

    python3 verify.py inclusion --leaf-hash HEX --index I --size N --root HEX --proof HEX,HEX,...
    python3 verify.py consistency --size1 M --size2 N --root1 HEX --root2 HEX --proof HEX,...
    python3 verify.py leaf-hash --data-file FILE        (the leaf hash of a leaf's data)
    python3 verify.py checkpoint --note FILE --key VERIFIER-KEY   (C2SP signed note, Ed25519)

Exit status: 0 the proof (or signature) is valid, 1 it is not, 2 the input is malformed.
The zhifa server imports this same module to build and check its Merkle proofs and to parse
notes and keys, so the two agree by construction. Its Ed25519 code is for this program only: the
server checks signatures with `cryptography` (zhifa.ledger.keys.checkpoint_signed_by), and the
test suite holds the two to the same answers. An empty proof is written `--proof ""`; indexes are 0-based.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from collections.abc import Callable, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
# MTH({}) = HASH() (RFC 9162 §2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()

Subtree = Callable[[int, int], bytes]  # (start, end) -> MTH(D[start:end])


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """The aligned perfect subtrees, left to right, whose hashes make up MTH(D[start:end]).

    Every range RFC 9162's recursion visits starts at a multiple of the next power of two at or
    above its length, so it splits into the binary digits of its length: (level, index) pairs
    where the subtree covers leaves [index * 2**level, (index + 1) * 2**level).
    """
    parts = []
    position, remaining = start, end - start
    while remaining:
        level = remaining.bit_length() - 1
        parts.append((level, position >> level))
        position += 1 << level
        remaining -= 1 << level
    return parts


def fold_subtrees(hashes: Sequence[bytes]) -> bytes:
    """Combine perfect-subtree hashes (left to right, sizes decreasing) into their MTH."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for h in reversed(hashes[:-1]):
        result = node_hash(h, result)
    return result


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH of a whole list of leaf hashes, in one pass with a stack of perfect subtrees."""
    stack: list[tuple[int, bytes]] = []
    for h in hashes:
        level = 0
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
    return fold_subtrees([h for _, h in stack])


# ── proofs (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF), over any source of subtree hashes ──


def inclusion_path(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(m, D[n]) for leaf `index` in a tree of `size` leaves (requires 0 <= index < size)."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = split_point(end - start)
        if m < k:
            path.append(subtree(start + k, end))
            end = start + k
        else:
            path.append(subtree(start, start + k))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_path(size1: int, size2: int, subtree: Subtree) -> list[bytes]:
    """PROOF(m, D[n]) between tree sizes 0 < size1 <= size2 (empty when they are equal)."""
    if not 0 < size1 <= size2:
        if size1 == 0 and size2 >= 0:
            return []
        raise ValueError(f"no consistency proof from size {size1} to size {size2}")
    proof: list[bytes] = []
    start, end, m, whole = 0, size2, size1, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            proof.append(subtree(start + k, end))
            end = start + k
        else:
            proof.append(subtree(start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        proof.append(subtree(start, end))
    proof.reverse()
    return proof


# ── verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ──


def _hashes_ok(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(*, leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """True when `proof` shows the leaf at `index` is in the tree of `size` leaves with `root`."""
    if not _hashes_ok(leaf_hash, root, *proof) or not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(*, size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]) -> bool:
    """True when `proof` shows the tree of size1 with root1 is a prefix of the one of size2 with root2.

    Edge cases (as transparency-dev/merkle): equal sizes need an empty proof and equal roots; the
    empty tree (size1 == 0, root1 = SHA-256 of nothing) is a prefix of every tree, empty proof.
    """
    if not _hashes_ok(root1, root2, *proof) or not 0 <= size1 <= size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof and root1 == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
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
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


# ── checkpoints: C2SP signed notes with Ed25519 (RFC 8032 §5.1.7, after its §6 reference code) ──

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
Point = tuple[int, int, int, int]


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 % _P == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    return _P - x if (x & 1) != sign else x


def _add(a: Point, b: Point) -> Point:
    p1 = (a[1] - a[0]) * (b[1] - b[0]) % _P
    p2 = (a[1] + a[0]) * (b[1] + b[0]) % _P
    c = 2 * a[3] * b[3] * _D % _P
    dd = 2 * a[2] * b[2] % _P
    e, f, g, h = p2 - p1, dd - c, dd + c, p2 + p1
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    while s:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _decompress(data: bytes) -> Point | None:
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_G: Point = (_GX, _GY, 1, _GX * _GY % _P)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Ed25519 signature check in pure Python (slow, but a verifier needs only a few)."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public_key), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % _L
    left, right = _mul(s, _G), _add(r, _mul(h, a))
    return (left[0] * right[2] - right[0] * left[2]) % _P == 0 and (
        left[1] * right[2] - right[1] * left[2]
    ) % _P == 0


def key_id(name: str, public_key: bytes) -> bytes:
    """C2SP signed-note key ID: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || key)."""
    return hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]


def parse_verifier_key(text: str) -> tuple[str, bytes, bytes]:
    """'<name>+<hex key ID>+<base64(0x01 || public key)>' -> (name, key ID, public key)."""
    name, hex_id, b64 = text.strip().split("+", 2)  # a name has no "+", base64 may
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 33 or raw[0] != 1 or len(hex_id) != 8:
        raise ValueError("not an Ed25519 verifier key")
    public_key = raw[1:]
    if key_id(name, public_key) != bytes.fromhex(hex_id):
        raise ValueError("the verifier key's ID does not match its name and key")
    return name, bytes.fromhex(hex_id), public_key


def parse_checkpoint(note: str) -> tuple[str, int, bytes, str, list[tuple[str, bytes]]]:
    """A tlog checkpoint note -> (origin, size, root, signed text, [(key name, signature blob)])."""
    body, sep, signatures = note.partition("\n\n")
    if not sep or not signatures.endswith("\n"):
        raise ValueError("not a signed note")
    lines = body.split("\n")
    if len(lines) < 3 or not lines[1].isdigit():
        raise ValueError("not a tlog checkpoint")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != HASH_SIZE:
        raise ValueError("the checkpoint's root hash is not 32 bytes")
    parsed = []
    for line in signatures[:-1].split("\n"):
        dash, name, blob = line.split(" ")
        if dash != "\u2014":
            raise ValueError("a signature line must start with an em dash")
        parsed.append((name, base64.b64decode(blob, validate=True)))
    return lines[0], int(lines[1]), root, body + "\n", parsed


def verify_checkpoint(note: str, verifier_key: str) -> bool:
    """True when the note carries a valid signature by the key (name, ID and Ed25519 all match)."""
    name, kid, public_key = parse_verifier_key(verifier_key)
    _, _, _, text, signatures = parse_checkpoint(note)
    return any(
        signer == name and blob[:4] == kid and ed25519_verify(public_key, text.encode(), blob[4:])
        for signer, blob in signatures
    )


# ── command line ──


class Malformed(ValueError):
    pass


def _hash(text: str, what: str) -> bytes:
    try:
        value = bytes.fromhex(text.strip())
    except ValueError:
        raise Malformed(f"{what} is not hexadecimal: {text!r}") from None
    if len(value) != HASH_SIZE:
        raise Malformed(f"{what} must be {HASH_SIZE} bytes ({2 * HASH_SIZE} hex digits), not {len(value)}")
    return value


def _proof(text: str) -> list[bytes]:
    items = [item for item in text.replace(" ", "").split(",")] if text.strip() else []
    return [_hash(item, f"proof[{i}]") for i, item in enumerate(items)]


def _size(value: int, what: str) -> int:
    if value < 0:
        raise Malformed(f"{what} must not be negative")
    return value


def _run(args: argparse.Namespace) -> bool:
    if args.command == "inclusion":
        return verify_inclusion(
            leaf_hash=_hash(args.leaf_hash, "--leaf-hash"),
            index=_size(args.index, "--index"),
            size=_size(args.size, "--size"),
            proof=_proof(args.proof),
            root=_hash(args.root, "--root"),
        )
    if args.command == "consistency":
        return verify_consistency(
            size1=_size(args.size1, "--size1"),
            size2=_size(args.size2, "--size2"),
            root1=_hash(args.root1, "--root1"),
            root2=_hash(args.root2, "--root2"),
            proof=_proof(args.proof),
        )
    if args.command == "leaf-hash":
        data = sys.stdin.buffer.read() if args.data_file == "-" else open(args.data_file, "rb").read()  # noqa: SIM115
        print(leaf_hash(data).hex())
        return True
    try:
        with open(args.note, encoding="utf-8") as f:
            note = f.read()
        origin, size, root, _, _ = parse_checkpoint(note)
        valid = verify_checkpoint(note, args.key)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed(str(exc)) from None
    print(f"origin {origin}\nsize {size}\nroot {root.hex()}")
    return valid


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhifa-verify", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    inc = sub.add_parser("inclusion", help="check that a leaf is in a tree (RFC 9162 §2.1.3.2)")
    inc.add_argument("--leaf-hash", required=True)
    inc.add_argument("--index", type=int, required=True, help="0-based leaf index")
    inc.add_argument("--size", type=int, required=True)
    inc.add_argument("--root", required=True)
    inc.add_argument("--proof", required=True, help='comma-separated hex hashes; "" when empty')
    con = sub.add_parser("consistency", help="check that one tree extends another (RFC 9162 §2.1.4.2)")
    con.add_argument("--size1", type=int, required=True)
    con.add_argument("--size2", type=int, required=True)
    con.add_argument("--root1", required=True)
    con.add_argument("--root2", required=True)
    con.add_argument("--proof", required=True, help='comma-separated hex hashes; "" when empty')
    leaf = sub.add_parser("leaf-hash", help="print SHA-256(0x00 || data) of a leaf's data")
    leaf.add_argument("--data-file", required=True, help="file holding the leaf data, - for stdin")
    chk = sub.add_parser("checkpoint", help="check a checkpoint's Ed25519 signature; print its size and root")
    chk.add_argument("--note", required=True, help="file holding the checkpoint note")
    chk.add_argument("--key", required=True, help="verifier key <name>+<key ID>+<base64 key>")
    args = parser.parse_args(argv)
    try:
        valid = _run(args)
    except Malformed as exc:
        print(f"zhifa-verify: malformed input: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"zhifa-verify: {exc}", file=sys.stderr)
        return 2
    if args.command != "leaf-hash":
        print("valid" if valid else "INVALID", file=sys.stdout if valid else sys.stderr)
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
