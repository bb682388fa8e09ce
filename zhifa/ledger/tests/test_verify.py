"""The stand-alone verifier against published RFC 6962/9162 test vectors, generated proofs and tampering.

Vectors: transparency-dev/merkle, proof/verify_test.go (Apache-2.0; the 8-leaf tree also used by
google/certificate-transparency-go): https://github.com/transparency-dev/merkle/blob/main/proof/verify_test.go
In that file `inclusionProofs` entries are {leaf (1-based), size, proof} and `roots[i]` is the root of
the tree of size i + 1.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.ledger import verify as v

LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]
# (0-based index, size, proof)
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
HASHES = [v.leaf_hash(d) for d in LEAVES]


def _subtree(hashes: list[bytes]) -> v.Subtree:
    return lambda start, end: v.root_from_leaf_hashes(hashes[start:end])


def _flip(value: bytes, bit: int) -> bytes:
    return bytes([value[0] ^ (1 << bit)]) + value[1:]


def test_roots_of_the_published_tree():
    for size in range(1, 9):
        assert v.root_from_leaf_hashes(HASHES[:size]) == ROOTS[size - 1]
    assert v.root_from_leaf_hashes([]) == v.EMPTY_ROOT


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_published_inclusion_proofs(index, size, proof):
    proof_bytes = [bytes.fromhex(h) for h in proof]
    assert v.inclusion_path(index, size, _subtree(HASHES)) == proof_bytes
    root = ROOTS[size - 1]
    assert v.verify_inclusion(leaf_hash=HASHES[index], index=index, size=size, proof=proof_bytes, root=root)
    # The probes of verify_test.go's corruptInclusionProof.
    probes = [
        (index - 1, size, root, HASHES[index], proof_bytes),
        (index + 1, size, root, HASHES[index], proof_bytes),
        (index ^ 2, size, root, HASHES[index], proof_bytes),
        (index, size * 2, root, HASHES[index], proof_bytes),
        (index, size // 2, root, HASHES[index], proof_bytes),
        (index, size, root, b"WrongLeaf", proof_bytes),
        (index, size, v.EMPTY_ROOT, HASHES[index], proof_bytes),
        (index, size, SOME_HASH, HASHES[index], proof_bytes),
        (index, size, root, HASHES[index], [*proof_bytes, b""]),
        (index, size, root, HASHES[index], [*proof_bytes, root]),
        (index, size, root, HASHES[index], [b"", *proof_bytes]),
        (index, size, root, HASHES[index], [root, *proof_bytes]),
    ]
    probes += [
        (index, size, root, HASHES[index], [*proof_bytes[:i], _flip(p, 3), *proof_bytes[i + 1 :]])
        for i, p in enumerate(proof_bytes)
    ]
    if proof_bytes:
        probes.append((index, size, root, HASHES[index], proof_bytes[:-1]))
    if len(proof_bytes) > 1:
        probes.append((index, size, root, HASHES[index], [proof_bytes[0], SOME_HASH, *proof_bytes[1:]]))
    for i, n, r, leaf, p in probes:
        assert not v.verify_inclusion(leaf_hash=leaf, index=i, size=n, proof=p, root=r), (i, n)


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY)
def test_published_consistency_proofs(size1, size2, proof):
    proof_bytes = [bytes.fromhex(h) for h in proof]
    assert v.consistency_path(size1, size2, _subtree(HASHES)) == proof_bytes
    root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]
    assert v.verify_consistency(size1=size1, size2=size2, root1=root1, root2=root2, proof=proof_bytes)
    if not proof_bytes:
        return
    # The probes of verify_test.go's corruptConsistencyProof.
    probes = [
        (size1 - 1, size2, root1, root2, proof_bytes),
        (size1 + 1, size2, root1, root2, proof_bytes),
        (size1 ^ 2, size2, root1, root2, proof_bytes),
        (size1, size2 * 2, root1, root2, proof_bytes),
        (size1, size2 // 2, root1, root2, proof_bytes),
        (size1, size2, b"WrongRoot", root2, proof_bytes),
        (size1, size2, root1, b"WrongRoot", proof_bytes),
        (size1, size2, root2, root1, proof_bytes),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*proof_bytes, b""]),
        (size1, size2, root1, root2, [*proof_bytes, root1]),
        (size1, size2, root1, root2, [*proof_bytes, root2]),
        (size1, size2, root1, root2, [b"", *proof_bytes]),
        (size1, size2, root1, root2, [root1, *proof_bytes]),
        (size1, size2, root1, root2, [root2, *proof_bytes]),
        (size1, size2, root1, root2, [proof_bytes[0], *proof_bytes]),
        (size1, size2, root1, root2, proof_bytes[:-1]),
    ]
    probes += [
        (size1, size2, root1, root2, [*proof_bytes[:i], _flip(p, 4), *proof_bytes[i + 1 :]])
        for i, p in enumerate(proof_bytes)
    ]
    for m, n, r1, r2, p in probes:
        assert not v.verify_consistency(size1=m, size2=n, root1=r1, root2=r2, proof=p), (m, n)


def test_consistency_edge_cases():
    some = SOME_HASH
    # Equal sizes: empty proof, equal roots.
    assert v.verify_consistency(size1=3, size2=3, root1=some, root2=some, proof=[])
    assert not v.verify_consistency(size1=3, size2=3, root1=some, root2=v.EMPTY_ROOT, proof=[])
    assert not v.verify_consistency(size1=3, size2=3, root1=some, root2=some, proof=[some])
    # The empty tree is a prefix of every tree.
    assert v.verify_consistency(size1=0, size2=5, root1=v.EMPTY_ROOT, root2=some, proof=[])
    assert v.verify_consistency(size1=0, size2=0, root1=v.EMPTY_ROOT, root2=v.EMPTY_ROOT, proof=[])
    assert not v.verify_consistency(size1=0, size2=5, root1=some, root2=some, proof=[])
    assert not v.verify_consistency(size1=0, size2=1, root1=v.EMPTY_ROOT, root2=some, proof=[v.EMPTY_ROOT])
    # Time travel to the past, empty proof between different sizes.
    assert not v.verify_consistency(size1=2, size2=1, root1=some, root2=some, proof=[])
    assert not v.verify_consistency(size1=1, size2=2, root1=ROOTS[0], root2=ROOTS[1], proof=[])
    assert v.consistency_path(0, 4, _subtree(HASHES)) == []
    with pytest.raises(ValueError):
        v.consistency_path(5, 4, _subtree(HASHES))


def test_inclusion_edge_cases():
    leaf = v.leaf_hash(b"data")
    assert v.verify_inclusion(leaf_hash=leaf, index=0, size=1, proof=[], root=leaf)
    assert not v.verify_inclusion(leaf_hash=leaf, index=0, size=1, proof=[], root=b"")
    assert not v.verify_inclusion(leaf_hash=b"", index=0, size=1, proof=[], root=leaf)
    for index, size in [(0, 0), (1, 0), (2, 1), (1, 1), (-1, 4)]:
        assert not v.verify_inclusion(leaf_hash=leaf, index=index, size=size, proof=[], root=leaf)
    with pytest.raises(ValueError):
        v.inclusion_path(3, 3, _subtree(HASHES))


# Distinct leaves: with repeated leaves a proof may honestly prove the same hash at another place.
trees = st.lists(st.binary(max_size=8), min_size=1, max_size=70, unique=True)


@settings(max_examples=150, deadline=None)
@given(trees, st.data())
def test_every_generated_inclusion_proof_verifies_and_every_tamper_fails(leaves, data):
    hashes = [v.leaf_hash(d) for d in leaves]
    size = data.draw(st.integers(1, len(hashes)))
    index = data.draw(st.integers(0, size - 1))
    root = v.root_from_leaf_hashes(hashes[:size])
    proof = v.inclusion_path(index, size, _subtree(hashes))
    assert v.verify_inclusion(leaf_hash=hashes[index], index=index, size=size, proof=proof, root=root)
    bit = data.draw(st.integers(0, 255))
    flip = lambda h: bytes(b ^ (1 << bit % 8) if i == bit // 8 else b for i, b in enumerate(h))  # noqa: E731
    assert not v.verify_inclusion(
        leaf_hash=flip(hashes[index]), index=index, size=size, proof=proof, root=root
    )
    assert not v.verify_inclusion(
        leaf_hash=hashes[index], index=index, size=size, proof=proof, root=flip(root)
    )
    for i in range(len(proof)):
        tampered = [*proof[:i], flip(proof[i]), *proof[i + 1 :]]
        assert not v.verify_inclusion(
            leaf_hash=hashes[index], index=index, size=size, proof=tampered, root=root
        )
    # A single-bit change of the index or the size: refused, except where RFC 9162's computation
    # for the changed values is the very same one (e.g. leaf 0 of 5 and of 7 hash the same three
    # right-hand siblings) — the size is bound to the root by the signed checkpoint, not the proof.
    for b in range(8):
        for other_index, other_size in [(index ^ (1 << b), size), (index, size ^ (1 << b))]:
            same = _shape(other_index, other_size, len(proof)) == _shape(index, size, len(proof))
            ok = v.verify_inclusion(
                leaf_hash=hashes[index], index=other_index, size=other_size, proof=proof, root=root
            )
            assert ok == same


def _shape(index: int, size: int, steps: int) -> list[bool] | None:
    """The left/right order RFC 9162 §2.1.3.2 combines `steps` proof hashes in, or None if it fails."""
    if not 0 <= index < size:
        return None
    fn, sn, order = index, size - 1, []
    for _ in range(steps):
        if sn == 0:
            return None
        order.append(bool(fn & 1 or fn == sn))
        if not fn & 1 and fn == sn:
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        fn, sn = fn >> 1, sn >> 1
    return order if sn == 0 else None


@settings(max_examples=150, deadline=None)
@given(trees, st.data())
def test_every_generated_consistency_proof_verifies_and_every_tamper_fails(leaves, data):
    hashes = [v.leaf_hash(d) for d in leaves]
    size2 = data.draw(st.integers(1, len(hashes)))
    size1 = data.draw(st.integers(1, size2))
    root1 = v.root_from_leaf_hashes(hashes[:size1])
    root2 = v.root_from_leaf_hashes(hashes[:size2])
    proof = v.consistency_path(size1, size2, _subtree(hashes))
    assert v.verify_consistency(size1=size1, size2=size2, root1=root1, root2=root2, proof=proof)
    bit = data.draw(st.integers(0, 255))
    flip = lambda h: bytes(b ^ (1 << bit % 8) if i == bit // 8 else b for i, b in enumerate(h))  # noqa: E731
    assert not v.verify_consistency(size1=size1, size2=size2, root1=flip(root1), root2=root2, proof=proof)
    assert not v.verify_consistency(size1=size1, size2=size2, root1=root1, root2=flip(root2), proof=proof)
    for i in range(len(proof)):
        tampered = [*proof[:i], flip(proof[i]), *proof[i + 1 :]]
        assert not v.verify_consistency(size1=size1, size2=size2, root1=root1, root2=root2, proof=tampered)
    if size1 < size2:
        assert not v.verify_consistency(size1=size2, size2=size1, root1=root2, root2=root1, proof=proof)


# ── the command line, in an isolated interpreter without site-packages ──

SCRIPT = Path(v.__file__)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_runs_without_any_dependency():
    index, size, proof = INCLUSION[1]
    ok = _cli(
        "inclusion",
        "--leaf-hash",
        HASHES[index].hex(),
        "--index",
        str(index),
        "--size",
        str(size),
        "--root",
        ROOTS[size - 1].hex(),
        "--proof",
        ",".join(proof),
    )
    assert ok.returncode == 0, ok.stderr
    bad = _cli(
        "inclusion",
        "--leaf-hash",
        HASHES[index].hex(),
        "--index",
        str(index + 1),
        "--size",
        str(size),
        "--root",
        ROOTS[size - 1].hex(),
        "--proof",
        ",".join(proof),
    )
    assert bad.returncode == 1
    size1, size2, cproof = CONSISTENCY[2]
    common = ["--size1", str(size1), "--size2", str(size2), "--root1", ROOTS[size1 - 1].hex()]
    assert (
        _cli(
            "consistency", *common, "--root2", ROOTS[size2 - 1].hex(), "--proof", ",".join(cproof)
        ).returncode
        == 0
    )
    assert (
        _cli(
            "consistency", *common, "--root2", ROOTS[size2 - 2].hex(), "--proof", ",".join(cproof)
        ).returncode
        == 1
    )
    same = ["--size1", "3", "--size2", "3", "--root1", ROOTS[2].hex(), "--root2", ROOTS[2].hex()]
    assert _cli("consistency", *same, "--proof", "").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["inclusion", "--leaf-hash", "zz", "--index", "0", "--size", "1", "--root", "00" * 32, "--proof", ""],
        [
            "inclusion",
            "--leaf-hash",
            "00" * 31,
            "--index",
            "0",
            "--size",
            "1",
            "--root",
            "00" * 32,
            "--proof",
            "",
        ],
        [
            "inclusion",
            "--leaf-hash",
            "00" * 32,
            "--index",
            "-1",
            "--size",
            "1",
            "--root",
            "00" * 32,
            "--proof",
            "",
        ],
        [
            "inclusion",
            "--leaf-hash",
            "00" * 32,
            "--index",
            "0",
            "--size",
            "x",
            "--root",
            "00" * 32,
            "--proof",
            "",
        ],
        [
            "inclusion",
            "--leaf-hash",
            "00" * 32,
            "--index",
            "0",
            "--size",
            "2",
            "--root",
            "00" * 32,
            "--proof",
            "0g",
        ],
        [
            "consistency",
            "--size1",
            "-2",
            "--size2",
            "3",
            "--root1",
            "00" * 32,
            "--root2",
            "00" * 32,
            "--proof",
            "",
        ],
        [
            "consistency",
            "--size1",
            "1",
            "--size2",
            "3",
            "--root1",
            "00" * 33,
            "--root2",
            "00" * 32,
            "--proof",
            "",
        ],
        ["inclusion", "--index", "0"],
    ],
)
def test_cli_malformed_input_exits_2(args):
    result = _cli(*args)
    assert result.returncode == 2
    assert result.stderr


def test_cli_index_beyond_size_and_size1_beyond_size2_are_invalid_not_malformed():
    root = ROOTS[2].hex()
    assert (
        _cli(
            "inclusion", "--leaf-hash", root, "--index", "3", "--size", "3", "--root", root, "--proof", ""
        ).returncode
        == 1
    )
    args = ["--size1", "4", "--size2", "3", "--root1", root, "--root2", root, "--proof", ""]
    assert _cli("consistency", *args).returncode == 1


def test_cli_leaf_hash(tmp_path):
    data = tmp_path / "leaf.json"
    data.write_bytes(b'{"kind":"x"}')
    result = _cli("leaf-hash", "--data-file", str(data))
    assert result.returncode == 0
    assert result.stdout.strip() == v.leaf_hash(b'{"kind":"x"}').hex()
