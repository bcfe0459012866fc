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

from alicloud_cdn_refresh.errors import ApiError, CdnError, CredentialsError, InvalidQuery
from alicloud_cdn_refresh.query import FILTER_FIELDS

from .commands.demo import demo_command
from .commands.emulator import emulator_command
from .commands.quota import quota_command
from .commands.submit import preload_command, refresh_command
from .commands.tasks import tasks_command
from .commands.wait import wait_command
from .exit_status import ExitStatus, describe_exit_statuses
from .options import CONTEXT_SETTINGS, debug_option
from .state import CliState

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
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

_HINTS = {
    "SignatureDoesNotMatch": "the secret does not match the access key id, or a proxy altered the request",
    "IncompleteSignature": "the request was not signed as the gateway expects; try --signature-version v1",
    "InvalidAccessKeyId.NotFound": "this endpoint does not know the access key id (check it and --endpoint)",
    "InvalidTimeStamp.Expired": "this machine's clock is more than 15 minutes off; sync it (NTP)",
    "InvalidSecurityToken.Expired": "the STS token has expired; get a new one",
    "Throttling": "too many calls per second; retried already, try again later or slow down",
    "Throttling.User": "too many calls per second for this account; try again later",
    "InvalidStartTime.ValueNotSupported": "only the last 3 days can be queried; move --start later",
    "MissingParameter.ObjectType": "--domain and --status need --object-type",
    "MissingTimeParameter": "give both --start and --end, or neither",
    "OperationDenied": "the CDN service is not activated on this account, or it is suspended",
    "QuotaExceeded.Refresh": "today's refresh quota is used up; see `cdn-refresh quota`",
    "InvalidDomain.NotFound": "the domain is not a CDN domain of this account",
}

_FLAGS = {
    **{field.wire: field.flag for field in FILTER_FIELDS},
    "PageNumber": "--page",
    "PageSize": "--page-size",
    "Area": "--area",
    "WithHeader": "--with-header",
    "endpoint": "--endpoint",
    "signature_version": "--signature-version",
    "object_paths": "PATH",
    "task_ids": "--task-id",
    "since": "--since",
    "timeout": "--timeout",
    "poll_initial": "--poll-initial",
    "poll_max": "--poll-max",
    "not_found_grace": "--not-found-grace",
}
"""The command-line spelling of the parameters the client and the waiter name in InvalidQuery."""


def run_program(
    command: click.Command, args: Sequence[str] | None = None, *, prog_name: str, **extra: Any
) -> NoReturn:
    """Run ``command`` as a program: every error becomes one line on stderr and an :class:`ExitStatus`."""
    _exit(command.main, args, prog_name, None, extra)


class _Cli(click.Group):
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
    state = CliState()
    extra.setdefault("obj", state)
    try:
        status = _status_of_run(
            state,
            lambda: click_main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            ),
        )
    finally:
        state.stop_debug_logging()
    sys.exit(int(status))


def _status_of_run(state: CliState, run: Callable[[], Any]) -> int:
    """Run the command; print any error as one masked line (JSON too with --json); its exit status."""
    try:
        rv = run()
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx is not None else "cdn-refresh"
        _error(state, f"{_one_line(error.format_message())} (see '{where} --help')")
        return ExitStatus.USAGE
    except click.ClickException as error:
        _error(state, _one_line(error.format_message()))
        return error.exit_code
    except click.Abort:
        _error(state, "interrupted")
        return ExitStatus.INTERRUPTED
    except InvalidQuery as error:
        _debug_traceback(state)
        _error(state, _usage_text(error), json_error={"kind": "usage", "parameter": error.parameter})
        return ExitStatus.USAGE
    except CredentialsError as error:
        _debug_traceback(state)
        _error(state, f"credentials: {_one_line(str(error))}", json_error={"kind": "credentials"})
        return ExitStatus.API_ERROR
    except ApiError as error:
        _debug_traceback(state)
        _report_api_error(state, error)
        return ExitStatus.API_ERROR
    except CdnError as error:
        _debug_traceback(state)
        _error(state, _one_line(str(error)), json_error={"kind": type(error).__name__})
        return ExitStatus.API_ERROR
    except Exception as error:
        _debug_traceback(state)
        module = type(error).__module__.split(".")[0]
        if module in ("httpx", "httpcore"):
            _error(state, f"network: {type(error).__name__}: {_one_line(str(error))}")
            return ExitStatus.API_ERROR
        hint = "" if state.debug else " (run with --debug for the traceback)"
        _error(state, f"internal error: {type(error).__name__}: {_one_line(str(error))}{hint}")
        return ExitStatus.INTERNAL
    if isinstance(rv, int):
        return rv
    return ExitStatus.OK


def _usage_text(error: InvalidQuery) -> str:
    """``--end (EndTime): ...``: the flag the user typed, then the API's name, then the reason."""
    text = _one_line(str(error))
    flag = _FLAGS.get(error.parameter)
    prefix = f"{error.parameter}: "
    if flag is None or not text.startswith(prefix):
        return text
    return f"{flag} ({error.parameter}): {text[len(prefix) :]}"


def _one_line(text: str) -> str:
    return "; ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _error(state: CliState, message: str, *, json_error: dict[str, Any] | None = None) -> None:
    if state.json and json_error is not None:
        import json

        document = {"version": 1, "error": {**json_error, "message": state.redact(message)}}
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
    click.echo(state.redact(f"error: {message}"), err=True)


def _report_api_error(state: CliState, error: ApiError) -> None:
    parts = [f"API error {error.code}: {error.message}"]
    details = []
    if error.action:
        details.append(error.action)
    if error.http_status:
        details.append(f"HTTP {error.http_status}")
    details.append(f"request id {error.request_id or '(none)'}")
    parts.append(f"({', '.join(details)})")
    _error(
        state,
        " ".join(parts),
        json_error={
            "kind": "api",
            "code": error.code,
            "request_id": error.request_id,
            "http_status": error.http_status,
            "action": error.action,
        },
    )
    hint = _HINTS.get(error.code) or (_HINTS["Throttling"] if error.code.startswith("Throttling") else None)
    if hint:
        click.echo(f"hint: {hint}", err=True)


def _debug_traceback(state: CliState) -> None:
    if state.debug:
        import traceback

        click.echo(state.redact(traceback.format_exc()).rstrip(), err=True)


_ROOT_HELP = f"""Query, wait for and submit Alibaba Cloud CDN refresh and preload tasks.

Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY, with an optional
security token) or from ~/.aliyun/config.json; no option takes a secret.

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
    quota_command,
    emulator_command,
    demo_command,
):
    cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``cdn-refresh`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="cdn-refresh")


if __name__ == "__main__":  # pragma: no cover
    main()
