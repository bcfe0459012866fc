"""``cdn-refresh refresh`` and ``preload``: submit paths, batched to the API's limits; ``--wait`` to block.

Both take PATHs or ``--from-file``, ``--wait`` with the wait flags, ``--ignore-quota``, ``--json``
and the client options; ``refresh --cache-tag TAG --domain DOMAIN`` purges by cache tag instead
(RefreshObjectCacheByCacheTag). The actions are ``--product``'s (``products.py``), and what it does
not take (DCDN: ``--type ExQuery``, ``--consistency-hash``) is refused before credentials are read.
What happens after the call (ids printed, partial submits, the wait) is
:mod:`alicloud_cdn_refresh.cli.submitting`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus, describe_exit_statuses
from alicloud_cdn_refresh.cli.options import (
    WaitOptions,
    chosen_product,
    client_options,
    json_option,
    open_client,
    wait_options,
)
from alicloud_cdn_refresh.cli.params import FROM_FILE_HELP, PATHS_FILE, Choice, collect_paths
from alicloud_cdn_refresh.cli.state import current_state
from alicloud_cdn_refresh.cli.waiting import wait_and_report
from alicloud_cdn_refresh.kinds import ObjectType, PreloadArea, RefreshObjectType
from alicloud_cdn_refresh.products import Operation, Product

__all__ = ["preload_command", "refresh_command"]

_EXIT_CODES = describe_exit_statuses(
    ExitStatus.OK,
    ExitStatus.FAILED,
    ExitStatus.USAGE,
    ExitStatus.TIMEOUT,
    ExitStatus.API_ERROR,
    ExitStatus.INTERNAL,
    ExitStatus.PARTIAL_SUBMIT,
    ExitStatus.INTERRUPTED,
    ExitStatus.TERMINATED,
)
_EPILOG = f"""Exit codes: {_EXIT_CODES} (1 and 3 only with --wait).

A submit that needs several calls is checked against today's quota first and refused, with
nothing sent, when it does not fit (--ignore-quota sends it anyway). If a later call fails after
earlier ones were accepted, every path is listed with its fate and the exit status is
{ExitStatus.PARTIAL_SUBMIT.value}: wait for what was accepted by its task ids.
"""


def _submit_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--ignore-quota",
        is_flag=True,
        help="Send a submit of several calls even when today's quota looks too small for it.",
    )(func)
    func = click.option("--wait", "wait_after", is_flag=True, help="Then wait until the tasks are Complete.")(
        func
    )
    func = click.option("--from-file", type=PATHS_FILE, help=FROM_FILE_HELP)(func)
    return click.argument("paths", nargs=-1, metavar="[PATH]...")(func)


def _paths_to_submit(
    paths: tuple[str, ...], from_file: list[str] | None, object_type: str | None = None
) -> list[str]:
    object_paths = collect_paths(paths, from_file, object_type=object_type)
    if not object_paths:
        raise click.UsageError("no object paths: give them as arguments or with --from-file FILE")
    return object_paths


_TYPES_HELP = (
    "What each PATH is: File (a URL), Directory (a URL ending in /), Regex (a URL with a regular "
    "expression), IgnoreParams (a URL, whatever its query string; ExQuery is its older name)."
)


@click.command("refresh", epilog=_EPILOG)
@_submit_options
@click.option(
    "--type",
    "object_type",
    type=Choice(member.value for member in RefreshObjectType),
    default=RefreshObjectType.FILE.value,
    show_default=True,
    help=_TYPES_HELP,
)
@click.option("--force", is_flag=True, help="Purge even unchanged content (the API's Force).")
@click.option(
    "--cache-tag",
    "cache_tags",
    multiple=True,
    metavar="TAG",
    help="Purge by cache tag instead of paths (repeatable, or comma-separated); needs --domain.",
)
@click.option("--domain", metavar="DOMAIN", help="The domain whose --cache-tag resources are purged.")
@wait_options
@json_option
@client_options
@click.pass_context
def refresh_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    from_file: list[str] | None,
    wait_after: bool,
    ignore_quota: bool,
    object_type: str,
    force: bool,
    cache_tags: tuple[str, ...],
    domain: str | None,
    wait_options: WaitOptions,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> ExitStatus:
    """Purge cached PATHs (RefreshObjectCaches), batched to the API's limits; --wait to block.

    With --cache-tag TAG --domain DOMAIN: purge what that domain's responses tagged with any TAG
    (RefreshObjectCacheByCacheTag; the domain needs the cache-tag feature).
    """
    from alicloud_cdn_refresh.cli.submitting import Submission, submit_and_report

    product = chosen_product()
    if cache_tags or domain is not None:
        if paths or from_file is not None:
            raise click.UsageError("give either PATHs (or --from-file) or --cache-tag, not both")
        if ctx.get_parameter_source("object_type") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("--type does not apply to --cache-tag (tags name what to purge)")
        tags, host = _tags_and_domain(cache_tags, domain)
        with open_client(endpoint, signature_version) as client:
            submission = Submission(
                operation="refresh",
                action=product.action(Operation.REFRESH_BY_CACHE_TAG),
                object_type="cachetag",
                limit_type="cachetag",
                items=tags,
                items_key="cache_tags",
                noun="cache tag",
                details={"force": force, "domain": host},
                send=lambda: client.refresh_object_cache_by_cache_tag(host, tags, force=force),
            )
            return submit_and_report(
                client,
                submission,
                wait_after=wait_after,
                as_json=as_json,
                options=wait_options,
                waiter=wait_and_report,
            )
    _refresh_type_taken(product, object_type)
    object_paths = _paths_to_submit(paths, from_file, object_type)
    with open_client(endpoint, signature_version) as client:
        submission = Submission(
            operation="refresh",
            action=product.action(Operation.REFRESH),
            object_type=object_type.lower(),
            limit_type=object_type,
            items=object_paths,
            details={"force": force},
            send=lambda: client.refresh_object_caches(object_paths, object_type=object_type, force=force),
        )
        return submit_and_report(
            client,
            submission,
            wait_after=wait_after,
            as_json=as_json,
            options=wait_options,
            ignore_quota=ignore_quota,
            waiter=wait_and_report,
        )


def _refresh_type_taken(product: Product, object_type: str) -> None:
    """Refuse a ``--type`` the product's refresh does not take (DCDN: ExQuery), as the client would."""
    from alicloud_cdn_refresh.errors import InvalidQuery

    current_state().flags["ObjectType"] = "--type"  # what refresh calls the API's ObjectType
    action = product.action(Operation.REFRESH)
    if (action, object_type) not in product.limits.submits:
        allowed = ", ".join(product.limits.types_of(action))
        raise InvalidQuery(
            "ObjectType", f"{object_type!r} is not taken by {product.title}'s {action}; allowed: {allowed}"
        )


