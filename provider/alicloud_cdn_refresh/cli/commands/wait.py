"""``cdn-refresh wait``: block until every path (or task id) is Complete."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import IO

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus, describe_exit_statuses
from alicloud_cdn_refresh.cli.options import (
    WaitOptions,
    client_options,
    json_option,
    open_client,
    wait_options,
)
from alicloud_cdn_refresh.cli.params import MOMENT, MOMENT_HELP, collect_paths
from alicloud_cdn_refresh.cli.waiting import wait_and_report

__all__ = ["wait_command"]

_EXIT_CODES = describe_exit_statuses(
    ExitStatus.OK, ExitStatus.FAILED, ExitStatus.USAGE, ExitStatus.TIMEOUT, ExitStatus.API_ERROR
)
_HELP = f"""Block until every PATH (or task id) is Complete; exit {ExitStatus.FAILED.value} on Failed, \
{ExitStatus.TIMEOUT.value} on timeout.

Per path the newest task counts (created at or after --since when given). A live progress
display is drawn on a terminal; when stderr is not a terminal (CI logs), one plain line is
printed per polling round.

Exit codes: {_EXIT_CODES}.
"""


@click.command("wait", help=_HELP)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--task-id", "task_ids", multiple=True, help="Wait for this task id (repeatable).")
@click.option(
    "--from-file",
    type=click.File("r"),
    help="Read object paths from this file, one a line ('-' for stdin; # comments skipped).",
)
@click.option("--since", type=MOMENT, help=f"Only tasks created at or after this ({MOMENT_HELP}).")
@wait_options
@json_option
@client_options
def wait_command(
    paths: tuple[str, ...],
    task_ids: tuple[str, ...],
    from_file: IO[str] | None,
    since: datetime | None,
    wait_options: WaitOptions,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> ExitStatus:
    object_paths = collect_paths(paths, from_file)
    ids = [task.strip() for task in task_ids if task.strip()]
    if not object_paths and not ids:
        raise click.UsageError("nothing to wait for: give object paths, --task-id ID or --from-file FILE")
    if as_json:
        wait_options = dataclasses.replace(wait_options, quiet=True)
    with open_client(endpoint, signature_version) as client:
        document, status = wait_and_report(
            client, object_paths=object_paths, task_ids=ids, since=since, options=wait_options
        )
    if as_json:
        from alicloud_cdn_refresh.cli import render

        render.dump_json({"version": render.JSON_VERSION, **document})
    return status
