"""BLAKE2b, the one hash of the package (file digests, the derived fingerprint, the names of index files, the
header cache), without the import cost of hashlib.

`hashlib.blake2b` is CPython's `_blake2.blake2b`, the very same object (hashlib prefers it to OpenSSL's), but
`import hashlib` also loads OpenSSL's libcrypto through `_hashlib`: 2-3 ms of every command's start-up on the
2-core machine of docs/benchmarks.md, for a hash none of our commands takes from OpenSSL. `_blake2` is a
private module of CPython (`_blake2.blake2b is hashlib.blake2b` on 3.10.13, 3.11.7, 3.12.1 and 3.13.0, and
tests/test_digests.py checks it); where it is missing, hashlib's is used.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - not CPython
    from hashlib import blake2b

__all__ = ["blake2b"]
