"""The root group imports a command's module only when that command is looked up, and lists every
command in ``cdn-refresh --help`` as it would with all of them imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from alicloud_cdn_refresh.cli import app
from alicloud_cdn_refresh.cli.app import cli

COMMAND_MODULES = "alicloud_cdn_refresh.cli.commands."


def _fresh(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.splitlines()


def _loaded_after(run: str) -> list[str]:
    code = (
        "import contextlib, io, sys\n"
        "import alicloud_cdn_refresh.cli as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    {run}\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith('{COMMAND_MODULES}'))))\n"
    )
    return [name for name in _fresh(code)[-1].split(",") if name]


def test_importing_the_cli_and_its_help_import_no_command_module():
    assert _loaded_after("pass") == []
    assert _loaded_after("cli.main(['--help'])") == []
    assert _loaded_after("cli.main(['--version'])") == []


@pytest.mark.parametrize(
    ("command", "module"),
    [
        ("tasks", "tasks"),
        ("wait", "wait"),
        ("refresh", "submit"),
        ("preload", "submit"),
        ("preload-detail", "preload_detail"),
        ("quota", "quota"),
        ("whoami", "whoami"),
        ("credentials", "whoami"),
        ("emulator", "emulator"),
        ("demo", "demo"),
    ],
)
def test_a_command_imports_its_own_module_only(command, module):
    assert _loaded_after(f"cli.main([{command!r}, '--help'])") == [COMMAND_MODULES + module]


def test_the_root_help_lists_the_commands_as_they_are():
    lazy = _fresh("from alicloud_cdn_refresh.cli import main\nmain(['--help'])")
    loaded = _fresh(
        "from alicloud_cdn_refresh.cli import cli, main\n"
        "commands = [cli.commands[name] for name in cli.commands]\n"
        "main(['--help'])"
    )
    assert lazy == loaded
    assert "Commands:" in lazy
    assert sum(1 for line in lazy if line.startswith("  tasks ")) == 1


def test_each_listed_help_shortens_as_the_commands_own():
    listed = app._Commands()  # a fresh table: nothing imported through it yet
    for name in cli.commands:
        stand_in = listed.listed(name)
        command = cli.commands[name]
        assert command.name == name
        assert (stand_in.hidden, stand_in.deprecated) == (command.hidden, command.deprecated), name
        for limit in range(8, 130):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (name, limit)


def test_the_table_is_every_command_and_unknown_names_are_refused():
    assert list(cli.commands) == list(app._LISTED)
    assert "tasks" in cli.commands
    assert "no-such-command" not in cli.commands
    with pytest.raises(KeyError):
        cli.commands["no-such-command"]
    assert cli.get_command(None, "no-such-command") is None  # type: ignore[arg-type]
