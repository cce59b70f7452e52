"""The web front's per-build cache (web/per_build.py): computed once per build and key, never for an endpoint,
and forgotten for builds before the last two."""

from __future__ import annotations

from erasmus_kg.web.per_build import PerBuild


def test_computed_once_per_build_and_key() -> None:
    kept = PerBuild()
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert kept.get("b1", "k", lambda: compute("a")) == "A"
    assert kept.get("b1", "k", lambda: compute("b")) == "A"  # kept: not computed again
    assert kept.get("b1", "other", lambda: compute("c")) == "C"
    assert kept.get("b2", "k", lambda: compute("d")) == "D"  # another build: computed
    assert calls == ["a", "c", "d"]


def test_nothing_is_kept_for_an_endpoint() -> None:
    kept = PerBuild()
    values = iter(range(10))
    assert [kept.get(None, "k", lambda: next(values)) for _ in range(3)] == [0, 1, 2]


def test_only_the_last_two_builds_are_kept() -> None:
    kept = PerBuild()
    for build in ("b1", "b2", "b3"):
        kept.get(build, "k", lambda build=build: build)
    assert kept.get("b1", "k", lambda: "again") == "again"  # b1 was forgotten when b3 came
    assert kept.get("b3", "k", lambda: "again") == "b3"
