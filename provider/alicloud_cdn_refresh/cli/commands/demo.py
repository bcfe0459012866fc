"""``cdn-refresh demo``: the whole job against an embedded emulator, with nothing configured.

It starts the emulator as a local HTTP server, submits a refresh and a preload of sample URLs over
real signed HTTP, waits with the progress display, prints the tasks and a one-line summary; beside
them one DCDN refresh goes to the same emulator through ``CdnClient(product="dcdn")`` (its own
line, so the CDN table and summary stay as they were). It
uses its own test key pair and endpoint, so credentials or endpoints in the environment are never
read and never contacted.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.options import debug_option
from alicloud_cdn_refresh.cli.params import DURATION
from alicloud_cdn_refresh.kinds import RefreshObjectType

if TYPE_CHECKING:
    from alicloud_cdn_refresh.models import RefreshTask

__all__ = [
    "DEMO_BROKEN",
    "DEMO_DCDN",
    "DEMO_DIRECTORY",
    "DEMO_FILES",
    "DEMO_PRELOAD",
    "demo_command",
    "run_demo",
]

DEMO_FILES = (
    "https://example.com/index.html",
    "https://example.com/css/site.css",
    "https://example.com/js/app.js",
)
DEMO_DIRECTORY = ("https://example.com/img/",)
DEMO_BROKEN = "https://example.com/broken/old.js"
DEMO_PRELOAD = (
    "https://example.com/intro.mp4",
    "https://example.com/app-1.2.tgz",
)
DEMO_DCDN = "https://api.example.com/v1/menu.json"
"""The URL refreshed through DCDN (a site behind dynamic route for CDN)."""
_DEMO_KEY_ID = "testid"
_DEMO_SECRET = "testsecret"  # the emulator's documented test secret, not a real one  # noqa: S105


@click.command("demo")
@click.option(
    "--complete-after",
    type=DURATION,
    default="4s",
    show_default=True,
    help="How long the embedded emulator keeps each task Refreshing.",
)
@click.option(
    "--with-failure",
    is_flag=True,
    help="Also refresh a URL the emulator fails, to see a failure reported "
    f"(then exit {ExitStatus.FAILED.value}).",
)
@debug_option
def demo_command(complete_after: float, with_failure: bool) -> ExitStatus:
    """Run the whole job against an embedded emulator: no account, no credentials, no set-up.

    Submits a refresh and a preload of sample URLs, and one DCDN refresh, waits with the progress
    display, prints the tasks and a summary. Credentials and endpoints in the environment are ignored.
    """
    return run_demo(complete_after=complete_after, with_failure=with_failure)


def run_demo(*, complete_after: float = 4.0, timeout: float = 25.0, with_failure: bool = False) -> ExitStatus:
    """Run the demo; returns the exit status (``OK`` when every task is Complete).

    ``with_failure`` adds one URL the emulator fails (``/broken/``), to show what a failure looks
    like: the wait goes on for the others, then the failed path is listed with its description and
    the exit status is ``FAILED``, as for ``cdn-refresh wait``.
    """
    from alicloud_cdn_refresh.cli import render
    from alicloud_cdn_refresh.cli.progress import make_progress
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.credentials import Credentials
    from alicloud_cdn_refresh.emulator import Emulator
    from alicloud_cdn_refresh.errors import RefreshFailed
    from alicloud_cdn_refresh.waiter.loop import wait_for_refresh

    started = time.monotonic()
    emulator = Emulator(
        access_keys={_DEMO_KEY_ID: _DEMO_SECRET},
        complete_after=complete_after,
        fail_paths=r"/broken/" if with_failure else None,
        seed=2018_05_10,
    )
    files = (*DEMO_FILES, DEMO_BROKEN) if with_failure else DEMO_FILES
    credentials = Credentials(_DEMO_KEY_ID, _DEMO_SECRET, source="demo")
    failed: list[RefreshTask] = []
    with (
        emulator.serve() as server,
        CdnClient(endpoint=server.url, credentials=credentials) as client,
        CdnClient(endpoint=server.url, credentials=credentials, product="dcdn") as dcdn_client,
    ):
        click.echo(
            f"Embedded CDN/DCDN API emulator on {server.url} (no account; nothing leaves this machine)"
        )
        file_ids = client.refresh_object_caches(files, object_type=RefreshObjectType.FILE.value)
        click.echo(f"  refresh  {len(files)} file URLs    -> task {', '.join(file_ids)}")
        dir_ids = client.refresh_object_caches(DEMO_DIRECTORY, object_type=RefreshObjectType.DIRECTORY.value)
        click.echo(f"  refresh  {len(DEMO_DIRECTORY)} directory    -> task {', '.join(dir_ids)}")
        preload_ids = client.push_object_cache(DEMO_PRELOAD)
        click.echo(f"  preload  {len(DEMO_PRELOAD)} URLs         -> task {', '.join(preload_ids)}")
        dcdn_ids = dcdn_client.refresh_object_caches([DEMO_DCDN])
        click.echo(f"  refresh  1 DCDN URL     -> task {', '.join(dcdn_ids)} (CdnClient(product='dcdn'))")
        total = len(files) + len(DEMO_DIRECTORY) + len(DEMO_PRELOAD)
        reporter = make_progress(sys.stderr, total=total, label="Waiting for the tasks")
        try:
            with reporter:
                tasks = wait_for_refresh(
                    task_ids=[*file_ids, *dir_ids, *preload_ids],
                    client=client,
                    timeout=timeout,
                    on_progress=reporter,
                    fail_on_failed=False,
                    poll_initial=0.5,
                    poll_max=1.0,
                )
        except RefreshFailed as error:
            failed = list(error.failed)
            tasks = [*error.completed, *failed]
        dcdn_tasks = wait_for_refresh(
            task_ids=dcdn_ids, client=dcdn_client, timeout=timeout, poll_initial=0.5, poll_max=1.0
        )
    tasks = sorted(tasks, key=lambda task: (task.object_type.value == "preload", task.object_path))
    render.render_tasks(tasks, title="Tasks")
    if failed:
        click.echo(
            "\n".join([f"error: {len(failed)} path(s) failed:", *render.failed_lines(failed)]), err=True
        )
    complete = sum(1 for task in tasks if task.status.is_complete)
    refreshes = sum(1 for task in tasks if task.object_type.value != "preload")
    dcdn_complete = sum(1 for task in dcdn_tasks if task.status.is_complete)
    shown = ", ".join(f"{task.object_path} {task.status.value} (task {task.task_id})" for task in dcdn_tasks)
    click.echo(f"DCDN: {dcdn_complete}/{len(dcdn_tasks)} path Complete: {shown}.")
    elapsed = time.monotonic() - started
    click.echo(
        f"Demo done: {complete}/{len(tasks)} paths Complete ({refreshes} refresh, "
        f"{len(tasks) - refreshes} preload), {len(failed)} failed, in {elapsed:.1f}s."
    )
    all_dcdn = dcdn_complete == len(dcdn_tasks) > 0
    return ExitStatus.OK if complete == len(tasks) == total and all_dcdn else ExitStatus.FAILED
