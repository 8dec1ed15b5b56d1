"""The delivery engine reads top to bottom: no module of worker/ imports another that imports it back,
not even from inside a function (the usual way to hide a cycle)."""

import ast
from pathlib import Path

WORKER = Path(__file__).resolve().parents[2] / "worker"


def _imports(path: Path) -> set[str]:
    """worker modules this file imports, at module level or inside functions; type-checking imports aside."""
    tree = ast.parse(path.read_text())
    type_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING") for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "worker":
                found |= {f"worker.{alias.name}" for alias in node.names}
            elif node.module.startswith("worker."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("worker.")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {f"worker.{path.stem}": path for path in WORKER.glob("*.py") if path.stem != "__init__"}
    return {name: {target for target in _imports(path) if target in modules and target != name}
            for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return trail[trail.index(target):] + [target] if target in trail else [node, target]
            if target not in state and (found := visit(target, [*trail, target])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_it_has_no_import_cycle_in_the_delivery_engine():
    cycle = _cycle(_graph())

    assert cycle is None, "worker/ modules import each other in a cycle: " + " -> ".join(cycle or [])


def test_it_finds_a_cycle_when_there_is_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
