"""``cdn-refresh emulator``, also ``python -m alicloud_cdn_refresh.emulator``: serve the offline API.

The flags are defined here once; ``emulator/__main__.py`` runs this same command under its own
name through :func:`alicloud_cdn_refresh.cli.app.run_program`, so both entry points share flags,
defaults, help and exit statuses. :func:`serve_until_signal` is the serving loop.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.options import CONTEXT_SETTINGS, debug_option
from alicloud_cdn_refresh.cli.output import GuardedCommand
from alicloud_cdn_refresh.cli.params import SHORT_DURATION
from alicloud_cdn_refresh.cli.state import current_state

if TYPE_CHECKING:
    import threading
    from types import FrameType

    from alicloud_cdn_refresh.emulator import Emulator

__all__ = ["PROGRAM_NAME", "build_emulator", "emulator_command", "serve_until_signal"]

PROGRAM_NAME = "python -m alicloud_cdn_refresh.emulator"
"""The command's name when run as a module rather than as ``cdn-refresh emulator``."""

_FAULT_KINDS = ("500", "503", "drop", "slow", "malformed", "truncated")
"""``emulator.faults.FAULT_KINDS`` (the default of ``--fault-kinds``), restated so that ``--help``
need not import the emulator; ``tests/cli/test_emulator_command.py`` checks that the two agree.
``FaultConfig`` checks the kinds given."""


def _regex(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as error:
            raise click.BadParameter(f"not a regular expression: {error}", ctx, param) from None
    return value


def _split(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


_HELP = f"""Serve the offline emulator of the CDN and DCDN APIs until Ctrl-C; its URL is the first
line printed.

One address serves both products, each with its own tasks and quotas, as the service keeps them.
Point the CLI or your code at it: ALIBABA_CLOUD_CDN_ENDPOINT=URL (and
ALIBABA_CLOUD_DCDN_ENDPOINT=URL for --product dcdn) with the key pair above in
ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET. Exit {ExitStatus.OK.value} after
Ctrl-C or SIGTERM, {ExitStatus.USAGE.value} on a bad flag, {ExitStatus.FAILED.value} when the
address cannot be bound, {ExitStatus.OUTPUT_ERROR.value} (or {ExitStatus.BROKEN_PIPE.value}, a closed
pipe) when its URL cannot be printed. `cdn-refresh emulator` and `{PROGRAM_NAME}` are this one
command.
"""


@click.command("emulator", cls=GuardedCommand, help=_HELP, context_settings=CONTEXT_SETTINGS)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only).")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="Port; 0 picks a free one."
)
@click.option(
    "--access-key-id",
    default="testid",
    show_default=True,
    envvar="CDN_REFRESH_EMULATOR_ACCESS_KEY_ID",
    help="The key id the emulator accepts (env CDN_REFRESH_EMULATOR_ACCESS_KEY_ID).",
)
@click.option(
    "--access-key-secret",
    default="testsecret",
    show_default=True,
    envvar="CDN_REFRESH_EMULATOR_ACCESS_KEY_SECRET",
    help="Its test secret, never a real one (env CDN_REFRESH_EMULATOR_ACCESS_KEY_SECRET).",
)
@click.option(
    "--complete-after",
    type=SHORT_DURATION,
    default="5s",
    show_default=True,
    help="How long after submission a task turns Complete.",
)
@click.option(
    "--complete-after-polls",
    type=click.IntRange(min=0),
    metavar="N",
    help="Instead of time: a task turns Complete once N answers have shown it (0: at once).",
)
@click.option(
    "--fail-paths", metavar="REGEX", callback=_regex, help="Tasks of paths matching this regex end Failed."
)
@click.option(
    "--fault-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Fraction of requests answered with an injected fault.",
)
@click.option(
    "--fault-kinds",
    metavar="LIST",
    default=",".join(_FAULT_KINDS),
    show_default=True,
    callback=_split,
    help="Comma-separated faults to draw from.",
)
@click.option(
    "--slow-seconds", type=SHORT_DURATION, default="2s", show_default=True, help="Delay of a 'slow' fault."
)
@click.option("--seed", type=int, help="Seed for task ids, failures and faults (reproducible runs).")
@click.option("--no-qps-limits", is_flag=True, help="Do not enforce the per-action QPS limits.")
@click.option("--no-quotas", is_flag=True, help="Do not enforce the daily quotas.")
@click.option("--allow-remote", is_flag=True, help="Allow binding a non-loopback address.")
@debug_option
def emulator_command(host: str, port: int, allow_remote: bool, **settings: Any) -> ExitStatus:
    current_state().add_secret(settings["access_key_secret"])
    try:
        emulator = build_emulator(**settings)
        # an OSError from here on is stdout's (the URL not written): the run's error handler
        # classifies it as for every command (a closed pipe 141, a full disk or closed stdout 7)
        return serve_until_signal(emulator, host, port, out=sys.stdout, allow_remote=allow_remote)
    except ValueError as error:  # an unknown fault kind; a non-loopback host without --allow-remote
        raise click.UsageError(str(error)) from None


def build_emulator(
    *,
    access_key_id: str,
    access_key_secret: str,
    complete_after: float,
    complete_after_polls: int | None,
    fail_paths: str | None,
    fault_rate: float,
    fault_kinds: tuple[str, ...],
    slow_seconds: float,
    seed: int | None,
    no_qps_limits: bool,
    no_quotas: bool,
) -> Emulator:
    """The emulator the command's flags describe (raises ``ValueError`` on a value it refuses)."""
    from alicloud_cdn_refresh.emulator import Emulator, FaultConfig

    faults = FaultConfig(rate=fault_rate, kinds=fault_kinds, slow_seconds=slow_seconds, seed=seed)
    return Emulator(
        access_keys={access_key_id: access_key_secret},
        complete_after=complete_after,
        complete_after_polls=complete_after_polls,
        fail_paths=fail_paths,
        qps_limits=not no_qps_limits,
        quotas=not no_quotas,
        faults=faults,
        seed=seed,
    )


def serve_until_signal(
    emulator: Emulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    out: TextIO | None = None,
    allow_remote: bool = False,
    stop: threading.Event | None = None,
) -> ExitStatus:
    """Serve until SIGINT/SIGTERM (or until ``stop`` is set); print the URL as the first line of ``out``.

    ``out`` defaults to stdout and is flushed at once, so a parent process can read the URL.
    Signal handlers are installed only in the main thread and restored afterwards. Returns
    ``ExitStatus.OK`` after a clean shutdown, ``ExitStatus.FAILED`` (with a line on stderr) when the
    address cannot be bound; an ``OSError`` writing the URL propagates (the server is closed).
    """
    import signal
    import threading

    stream = out if out is not None else sys.stdout
    try:
        server = emulator.serve(host, port, allow_remote=allow_remote)
    except OSError as error:
        click.echo(f"error: cannot serve on {host}:{port}: {error.strerror or error}", err=True)
        return ExitStatus.FAILED
    stopped = stop if stop is not None else threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)
    try:
        print(server.url, file=stream, flush=True)
        while not stopped.wait(0.2):
            pass
    finally:
        server.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return ExitStatus.OK
