"""The ``cdn-refresh`` command line: query, wait for and submit CDN refresh/preload tasks.

Exit codes (documented in the README): 0 all complete / success, 1 a task failed, 2 bad usage,
3 timeout, 4 an API, network or credentials error; 5 an unexpected internal error, 130 interrupted.

Only click and the package's light modules are imported at start-up; httpx, rich, the client, the
waiter and the emulator are imported inside the commands that need them, so ``--help`` is fast and
nothing here ever imports pulumi or grpc.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from alicloud_cdn_refresh.errors import ApiError, CdnError, CredentialsError, InvalidQuery
from alicloud_cdn_refresh.limits import MAX_PAGE_NUMBER, MAX_PAGE_SIZE
from alicloud_cdn_refresh.models import ObjectType, PreloadArea, RefreshObjectType, TaskStatus

from .params import DURATION, DURATION_HELP, MOMENT, MOMENT_HELP, Choice, read_lines

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.errors import PendingPath
    from alicloud_cdn_refresh.models import RefreshTask

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "cli",
    "main",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_TIMEOUT = 3
EXIT_API_ERROR = 4
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])

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


class _State:
    """Per-invocation settings the error handler needs, and the strings it must never print."""

    def __init__(self) -> None:
        self.debug = False
        self.json = False
        self.log_handler: logging.Handler | None = None
        self.log_levels: dict[str, int] = {}
        self._secrets: set[str] = set()

    def add_secret(self, secret: str | None) -> None:
        if not secret:
            return
        from urllib.parse import quote, quote_plus

        self._secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})

    def redact(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text


def _state() -> _State:
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(_State) if ctx is not None else None
    return state if state is not None else _State()


class _RedactingFormatter(logging.Formatter):
    def __init__(self, state: _State) -> None:
        super().__init__("%(asctime)s %(name)s %(levelname)s %(message)s")
        self._state = state

    def format(self, record: logging.LogRecord) -> str:
        return self._state.redact(super().format(record))


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
        state = _State()
        extra.setdefault("obj", state)
        try:
            code = self._run(state, args, prog_name, complete_var, extra)
        finally:
            if state.log_handler is not None:
                for name in ("alicloud_cdn_refresh", "httpx"):
                    logger = logging.getLogger(name)
                    logger.removeHandler(state.log_handler)
                    logger.setLevel(state.log_levels.get(name, logging.NOTSET))
        sys.exit(code)

    def _run(
        self,
        state: _State,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        extra: dict[str, Any],
    ) -> int:
        try:
            rv = super().main(
                args=args,
                prog_name=prog_name or "cdn-refresh",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "cdn-refresh"
            _error(state, f"{_one_line(error.format_message())} (see '{where} --help')")
            return EXIT_USAGE
        except click.ClickException as error:
            _error(state, _one_line(error.format_message()))
            return error.exit_code
        except click.Abort:
            _error(state, "interrupted")
            return EXIT_INTERRUPTED
        except InvalidQuery as error:
            _debug_traceback(state)
            _error(state, _usage_text(error), json_error={"kind": "usage", "parameter": error.parameter})
            return EXIT_USAGE
        except CredentialsError as error:
            _debug_traceback(state)
            _error(state, f"credentials: {_one_line(str(error))}", json_error={"kind": "credentials"})
            return EXIT_API_ERROR
        except ApiError as error:
            _debug_traceback(state)
            _report_api_error(state, error)
            return EXIT_API_ERROR
        except CdnError as error:
            _debug_traceback(state)
            _error(state, _one_line(str(error)), json_error={"kind": type(error).__name__})
            return EXIT_API_ERROR
        except Exception as error:
            _debug_traceback(state)
            module = type(error).__module__.split(".")[0]
            if module in ("httpx", "httpcore"):
                _error(state, f"network: {type(error).__name__}: {_one_line(str(error))}")
                return EXIT_API_ERROR
            hint = "" if state.debug else " (run with --debug for the traceback)"
            _error(state, f"internal error: {type(error).__name__}: {_one_line(str(error))}{hint}")
            return EXIT_INTERNAL
        if isinstance(rv, int):
            return rv
        return EXIT_OK


_FLAGS = {
    "TaskId": "--task-id",
    "ObjectPath": "--object-path",
    "DomainName": "--domain",
    "ObjectType": "--object-type",
    "Status": "--status",
    "StartTime": "--start",
    "EndTime": "--end",
    "PageNumber": "--page",
    "PageSize": "--page-size",
    "ResourceGroupId": "--resource-group-id",
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


def _error(state: _State, message: str, *, json_error: dict[str, Any] | None = None) -> None:
    if state.json and json_error is not None:
        document = {"version": 1, "error": {**json_error, "message": state.redact(message)}}
        sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
    click.echo(state.redact(f"error: {message}"), err=True)


def _report_api_error(state: _State, error: ApiError) -> None:
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


def _debug_traceback(state: _State) -> None:
    if state.debug:
        click.echo(state.redact(traceback.format_exc()).rstrip(), err=True)


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        state = ctx.find_object(_State)
        if state is not None and not state.debug:
            state.debug = True
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(_RedactingFormatter(state))
            for name in ("alicloud_cdn_refresh", "httpx"):
                logger = logging.getLogger(name)
                state.log_levels[name] = logger.level
                logger.setLevel(logging.DEBUG)
                logger.addHandler(handler)
            state.log_handler = handler
    return value


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        state = ctx.find_object(_State)
        if state is not None:
            state.json = True
    return value


_debug_option = click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_debug,
    help="Show tracebacks and debug logs (secrets are masked).",
)
_json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    is_eager=True,
    callback=_set_json,
    help="Print JSON (schema version 1, see README) instead of a table.",
)


def _client_options(func: F) -> F:
    func = click.option(
        "--signature-version",
        type=Choice(["v3", "v1"]),
        default="v3",
        show_default=True,
        help="ACS3-HMAC-SHA256 (v3) or HMAC-SHA1 (v1) request signatures.",
    )(func)
    func = click.option(
        "--endpoint",
        metavar="URL",
        help="API endpoint; default: Pulumi config alicloud:endpoints, then $ALIBABA_CLOUD_CDN_ENDPOINT, "
        "then https://cdn.aliyuncs.com.",
    )(func)
    return _debug_option(func)


def _wait_options(func: F) -> F:
    options = [
        click.option(
            "--timeout",
            type=DURATION,
            default="30m",
            show_default=True,
            help=f"Give up after this long (exit 3); {DURATION_HELP}.",
        ),
        click.option(
            "--keep-going",
            is_flag=True,
            help="Keep waiting for the other paths after one fails (exit 1 at the end).",
        ),
        click.option(
            "--poll-initial",
            type=DURATION,
            default="2s",
            show_default=True,
            help="First interval between polls (it backs off with jitter).",
        ),
        click.option(
            "--poll-max",
            type=DURATION,
            default="30s",
            show_default=True,
            help="Longest interval between polls.",
        ),
        click.option(
            "--not-found-grace",
            type=DURATION,
            default="60s",
            show_default=True,
            help="Give up (exit 3) on a path that has no task at all after this long.",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No table of tasks at the end, only the summary."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@contextmanager
def _client(endpoint: str | None, signature_version: str) -> Iterator[CdnClient]:
    """A client with credentials from the resolution chain (temporary ones renewed), every secret
    it is handed registered for masking."""
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.credentials import Credentials, resolve_provider

    provider = resolve_provider()
    state = _state()

    def mask(credentials: Credentials) -> None:
        state.add_secret(credentials.access_key_secret)
        state.add_secret(credentials.security_token)

    add_listener = getattr(provider, "add_listener", None)
    if callable(add_listener):
        add_listener(mask)
    client = CdnClient(endpoint=endpoint, credentials=provider, signature_version=signature_version.lower())
    try:
        yield client
    finally:
        client.close()


def _collect(paths: Sequence[str], from_file: IO[str] | None) -> list[str]:
    collected = [path.strip() for path in paths if path.strip()]
    if from_file is not None:
        collected.extend(read_lines(from_file))
    seen: set[str] = set()
    unique = []
    for path in collected:
        if not _is_url(path):
            raise click.UsageError(
                f"object path {path!r} is not a URL: give full http:// or https:// URLs "
                "such as https://www.example.com/index.html"
            )
        if path not in seen:
            seen.add(path)
            unique.append(path)
    return unique


def _is_url(path: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(path)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# -- the commands ----------------------------------------------------------------------------------


@click.group(
    cls=_Cli,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="pulumi-alicloud-cdn-refresh", prog_name="cdn-refresh")
@_debug_option
def cli() -> None:
    """Query, wait for and submit Alibaba Cloud CDN refresh and preload tasks.

    Credentials come from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and
    ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY, with an optional
    security token) or from ~/.aliyun/config.json; no option takes a secret.

    Exit codes: 0 done, 1 a task failed, 2 bad usage, 3 timeout, 4 API or credentials error.
    Try `cdn-refresh demo`: it needs no account.
    """


_OBJECT_TYPES = [member.value for member in ObjectType] + ["path"]
_STATUSES = [member.value for member in TaskStatus.queryable()]


@cli.command("tasks")
@click.option("--task-id", help="Only this task id.")
@click.option("--object-path", "--path", "object_path", metavar="URL", help="Only this exact URL.")
@click.option("--domain", metavar="DOMAIN", help="Only tasks of this domain (needs --object-type).")
@click.option(
    "--object-type",
    type=Choice(_OBJECT_TYPES),
    help="Task type ('path' is the old name of directory); needed with --domain or --status.",
)
@click.option(
    "--status",
    type=Choice(_STATUSES),
    help="Only tasks in this status (needs --object-type).",
)
@click.option("--start", type=MOMENT, help=f"Created at or after ({MOMENT_HELP}); needs --end.")
@click.option("--end", type=MOMENT, help="Created before (same forms as --start); needs --start.")
@click.option("--page", type=click.IntRange(1, MAX_PAGE_NUMBER), help="Page number (1-based).")
@click.option(
    "--page-size",
    type=click.IntRange(1, MAX_PAGE_SIZE),
    help=f"Tasks per page, 1..{MAX_PAGE_SIZE} (the API's default is 20).",
)
@click.option("--resource-group-id", help="Only tasks of this resource group.")
@click.option("--all-pages", is_flag=True, help="Fetch every page (each task once).")
@_json_option
@_client_options
def tasks_command(
    task_id: str | None,
    object_path: str | None,
    domain: str | None,
    object_type: str | None,
    status: str | None,
    start: datetime | None,
    end: datetime | None,
    page: int | None,
    page_size: int | None,
    resource_group_id: str | None,
    all_pages: bool,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> None:
    """List refresh and preload tasks of the last 3 days (DescribeRefreshTasks, every filter)."""
    if all_pages and page is not None:
        raise click.UsageError("--all-pages and --page exclude each other: --all-pages fetches every page")
    from . import render as render

    filters: dict[str, Any] = {
        "task_id": task_id,
        "object_path": object_path,
        "domain_name": domain,
        "object_type": object_type,
        "status": status,
        "start_time": start,
        "end_time": end,
        "page_size": page_size,
        "resource_group_id": resource_group_id,
    }
    with _client(endpoint, signature_version) as client:
        if all_pages:
            if page_size is None:  # the client's own default: the largest page, fewest calls
                del filters["page_size"]
            tasks = list(client.iter_refresh_tasks(**filters))
            document: dict[str, Any] = {
                "version": render.JSON_VERSION,
                "page_number": None,
                "page_size": page_size,
                "total_count": len(tasks),
                "request_id": None,
                "tasks": [render.task_to_json(task) for task in tasks],
            }
            title = f"{len(tasks)} task(s), all pages"
        else:
            result = client.describe_refresh_tasks(page_number=page, **filters)
            tasks = list(result.tasks)
            document = {
                "version": render.JSON_VERSION,
                "page_number": result.page_number,
                "page_size": result.page_size,
                "total_count": result.total_count,
                "request_id": result.request_id,
                "tasks": [render.task_to_json(task) for task in tasks],
            }
            title = (
                f"Page {result.page_number} of {max(1, result.page_count)}: "
                f"{len(tasks)} of {result.total_count} task(s)"
            )
    if as_json:
        render.dump_json(document)
        return
    if not tasks:
        click.echo("No tasks match (only the last 3 days can be queried).")
        return
    render.render_tasks(tasks, title=title)


@cli.command("wait")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--task-id", "task_ids", multiple=True, help="Wait for this task id (repeatable).")
@click.option(
    "--from-file",
    type=click.File("r"),
    help="Read object paths from this file, one a line ('-' for stdin; # comments skipped).",
)
@click.option("--since", type=MOMENT, help=f"Only tasks created at or after this ({MOMENT_HELP}).")
@_wait_options
@_json_option
@_client_options
def wait_command(
    paths: tuple[str, ...],
    task_ids: tuple[str, ...],
    from_file: IO[str] | None,
    since: datetime | None,
    timeout: float,
    keep_going: bool,
    poll_initial: float,
    poll_max: float,
    not_found_grace: float,
    quiet: bool,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> int:
    """Block until every PATH (or task id) is Complete; exit 1 on Failed, 3 on timeout.

    Per path the newest task counts (created at or after --since when given). A live progress
    display is drawn on a terminal; when stderr is not a terminal (CI logs), one plain line is
    printed per polling round.
    """
    object_paths = _collect(paths, from_file)
    ids = [task.strip() for task in task_ids if task.strip()]
    if not object_paths and not ids:
        raise click.UsageError("nothing to wait for: give object paths, --task-id ID or --from-file FILE")
    with _client(endpoint, signature_version) as client:
        document, code = _wait_and_report(
            client,
            object_paths=object_paths,
            task_ids=ids,
            since=since,
            timeout=timeout,
            keep_going=keep_going,
            poll_initial=poll_initial,
            poll_max=poll_max,
            not_found_grace=not_found_grace,
            quiet=quiet or as_json,
        )
    if as_json:
        from . import render as render

        render.dump_json({"version": render.JSON_VERSION, **document})
    return code


def _wait_and_report(
    client: CdnClient,
    *,
    object_paths: Sequence[str],
    task_ids: Sequence[str],
    since: datetime | None,
    timeout: float,
    keep_going: bool,
    poll_initial: float,
    poll_max: float,
    not_found_grace: float = 60.0,
    quiet: bool,
    label: str = "Waiting for CDN tasks",
) -> tuple[dict[str, Any], int]:
    """Run the waiter with a progress display; print the outcome; return (JSON document, exit code)."""
    from alicloud_cdn_refresh.errors import PendingPath, RefreshFailed, TaskNotFound, WaitTimeout
    from alicloud_cdn_refresh.waiter.loop import wait_for_refresh

    from . import render as render

    tasks: list[RefreshTask] = []
    failed: list[RefreshTask] = []
    pending: list[PendingPath] = []
    started = time.monotonic()
    reporter = render.make_progress(sys.stderr, total=len(object_paths), label=label)
    try:
        with reporter:
            tasks = wait_for_refresh(
                object_paths or None,
                task_ids=task_ids or None,
                since=since,
                timeout=timeout,
                client=client,
                on_progress=reporter,
                fail_on_failed=not keep_going,
                poll_initial=poll_initial,
                poll_max=max(poll_max, poll_initial),
                not_found_grace=not_found_grace,
            )
        failed = [task for task in tasks if task.status.is_failed]
        outcome = "failed" if failed else "complete"
    except RefreshFailed as error:
        failed = list(error.failed)
        tasks = list(error.completed) + failed
        outcome = "failed"
    except WaitTimeout as error:
        pending = list(error.pending)
        tasks = list(error.completed)
        outcome = "timeout"
    except TaskNotFound as error:
        pending = [PendingPath(path, "NotFound") for path in error.paths]
        pending += [PendingPath(f"task {task_id}", "NotFound", task_id=task_id) for task_id in error.task_ids]
        outcome = "not_found"
    elapsed = time.monotonic() - started
    document = {
        "outcome": outcome,
        "elapsed": round(elapsed, 3),
        "tasks": [render.task_to_json(task) for task in tasks],
        "failed": [render.task_to_json(task) for task in failed],
        "pending": [render.pending_to_json(item) for item in pending],
    }
    if not quiet and tasks:
        render.render_tasks(tasks)
    if outcome == "complete":
        if not quiet:
            click.echo(f"All {len(tasks)} path(s) Complete in {elapsed:.1f}s.")
        return document, EXIT_OK
    if outcome == "failed":
        lines = [f"error: {len(failed)} path(s) failed:", *render.failed_lines(failed)]
        click.echo("\n".join(lines), err=True)
        return document, EXIT_FAILED
    if outcome == "not_found":
        head = (
            f"error: no task found after {not_found_grace:g}s for {len(pending)} path(s) "
            "(only the last 3 days count; is each path spelled exactly as submitted?):"
        )
    else:
        head = f"error: timeout after {timeout:g}s: {len(pending)} path(s) not Complete:"
    lines = [head, *render.pending_lines(pending)]
    click.echo("\n".join(lines), err=True)
    return document, EXIT_TIMEOUT


def _submit_options(func: F) -> F:
    func = click.option("--wait", "wait_after", is_flag=True, help="Then wait until the tasks are Complete.")(
        func
    )
    func = click.option(
        "--from-file",
        type=click.File("r"),
        help="Read object paths from this file, one a line ('-' for stdin; # comments skipped).",
    )(func)
    return click.argument("paths", nargs=-1, metavar="[PATH]...")(func)


@cli.command("refresh")
@_submit_options
@click.option(
    "--type",
    "object_type",
    type=Choice(member.value for member in RefreshObjectType),
    default=RefreshObjectType.FILE.value,
    show_default=True,
    help="What each PATH is: a file URL, a directory URL (ends with /), a regex, or ExQuery.",
)
@click.option("--force", is_flag=True, help="Purge even unchanged content (the API's Force).")
@_wait_options
@_json_option
@_client_options
def refresh_command(
    paths: tuple[str, ...],
    from_file: IO[str] | None,
    wait_after: bool,
    object_type: str,
    force: bool,
    timeout: float,
    keep_going: bool,
    poll_initial: float,
    poll_max: float,
    not_found_grace: float,
    quiet: bool,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> int:
    """Purge cached PATHs (RefreshObjectCaches), batched to the API's limits; --wait to block."""
    object_paths = _collect(paths, from_file)
    if not object_paths:
        raise click.UsageError("no object paths: give them as arguments or with --from-file FILE")
    with _client(endpoint, signature_version) as client:
        task_ids = client.refresh_object_caches(object_paths, object_type=object_type, force=force)
        document: dict[str, Any] = {
            "operation": "refresh",
            "object_type": object_type,
            "force": force,
            "object_paths": object_paths,
            "task_ids": list(task_ids),
        }
        return _after_submit(
            client,
            document,
            wait_after=wait_after,
            as_json=as_json,
            timeout=timeout,
            keep_going=keep_going,
            poll_initial=poll_initial,
            poll_max=poll_max,
            not_found_grace=not_found_grace,
            quiet=quiet,
        )


