"""The package's one-way layers (docs/architecture.md), checked by walking every import.

Every ``import`` counts, including those inside functions and ``if TYPE_CHECKING:`` blocks: a
lazy import is still a dependency a reader has to follow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "copilot"

LAYERS: list[tuple[str, ...]] = [
    ("copilot.config", "copilot.errors"),
    ("copilot.records", "copilot.synth"),
    ("copilot.search",),
    ("copilot.ingest",),
    ("copilot.facts",),
    ("copilot.drafting",),
    ("copilot.guardrails",),
    ("copilot.review",),
    ("copilot.console",),
    ("copilot.service",),
    ("copilot.batch",),
    ("copilot.cli", "copilot.__main__", "copilot"),
]
"""Lowest first. A module may import its own layer and the layers below it, never one above."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "copilot")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if base.split(".")[0] == "copilot":
                found.add(base)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(path, name):
            while imported not in modules and "." in imported:  # `from pkg.mod import Name`
                imported = imported.rpartition(".")[0]
            if imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def _layer(module: str) -> int:
    best, level = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), index
    return level


GRAPH = _graph()


def test_every_module_belongs_to_a_layer() -> None:
    assert [m for m in GRAPH if _layer(m) < 0] == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_upward_import(module: str) -> None:
    upward = sorted(t for t in GRAPH[module] if _layer(t) > _layer(module))
    assert upward == [], f"{module} (layer {_layer(module)}) imports a higher layer: {upward}"


def test_no_import_cycles() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH.get(node, ())):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_ui_imports_only_the_public_api() -> None:
    """Pages call ``copilot``'s public API (``copilot/__init__.py``), never its inner modules."""
    import copilot

    ui = ROOT.parent / "ui"
    inner, unknown = [], []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("copilot"):
                if node.module != "copilot":
                    inner.append(f"{path.relative_to(ui.parent)}: from {node.module} import …")
                else:
                    unknown += [f"{path.relative_to(ui.parent)}: {a.name}" for a in node.names if a.name not in copilot.__all__]
            elif isinstance(node, ast.Import):
                inner += [f"{path.relative_to(ui.parent)}: import {a.name}" for a in node.names if a.name.startswith("copilot.")]
    assert inner == [], inner
    assert unknown == [], f"not in copilot.__all__: {unknown}"
