"""The package's import graph: no cycles (lazy imports inside functions and TYPE_CHECKING ones included), and
the layers import downwards only (the store knows nothing of queries, validation, imports or the CLI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "erasmus_kg"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def imported_modules(name: str, path: Path) -> set[str]:
    """Every module of the package that `name` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)  # `from pkg import module`
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            found.update(
                a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            )
    ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    # Importing a submodule runs its packages' __init__ first; those edges are Python's, not ours.
    return {m for m in found if m in MODULES and m != name and m not in ancestors}


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walker_sees_lazy_imports() -> None:
    assert "erasmus_kg.store.default" in GRAPH["erasmus_kg.importing.run"]  # inside import_file
    assert "erasmus_kg.api" in GRAPH["erasmus_kg"]  # a lazy re-export
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_imports_itself_back() -> None:
    assert find_cycle(GRAPH) is None


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


LAYER_GRAPH = {
    layer(name): {layer(t) for n, deps in GRAPH.items() if layer(n) == layer(name) for t in deps}
    - {layer(name)}
    for name in GRAPH
}


def test_no_two_subpackages_import_each_other() -> None:
    assert find_cycle(LAYER_GRAPH) is None


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("store", "query"),
        ("store", "validation"),
        ("store", "importing"),
        ("store", "remote"),
        ("store", "cli"),
        ("query", "remote"),
        ("query", "cli"),
        ("validation", "importing"),
        ("validation", "query"),
        ("export", "cli"),
        ("derived", "store"),
        ("derived", "query"),
    ],
)
def test_layers_import_downwards_only(lower: str, upper: str) -> None:
    assert upper not in LAYER_GRAPH[lower], f"{lower}/ imports {upper}/"