@cli.command("preload")
@_submit_options
@click.option(
    "--area",
    type=Choice(member.value for member in PreloadArea),
    help="Preload in mainland China (domestic) or outside it (overseas); default: the domain's area.",
)
@click.option("--l2-preload", is_flag=True, help="Also preload the L2 (regional) cache nodes.")
@click.option(
    "--with-header",
    metavar="JSON",
    help='Headers the preload request carries, a JSON object, e.g. \'{"Accept-Encoding": ["gzip"]}\'.',
)
@_wait_options
@_json_option
@_client_options
def preload_command(
    paths: tuple[str, ...],
    from_file: IO[str] | None,
    wait_after: bool,
    area: str | None,
    l2_preload: bool,
    with_header: str | None,
    timeout: float,
    keep_going: bool,
    poll_initial: float,
    poll_max: float,
    not_found_grace: float,
    quiet: bool,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> int:
    """Warm the cache with PATHs (PushObjectCache), batched to the API's limits; --wait to block."""
    object_paths = _collect(paths, from_file)
    if not object_paths:
        raise click.UsageError("no object paths: give them as arguments or with --from-file FILE")
    header_value: Any = None
    if with_header is not None:
        try:
            header_value = json.loads(with_header)
        except ValueError:
            raise click.BadParameter('must be a JSON object such as \'{"Accept": ["*/*"]}\'') from None
        if not isinstance(header_value, dict):
            raise click.BadParameter('must be a JSON object such as \'{"Accept": ["*/*"]}\'')
    with _client(endpoint, signature_version) as client:
        task_ids = client.push_object_cache(
            object_paths, area=area, l2_preload=l2_preload, with_header=header_value
        )
        document: dict[str, Any] = {
            "operation": "preload",
            "object_type": ObjectType.PRELOAD.value,
            "area": area,
            "l2_preload": l2_preload,
            "object_paths": object_paths,
            "task_ids": list(task_ids),
        }
        return _after_submit(
            client,
            document,
            wait_after=wait_after,
            as_json=as_json,
            timeout=timeout,
            keep_going=keep_going,
            poll_initial=poll_initial,
            poll_max=poll_max,
            not_found_grace=not_found_grace,
            quiet=quiet,
        )


def _after_submit(
    client: CdnClient,
    document: dict[str, Any],
    *,
    wait_after: bool,
    as_json: bool,
    timeout: float,
    keep_going: bool,
    poll_initial: float,
    poll_max: float,
    not_found_grace: float,
    quiet: bool,
) -> int:
    from . import render as render

    paths = document["object_paths"]
    ids = document["task_ids"]
    if not as_json:
        click.echo(
            f"Submitted {document['operation']} of {len(paths)} path(s): "
            f"task id(s) {', '.join(ids) or '(none)'}"
        )
    code = EXIT_OK
    if wait_after:
        outcome, code = _wait_and_report(
            client,
            object_paths=[],
            task_ids=ids,
            since=None,
            timeout=timeout,
            keep_going=keep_going,
            poll_initial=poll_initial,
            poll_max=poll_max,
            not_found_grace=not_found_grace,
            quiet=quiet or as_json,
        )
        document = {**document, **outcome}
    if as_json:
        render.dump_json({"version": render.JSON_VERSION, **document})
    return code


@cli.command("quota")
@_json_option
@_client_options
def quota_command(as_json: bool, endpoint: str | None, signature_version: str) -> None:
    """Show today's refresh and preload quotas and what remains (DescribeRefreshQuota)."""
    from . import render as render

    with _client(endpoint, signature_version) as client:
        quota = client.describe_refresh_quota()
    if as_json:
        render.dump_json(render.quota_to_json(quota))
    else:
        render.render(render.quota_table(quota))


@cli.command("emulator")
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
    type=DURATION,
    default="5s",
    show_default=True,
    help="How long after submission a task turns Complete.",
)
@click.option(
    "--complete-after-polls",
    type=click.IntRange(min=1),
    metavar="N",
    help="Instead of time: a task turns Complete once N answers have shown it.",
)
@click.option("--fail-paths", metavar="REGEX", help="Tasks of paths matching this regex end Failed.")
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
    default="500,503,drop,slow,malformed,truncated",
    show_default=True,
    help="Comma-separated faults to draw from.",
)
@click.option(
    "--slow-seconds", type=DURATION, default="2s", show_default=True, help="Delay of a 'slow' fault."
)
@click.option("--seed", type=int, help="Seed for task ids, failures and faults (reproducible runs).")
@click.option("--no-qps-limits", is_flag=True, help="Do not enforce the per-action QPS limits.")
@click.option("--no-quotas", is_flag=True, help="Do not enforce the daily quotas.")
@click.option("--allow-remote", is_flag=True, help="Allow binding a non-loopback address.")
@_debug_option
def emulator_command(**flags: Any) -> int:
    """Serve the offline emulator of the CDN API until Ctrl-C; its URL is the first line printed.

    Point the CLI or your code at it: ALIBABA_CLOUD_CDN_ENDPOINT=URL with the key pair above in
    ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET. Exit 0 after Ctrl-C or SIGTERM,
    2 on a bad flag, 1 when the address cannot be bound.
    """
    import argparse

    from alicloud_cdn_refresh.emulator.main import emulator_from_args
    from alicloud_cdn_refresh.emulator.server import run_server

    _state().add_secret(flags["access_key_secret"])
    try:
        emulator = emulator_from_args(argparse.Namespace(**flags))
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    try:
        return run_server(
            emulator, flags["host"], flags["port"], out=sys.stdout, allow_remote=flags["allow_remote"]
        )
    except ValueError as error:  # a non-loopback host without --allow-remote
        raise click.UsageError(str(error)) from None
    except OSError as error:
        click.echo(
            f"error: cannot serve on {flags['host']}:{flags['port']}: {error.strerror or error}", err=True
        )
        return 1


@cli.command("demo")
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
    help="Also refresh a URL the emulator fails, to see a failure reported (then exit 1).",
)
@_debug_option
def demo_command(complete_after: float, with_failure: bool) -> int:
    """Run the whole job against an embedded emulator: no account, no credentials, no set-up.

    Submits a refresh and a preload of sample URLs, waits with the progress display, prints the
    tasks and a summary. Credentials and endpoints in the environment are ignored.
    """
    from .demo import run_demo

    return run_demo(complete_after=complete_after, with_failure=with_failure)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``cdn-refresh`` console script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="cdn-refresh")


if __name__ == "__main__":  # pragma: no cover
    main()
