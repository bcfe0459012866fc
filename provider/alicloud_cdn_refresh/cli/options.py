"""Options shared by several ``cdn-refresh`` commands, and the values they become.

- :data:`debug_option`, :data:`json_option`;
- :func:`client_options` (``--product``, ``--endpoint``, ``--signature-version``, ``--profile``,
  ``--request-timeout``, ``--debug``) and :func:`open_client`, the client they describe;
  :func:`chosen_product`, the product's table for checks made before any request;
- :func:`wait_options`, which gathers the six wait flags into one :class:`WaitOptions` argument.

Only click and light modules here: the products' tables are imported when a command adds the
client options (its help shows them), the client when a command opens one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar

import click

from .exit_status import ExitStatus
from .params import DURATION, DURATION_HELP, Choice, Duration, parse_duration
from .state import CliState, current_state, enable_debug_logging

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.products import Product

__all__ = [
    "CONTEXT_SETTINGS",
    "WaitOptions",
    "chosen_product",
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


def _endpoint(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an empty or malformed ``--endpoint`` now, before credentials are read or a request sent."""
    if value is None:
        return None
    from alicloud_cdn_refresh.endpoint_settings import normalize_endpoint
    from alicloud_cdn_refresh.errors import InvalidQuery

    try:
        normalize_endpoint(value, "--endpoint", bare=True)
    except InvalidQuery as error:
        message = str(error).removeprefix("endpoint: ")
        if not value.strip():
            message = "is empty (an unset variable?); leave --endpoint out for the default endpoint"
        raise click.BadParameter(message, ctx, param) from None
    return value


def _remember(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        state = ctx.find_object(CliState)
        if state is not None and value is not None:
            setattr(state, name, value)
        return value

    return callback


_REQUEST_TIMEOUT = "10s"


def client_options(func: F) -> F:
    """``--product``, ``--endpoint``, ``--signature-version``, ``--profile``, ``--request-timeout``
    and ``--debug``: the command gets ``--endpoint`` and ``--signature-version``; the others reach
    :func:`open_client` (and :func:`chosen_product`) through the run's state."""
    from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, PRODUCTS  # the help shows the tables
    from alicloud_cdn_refresh.settings import ENV_PRODUCT

    endpoints = "; ".join(
        f"{p.name}: ${p.endpoint_env}, else {p.default_endpoint}" for p in PRODUCTS.values()
    )
    func = click.option(
        "--request-timeout",
        type=Duration(units=("ms", "s", "m"), forms="seconds, or 500ms, 10s, 2m", positive=True),
        default=_REQUEST_TIMEOUT,
        show_default=True,
        expose_value=False,
        callback=_remember("request_timeout"),
        help="Give up on one HTTP request (connect or read) after this long; retried requests each get it.",
    )(func)
    func = click.option(
        "--profile",
        metavar="NAME",
        expose_value=False,
        callback=_remember("profile"),
        help="Use this profile of the shared credentials file (~/.aliyun/config.json), as "
        "ALIBABA_CLOUD_PROFILE does.",
    )(func)
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
        callback=_endpoint,
        help=f"API endpoint (scheme, host and port); default per product: {endpoints}.",
    )(func)
    func = click.option(
        "--product",
        type=Choice(PRODUCTS),
        default=DEFAULT_PRODUCT,
        show_default=True,
        envvar=ENV_PRODUCT,
        show_envvar=True,
        expose_value=False,
        callback=_remember("product"),
        help="The API to talk to: Alibaba Cloud CDN, or DCDN (dynamic route for CDN; its own tasks, "
        "quotas and limits).",
    )(func)
    return debug_option(func)


def chosen_product() -> Product:
    """The table of the run's ``--product`` (``$CDN_REFRESH_PRODUCT``; CDN by default), for checks
    made before credentials are read or a request sent."""
    from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, product_for

    return product_for(current_state().product or DEFAULT_PRODUCT)


@contextmanager
def open_client(endpoint: str | None, signature_version: str) -> Iterator[CdnClient]:
    """A client of ``--product`` with credentials from the resolution chain (``--profile`` when
    given; temporary ones renewed), every secret it is handed registered for masking;
    ``--request-timeout`` per request. The endpoint: ``endpoint``, else the product's variable, else
    its public endpoint."""
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.client.endpoints import resolve_endpoint
    from alicloud_cdn_refresh.credentials import Credentials, resolve_provider

    state = current_state()
    product = chosen_product()
    timeout = state.request_timeout or parse_duration(_REQUEST_TIMEOUT)
    # a malformed $ALIBABA_CLOUD_<PRODUCT>_ENDPOINT: a usage error before credentials are read
    endpoint = resolve_endpoint(endpoint, product=product)
    provider = resolve_provider(profile=state.profile, timeout=timeout)

    def mask(credentials: Credentials) -> None:
        state.add_secret(credentials.access_key_secret)
        state.add_secret(credentials.security_token)

    add_listener = getattr(provider, "add_listener", None)
    if callable(add_listener):
        add_listener(mask)
    client = CdnClient(
        endpoint=endpoint,
        credentials=provider,
        product=product.name,
        signature_version=signature_version.lower(),
        timeout=timeout,
    )
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
