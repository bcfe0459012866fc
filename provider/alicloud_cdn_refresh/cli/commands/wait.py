"""``cdn-refresh wait``: block until every path (or task id) is Complete."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus, describe_exit_statuses
from alicloud_cdn_refresh.cli.options import (
    WaitOptions,
    client_options,
    json_option,
    open_client,
    wait_options,
)
from alicloud_cdn_refresh.cli.params import FROM_FILE_HELP, MOMENT, MOMENT_HELP, PATHS_FILE, collect_paths
from alicloud_cdn_refresh.cli.waiting import wait_and_report

__all__ = ["wait_command"]

_EXIT_CODES = describe_exit_statuses(
    ExitStatus.OK,
    ExitStatus.FAILED,
    ExitStatus.USAGE,
    ExitStatus.TIMEOUT,
    ExitStatus.API_ERROR,
    ExitStatus.INTERNAL,
    ExitStatus.INTERRUPTED,
    ExitStatus.BROKEN_PIPE,
    ExitStatus.TERMINATED,
)
_HELP = f"""Block until every PATH (or task id) is Complete; exit {ExitStatus.FAILED.value} on Failed, \
{ExitStatus.TIMEOUT.value} on timeout.

Per path the newest task counts (created at or after --since when given, which must lie within
the last 3 days). A live progress display is drawn on a terminal; when stderr is not a terminal
(CI logs), one plain line is printed per polling round.

Exit codes: {_EXIT_CODES}.
"""


def _task_ids(values: tuple[str, ...]) -> list[str]:
    from alicloud_cdn_refresh.errors import InvalidQuery
    from alicloud_cdn_refresh.paths import check_task_ids

    try:
        return check_task_ids([value for value in values if value.strip()], parameter="--task-id")
    except InvalidQuery as error:
        raise click.UsageError(str(error)) from None


def _since(since: datetime | None) -> datetime | None:
    if since is None:
        return None
    from alicloud_cdn_refresh.checks import queryable_since
    from alicloud_cdn_refresh.errors import InvalidQuery

    try:
        return queryable_since("--since", since, datetime.now(timezone.utc))
    except InvalidQuery as error:
        raise click.UsageError(str(error)) from None


@click.command("wait", help=_HELP)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--task-id", "task_ids", multiple=True, help="Wait for this task id (repeatable).")
@click.option("--from-file", type=PATHS_FILE, help=FROM_FILE_HELP)
@click.option("--since", type=MOMENT, help=f"Only tasks created at or after this ({MOMENT_HELP}).")
@wait_options
@json_option
@client_options
def wait_command(
    paths: tuple[str, ...],
    task_ids: tuple[str, ...],
    from_file: list[str] | None,
    since: datetime | None,
    wait_options: WaitOptions,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> ExitStatus:
    object_paths = collect_paths(paths, from_file)
    ids = _task_ids(task_ids)
    if not object_paths and not ids:
        raise click.UsageError("nothing to wait for: give object paths, --task-id ID or --from-file FILE")
    since = _since(since)
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
