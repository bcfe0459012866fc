"""The ``cdn-refresh`` program: the root group, its commands, and every error turned into one line.

:class:`~.exit_status.ExitStatus` is the one source of exit codes; :func:`run_program` runs any
command with the same error handling (``python -m alicloud_cdn_refresh.emulator`` uses it).

Only click and the package's light modules are imported at start-up. A command's module is imported
when the command is looked up (:class:`_Commands`): ``cdn-refresh --help`` lists them from
:data:`_LISTED` and imports none, ``cdn-refresh tasks ...`` imports only ``commands/tasks.py``. The
error handling (:mod:`.errors`) is imported when something failed. httpx, rich, the client, the
waiter and the emulator are imported inside the commands that need them, and nothing here ever
imports pulumi or grpc.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from gettext import gettext as _
from typing import Any, Final, NoReturn

import click

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


def __getattr__(name: str) -> dict[str, str]:
    if name == "_FLAGS":  # the command-line spelling of API parameter names, kept under this name
        from .errors import FLAGS

        return FLAGS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def status_of_run(state: CliState, run: Callable[[], Any]) -> int:
    """Run the command; print any error as one masked line (JSON too with ``--json``); its exit status.

    The error handling (:func:`.errors.status_of_failure`) is imported once something failed."""
    try:
        rv = run()
    except BaseException as error:
        from .errors import status_of_failure

        return status_of_failure(state, error)
    if isinstance(rv, int):
        return rv
    return ExitStatus.OK


def run_program(
    command: click.Command, args: Sequence[str] | None = None, *, prog_name: str, **extra: Any
) -> NoReturn:
    """Run ``command`` as a program: every error becomes one line on stderr and an :class:`ExitStatus`."""
    _exit(command.main, args, prog_name, None, extra)


_LISTED: Final[dict[str, dict[str, str]]] = {
    "tasks": {
        "help": "List refresh and preload tasks of the last 3 days (DescribeRefreshTasks, every filter)."
    },
    "wait": {"help": "Block until every PATH (or task id) is Complete; exit 1 on Failed, 3 on timeout."},
    "refresh": {
        "help": "Purge cached PATHs (RefreshObjectCaches), batched to the API's limits; --wait to block."
    },
    "preload": {
        "help": "Warm the cache with PATHs (PushObjectCache), batched to the API's limits; --wait to block."
    },
    "preload-detail": {"short_help": "Per-URL progress of one preload task."},
    "quota": {"help": "Show today's refresh and preload quotas and what remains (DescribeRefreshQuota)."},
    "whoami": {"short_help": "Which credentials would be used and why (masked; no network without --fetch)."},
    "credentials": {"short_help": "The same as whoami."},
    "emulator": {
        "help": "Serve the offline emulator of the CDN and DCDN APIs until Ctrl-C; "
        "its URL is the first line printed."
    },
    "demo": {
        "help": "Run the whole job against an embedded emulator: no account, no credentials, no set-up."
    },
}
"""Every command of the root group, in the order they were registered, with what the root help lists
for it before its module is imported: the first sentence of its help (shortened as click shortens
it), or its ``short_help``. ``tests/cli/test_lazy_commands.py`` checks it against the commands."""


def _load(name: str) -> click.Command:
    """Import the module of command ``name`` (plain imports, so that the import-rule and cycle tests
    see each edge)."""
    if name == "tasks":
        from .commands.tasks import tasks_command

        return tasks_command
    if name == "wait":
        from .commands.wait import wait_command

        return wait_command
    if name == "refresh":
        from .commands.submit import refresh_command

        return refresh_command
    if name == "preload":
        from .commands.submit import preload_command

        return preload_command
    if name == "preload-detail":
        from .commands.preload_detail import preload_detail_command

        return preload_detail_command
    if name == "quota":
        from .commands.quota import quota_command

        return quota_command
    if name == "whoami":
        from .commands.whoami import whoami_command

        return whoami_command
    if name == "credentials":
        from .commands.whoami import credentials_command

        return credentials_command
    if name == "emulator":
        from .commands.emulator import emulator_command

        return emulator_command
    if name == "demo":
        from .commands.demo import demo_command

        return demo_command
    raise KeyError(name)


class _Commands(MutableMapping[str, click.Command]):
    """The root group's commands by name: every name of :data:`_LISTED` is there from the start, and
    its module is imported when the command is first looked up (``commands["tasks"]``, click's
    ``get_command``). Names, ``in`` and ``len`` import nothing."""

    def __init__(self) -> None:
        self._names = list(_LISTED)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        command = self._loaded.get(name)
        if command is None:
            if name not in self._names:
                raise KeyError(name)
            command = self._loaded[name] = _load(name)
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        if name not in self._names:
            self._names.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._names:
            raise KeyError(name)
        self._names.remove(name)
        self._loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def listed(self, name: str) -> click.Command:
        """The command if its module is imported, else a stand-in with the help :data:`_LISTED` has."""
        command = self._loaded.get(name)
        if command is not None:
            return command
        listed = _LISTED[name]
        return click.Command(name, help=listed.get("help"), short_help=listed.get("short_help"))


class _Cli(GuardedGroup):
    """The root group: runs a command and turns every error into one line and an exit code."""

    commands: _Commands

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's listing of the commands with their short help, without importing their modules."""
        rows = [(name, self.commands.listed(name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in rows if not command.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _command in rows)
            with formatter.section(_("Commands")):  # click's words, translated as click translates them
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])

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


@click.group(cls=_Cli, commands=_Commands(), help=_ROOT_HELP, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="pulumi-alicloud-cdn-refresh", prog_name="cdn-refresh")
@debug_option
def cli() -> None:
    """The root group; see ``_ROOT_HELP``."""


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``cdn-refresh`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="cdn-refresh")


if __name__ == "__main__":  # pragma: no cover
    main()
