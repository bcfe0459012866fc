"""No circle of imports between the package's modules (TYPE_CHECKING imports included).

A circle, such as the one emulator/core.py and emulator/server.py once formed, means two modules
are one part that reads as two; this reads every ``import`` of ``provider/`` and looks for one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROVIDER = Path(__file__).resolve().parents[2] / "provider"


def module_name(path: Path) -> str:
    parts = path.relative_to(PROVIDER).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(path): path for path in PROVIDER.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                submodules = {f"{target}.{alias.name}" for alias in node.names} & paths.keys()
                # ``from pkg import module`` needs the module; ``from pkg import name`` needs pkg.
                imported.update(submodules if len(submodules) == len(node.names) else {target, *submodules})
        graph[name] = {other for other in imported if other in paths and other != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = "open"
        stack.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                return [*stack[stack.index(other) :], other]
            if other not in state and (cycle := visit(other)):
                return cycle
        stack.pop()
        state[name] = "done"
        return []

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return []


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert "alicloud_cdn_refresh.cli.commands.emulator" in graph
    assert "alicloud_cdn_refresh.cli.options" in graph["alicloud_cdn_refresh.cli.commands.wait"]


def test_no_module_imports_itself_through_others():
    assert find_cycle(import_graph()) == []


def test_the_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
