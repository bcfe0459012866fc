"""``ExitStatus`` is the one source of exit codes: the README's table and the help texts follow it."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from alicloud_cdn_refresh.cli import ExitStatus
from alicloud_cdn_refresh.cli import app as cli_app
from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.cli.exit_status import describe_exit_statuses

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_exit_codes() -> list[tuple[int, str]]:
    """``(code, meaning)`` of each row of the README's "Exit codes" table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| (\d+) \| ([^|]*) \|", section, re.MULTILINE)
    return [(int(code), meaning.strip()) for code, meaning in rows]


def test_the_readme_table_lists_every_exit_status_in_order():
    rows = readme_exit_codes()
    assert [code for code, _ in rows] == [status.value for status in ExitStatus]
    for (_, meaning), status in zip(rows, ExitStatus):
        assert meaning.startswith(status.summary), (status, meaning)


def test_the_readme_has_one_exit_code_table():
    assert README.read_text(encoding="utf-8").count("### Exit codes") == 1


def test_the_old_exit_names_are_the_enum_members():
    for status in ExitStatus:
        assert getattr(cli_app, f"EXIT_{status.name}") is status


def test_help_texts_are_made_from_the_enum():
    root = " ".join(CliRunner().invoke(cli, ["--help"]).stdout.split())
    assert f"Exit codes: {describe_exit_statuses()}." in root
    assert describe_exit_statuses().startswith("0 done, 1 a task failed, 2 bad usage, 3 timeout")
    wait = " ".join(CliRunner().invoke(cli, ["wait", "--help"]).stdout.split())
    assert f"exit {ExitStatus.FAILED.value} on Failed, {ExitStatus.TIMEOUT.value} on timeout" in wait
    assert describe_exit_statuses(ExitStatus.OK, ExitStatus.FAILED) in wait


def test_commands_exit_with_the_enum_values():
    result = CliRunner().invoke(cli, ["nosuchcommand"])
    assert result.exit_code == ExitStatus.USAGE
    assert CliRunner().invoke(cli, ["--help"]).exit_code == ExitStatus.OK
