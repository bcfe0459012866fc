"""The import rules of docs/architecture.md, enforced: dependencies point down, Pulumi stays on top.

Every ``import`` of every module (at the top, inside functions and under ``TYPE_CHECKING``) is read
with ``ast`` and checked against the layers below; the CLI's start-up is checked in a fresh process.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = "alicloud_cdn_refresh"
ROOT = Path(__file__).resolve().parents[2] / "provider" / PACKAGE

CORE = "core"
# part -> the parts it may import (itself included)
MAY_IMPORT: dict[str, set[str]] = {
    CORE: {CORE},
    "credentials": {CORE, "credentials"},
    "client": {CORE, "credentials", "client"},
    "waiter": {CORE, "credentials", "client", "waiter"},
    "emulator": {CORE, "emulator"},
    "pulumi": {CORE, "credentials", "client", "waiter", "pulumi"},
    "plugin": {CORE, "credentials", "client", "waiter", "pulumi", "plugin"},
    "cli": {CORE, "credentials", "client", "waiter", "emulator", "cli"},
    "root": {CORE, "credentials", "client", "waiter", "emulator", "pulumi", "plugin", "cli"},
}
# third-party packages a part must never import
BANNED: dict[str, set[str]] = {
    CORE: {"pulumi", "grpc", "httpx", "click", "rich"},
    "credentials": {"pulumi", "grpc", "click", "rich"},
    "client": {"pulumi", "grpc", "click", "rich"},
    "waiter": {"pulumi", "grpc", "click", "rich"},
    "emulator": {"pulumi", "grpc", "rich"},
    "cli": {"pulumi", "grpc"},
}
ENTRY_POINTS = {"emulator/__main__.py": {"cli"}}
"""``python -m alicloud_cdn_refresh.emulator`` is the CLI's ``emulator`` command."""


def part_of(path: Path) -> str:
    """Which part a module of the package belongs to."""
    relative = path.relative_to(ROOT)
    if len(relative.parts) > 1:
        return relative.parts[0]
    if relative.stem in ("__init__", "__main__"):
        return "root"
    if relative.stem.startswith("pulumi_"):  # pulumi_resources / pulumi_functions: state-stable paths
        return "pulumi"
    return CORE


def part_of_module(dotted: str) -> str:
    """Which part ``alicloud_cdn_refresh.x.y`` is (a top-level module is the core)."""
    rest = dotted.split(".")[1:]
    if not rest:
        return "root"
    head = rest[0]
    if (ROOT / head).is_dir():
        return head
    return "pulumi" if head.startswith("pulumi_") else CORE


def imports(path: Path) -> list[tuple[int, str]]:
    """``(line, absolute module)`` of every import in a module (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = [PACKAGE, *path.relative_to(ROOT).parent.parts]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
                if not node.module:  # from . import x
                    out.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
                    continue
            else:
                module = node.module or ""
            out.append((node.lineno, module))
    return out


MODULES = sorted(ROOT.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_dependencies_point_down(path: Path) -> None:
    part = part_of(path)
    allowed = MAY_IMPORT[part] | ENTRY_POINTS.get(str(path.relative_to(ROOT)), set())
    banned = BANNED.get(part, set())
    wrong = []
    for line, module in imports(path):
        top = module.split(".")[0]
        if top == PACKAGE:
            target = part_of_module(module)
            if target != "root" and target not in allowed:
                wrong.append(f"line {line}: {module} ({part} may not import {target})")
        elif top in banned:
            wrong.append(f"line {line}: {module} ({part} may not import {top})")
    assert not wrong, "\n".join(wrong)


def test_the_rules_know_every_part() -> None:
    parts = {path.name for path in ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert parts <= set(MAY_IMPORT), f"a new part needs its rules here: {parts - set(MAY_IMPORT)}"


def test_the_cli_imports_neither_pulumi_nor_grpc_nor_httpx_at_start_up() -> None:
    code = (
        "import sys\n"
        "from alicloud_cdn_refresh.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'pulumi', 'grpc', 'httpx', 'rich'})\n"
        "print('LOADED:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "LOADED:"
