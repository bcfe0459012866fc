"""The ``cdn-refresh`` program: the root group, its commands, and every error turned into one line.

:class:`~.exit_status.ExitStatus` is the one source of exit codes; :func:`run_program` runs any
command with the same error handling (``python -m alicloud_cdn_refresh.emulator`` uses it).

Only click and the package's light modules are imported at start-up; httpx, rich, the client, the
waiter and the emulator are imported inside the commands that need them, so ``--help`` is fast and
nothing here ever imports pulumi or grpc.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from .commands.demo import demo_command
from .commands.emulator import emulator_command
from .commands.preload_detail import preload_detail_command
from .commands.quota import quota_command
from .commands.submit import preload_command, refresh_command
from .commands.tasks import tasks_command
from .commands.wait import wait_command
from .commands.whoami import credentials_command, whoami_command
from .errors import FLAGS, status_of_run
from .exit_status import ExitStatus, describe_exit_statuses
from .options import CONTEXT_SETTINGS, debug_option
from .output import GuardedGroup, flush_streams, prepare_streams, sigterm_raises, wants_json
from .state import CliState

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_OUTPUT_ERROR",
    "EXIT_PARTIAL_SUBMIT",
    "EXIT_TERMINATED",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "ExitStatus",
    "cli",
    "main",
    "run_program",
]

# The names of exit codes before ExitStatus; kept for code that imports them.
EXIT_OK = ExitStatus.OK
EXIT_FAILED = ExitStatus.FAILED
EXIT_USAGE = ExitStatus.USAGE
EXIT_TIMEOUT = ExitStatus.TIMEOUT
EXIT_API_ERROR = ExitStatus.API_ERROR
EXIT_INTERNAL = ExitStatus.INTERNAL
EXIT_INTERRUPTED = ExitStatus.INTERRUPTED
EXIT_PARTIAL_SUBMIT = ExitStatus.PARTIAL_SUBMIT
EXIT_OUTPUT_ERROR = ExitStatus.OUTPUT_ERROR
EXIT_BROKEN_PIPE = ExitStatus.BROKEN_PIPE
EXIT_TERMINATED = ExitStatus.TERMINATED

_FLAGS = FLAGS
"""The command-line spelling of API parameter names (:data:`.errors.FLAGS`; kept under this name)."""


def run_program(
    command: click.Command, args: Sequence[str] | None = None, *, prog_name: str, **extra: Any
) -> NoReturn:
    """Run ``command`` as a program: every error becomes one line on stderr and an :class:`ExitStatus`."""
    _exit(command.main, args, prog_name, None, extra)


class _Cli(GuardedGroup):
    """The root group: runs a command and turns every error into one line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        _exit(super().main, args, prog_name or "cdn-refresh", complete_var, extra)


def _exit(
    click_main: Callable[..., Any],
    args: Sequence[str] | None,
    prog_name: str,
    complete_var: str | None,
    extra: dict[str, Any],
) -> NoReturn:
    argv = list(sys.argv[1:] if args is None else args)
    state = CliState()
    state.json = wants_json(argv)
    extra.setdefault("obj", state)
    prepare_streams()
    try:
        with sigterm_raises():
            status = status_of_run(
                state,
                lambda: click_main(
                    args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
                ),
            )
            if status not in (ExitStatus.BROKEN_PIPE, ExitStatus.OUTPUT_ERROR):
                # what is still buffered: a closed pipe or a full disk shows here, not at exit
                status = status_of_run(state, lambda: _flushed(status))
    finally:
        state.stop_debug_logging()
    sys.exit(int(status))


def _flushed(status: int) -> int:
    flush_streams()
    return status


_ROOT_HELP = f"""Query, wait for and submit Alibaba Cloud CDN refresh and preload tasks.

Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY, with an optional
security token), from ~/.aliyun/config.json (--profile NAME), a role, OIDC or the ECS instance's
role; `cdn-refresh whoami` shows which one is used and why. No option takes a secret.

Exit codes: {describe_exit_statuses()}.
Try `cdn-refresh demo`: it needs no account.
"""


@click.group(cls=_Cli, help=_ROOT_HELP, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="pulumi-alicloud-cdn-refresh", prog_name="cdn-refresh")
@debug_option
def cli() -> None:
    """The root group; see ``_ROOT_HELP``."""


for _command in (
    tasks_command,
    wait_command,
    refresh_command,
    preload_command,
    preload_detail_command,
    quota_command,
    whoami_command,
    credentials_command,
    emulator_command,
    demo_command,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``cdn-refresh`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="cdn-refresh")


if __name__ == "__main__":  # pragma: no cover
    main()
