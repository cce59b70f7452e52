"""`digests.blake2b` is hashlib's BLAKE2b, without importing hashlib: the same digests, so that fingerprints,
file digests and index file names made before it stay valid."""

from __future__ import annotations

import hashlib

from erasmus_kg.digests import blake2b


def test_blake2b_is_hashlib_s() -> None:
    assert blake2b is hashlib.blake2b


def test_the_digests_are_hashlib_s() -> None:
    for size in (8, 10, 12, 16, 20, 64):
        data = f"\0{size}\0é".encode()
        expected = hashlib.blake2b(data, digest_size=size).hexdigest()
        assert blake2b(data, digest_size=size).hexdigest() == expected
