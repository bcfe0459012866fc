"""Options shared by several ``cdn-refresh`` commands, and the values they become.

- :data:`debug_option`, :data:`json_option`;
- :func:`client_options` (``--endpoint``, ``--signature-version``, ``--debug``) and
  :func:`open_client`, the client they describe;
- :func:`wait_options`, which gathers the six wait flags into one :class:`WaitOptions` argument.

Only click and light modules here: the client is imported when a command opens one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from .exit_status import ExitStatus
from .params import DURATION, DURATION_HELP, Choice, parse_duration
from .state import CliState, current_state, enable_debug_logging

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = [
    "CONTEXT_SETTINGS",
    "WaitOptions",
    "client_options",
    "debug_option",
    "json_option",
    "open_client",
    "wait_options",
]

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS: Final[dict[str, Any]] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
"""Context settings of every command that runs as a program (the root group, the emulator)."""


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        state = ctx.find_object(CliState)
        if state is not None:
            state.json = True
    return value


debug_option = click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=enable_debug_logging,
    help="Show tracebacks and debug logs (secrets are masked).",
)
json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    is_eager=True,
    callback=_set_json,
    help="Print JSON (schema version 1, see README) instead of a table.",
)


def client_options(func: F) -> F:
    """``--endpoint``, ``--signature-version`` and ``--debug``: the command gets the first two."""
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
    return debug_option(func)


@contextmanager
def open_client(endpoint: str | None, signature_version: str) -> Iterator[CdnClient]:
    """A client with credentials from the resolution chain (temporary ones renewed), every secret
    it is handed registered for masking."""
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.credentials import Credentials, resolve_provider

    provider = resolve_provider()
    state = current_state()

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


_TIMEOUT, _POLL_INITIAL, _POLL_MAX, _NOT_FOUND_GRACE = "30m", "2s", "30s", "60s"
"""The wait flags' defaults, as ``--help`` shows them."""


@dataclass(frozen=True)
class WaitOptions:
    """The wait flags of ``wait``, ``refresh --wait`` and ``preload --wait``; times in seconds.

    The defaults are the flags' defaults.
    """

    timeout: float = parse_duration(_TIMEOUT)
    keep_going: bool = False
    poll_initial: float = parse_duration(_POLL_INITIAL)
    poll_max: float = parse_duration(_POLL_MAX)
    not_found_grace: float = parse_duration(_NOT_FOUND_GRACE)
    quiet: bool = False


_WAIT_FLAGS: Final = (
    click.option(
        "--timeout",
        type=DURATION,
        default=_TIMEOUT,
        show_default=True,
        help=f"Give up after this long (exit {ExitStatus.TIMEOUT.value}); {DURATION_HELP}.",
    ),
    click.option(
        "--keep-going",
        is_flag=True,
        help=f"Keep waiting for the other paths after one fails (exit {ExitStatus.FAILED.value} at the end).",
    ),
    click.option(
        "--poll-initial",
        type=DURATION,
        default=_POLL_INITIAL,
        show_default=True,
        help="First interval between polls (it backs off with jitter).",
    ),
    click.option(
        "--poll-max",
        type=DURATION,
        default=_POLL_MAX,
        show_default=True,
        help="Longest interval between polls.",
    ),
    click.option(
        "--not-found-grace",
        type=DURATION,
        default=_NOT_FOUND_GRACE,
        show_default=True,
        help=f"Give up (exit {ExitStatus.TIMEOUT.value}) on a path that has no task at all after this long.",
    ),
    click.option("--quiet", "-q", is_flag=True, help="No table of tasks at the end, only the summary."),
)


def wait_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the wait flags to a command; it receives them as one ``wait_options: WaitOptions``."""

    @functools.wraps(func)
    def command(
        *args: Any,
        timeout: float,
        keep_going: bool,
        poll_initial: float,
        poll_max: float,
        not_found_grace: float,
        quiet: bool,
        **kwargs: Any,
    ) -> Any:
        options = WaitOptions(timeout, keep_going, poll_initial, poll_max, not_found_grace, quiet)
        return func(*args, wait_options=options, **kwargs)

    wrapped: Callable[..., Any] = command
    for flag in reversed(_WAIT_FLAGS):
        wrapped = flag(wrapped)
    return wrapped
