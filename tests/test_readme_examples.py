"""The README's Python example for users' own tests runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_in_process_emulator_example_passes():
    block = next(block for block in python_blocks() if "def test_my_deploy_step" in block)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    namespace["test_my_deploy_step_waits_for_the_purge"]()  # type: ignore[operator]


def test_readme_names_every_subcommand_and_exit_code():
    text = README.read_text(encoding="utf-8")
    for command in ("tasks", "wait", "refresh", "preload", "quota", "emulator", "demo"):
        assert f"cdn-refresh {command}" in text
    for code in range(5):
        assert f"| {code} |" in text