def _preload_flags_taken(product: Product, flags: dict[str, Any]) -> None:
    """Refuse a preload flag the product's preload does not take (DCDN: ConsistencyHash)."""
    from alicloud_cdn_refresh.errors import InvalidQuery

    action = product.action(Operation.PRELOAD)
    for key, name in (("query_hashkey", "QueryHashkey"), ("consistency_hash", "ConsistencyHash")):
        if key in flags and name not in product.preload_flags:
            raise InvalidQuery(name, f"{product.title}'s {action} takes no {name}")


def _tags_and_domain(cache_tags: tuple[str, ...], domain: str | None) -> tuple[list[str], str]:
    """``--cache-tag`` values (repeated or comma-separated) and ``--domain``, checked as the client
    checks them."""
    if not cache_tags or domain is None:
        raise click.UsageError("--cache-tag and --domain go together: --cache-tag TAG --domain DOMAIN")
    from alicloud_cdn_refresh.client.params import cache_tags as check_tags
    from alicloud_cdn_refresh.client.params import domain_name
    from alicloud_cdn_refresh.errors import InvalidQuery

    try:
        tags = check_tags([part for tag in cache_tags for part in tag.split(",") if part.strip()])
        return tags, domain_name(domain)
    except InvalidQuery as error:
        raise click.UsageError(str(error)) from None


_HEADER_FORM = (
    'must be a JSON object of header names to a value or a list of values, such as \'{"Accept": ["*/*"]}\''
)
_HEADER_EXAMPLE = '\'{"Accept-Encoding": ["gzip"]}\''
"""The ``--with-header`` example of the help; ``tests/cli`` runs it verbatim against the emulator."""


def _header_object(with_header: str | None) -> Any:
    if with_header is None:
        return None
    import json

    try:
        value = json.loads(with_header)
    except ValueError:
        raise click.BadParameter(_HEADER_FORM) from None
    if not isinstance(value, dict):
        raise click.BadParameter(_HEADER_FORM)
    return value


@click.command("preload", epilog=_EPILOG)
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
    help=f"Headers the preload requests carry (WithHeader), a JSON object, e.g. {_HEADER_EXAMPLE}.",
)
@click.option(
    "--query-hashkey/--no-query-hashkey",
    default=None,
    help="Preload under the cache key the domain's configuration makes of each URL (QueryHashkey); "
    "the API's default uses the URL itself.",
)
@click.option(
    "--consistency-hash/--no-consistency-hash",
    default=None,
    help="The API's ConsistencyHash flag (in the SDK, not described by the reference); sent only when "
    "given. CDN only.",
)
@wait_options
@json_option
@client_options
def preload_command(
    paths: tuple[str, ...],
    from_file: list[str] | None,
    wait_after: bool,
    ignore_quota: bool,
    area: str | None,
    l2_preload: bool,
    with_header: str | None,
    query_hashkey: bool | None,
    consistency_hash: bool | None,
    wait_options: WaitOptions,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> ExitStatus:
    """Warm the cache with PATHs (PushObjectCache), batched to the API's limits; --wait to block."""
    from alicloud_cdn_refresh.cli.submitting import Submission, submit_and_report

    object_paths = _paths_to_submit(paths, from_file)
    header_value = _header_object(with_header)
    extra: dict[str, Any] = {}
    if query_hashkey is not None:
        extra["query_hashkey"] = query_hashkey
    if consistency_hash is not None:
        extra["consistency_hash"] = consistency_hash
    product = chosen_product()
    _preload_flags_taken(product, extra)
    with open_client(endpoint, signature_version) as client:
        submission = Submission(
            operation="preload",
            action=product.action(Operation.PRELOAD),
            object_type=ObjectType.PRELOAD.value,
            limit_type="preload",
            items=object_paths,
            details={"area": area, "l2_preload": l2_preload, **extra},
            send=lambda: client.push_object_cache(
                object_paths, area=area, l2_preload=l2_preload, with_header=header_value, **extra
            ),
        )
        return submit_and_report(
            client,
            submission,
            wait_after=wait_after,
            as_json=as_json,
            options=wait_options,
            ignore_quota=ignore_quota,
            waiter=wait_and_report,
        )
