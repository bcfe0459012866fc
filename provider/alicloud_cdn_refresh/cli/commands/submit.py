"""``cdn-refresh refresh`` and ``preload``: submit paths, batched to the API's limits; ``--wait`` to block.

Both take PATHs or ``--from-file``, ``--wait`` with the wait flags, ``--json`` and the client
options; they differ in the API call and its own options only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.options import (
    WaitOptions,
    client_options,
    json_option,
    open_client,
    wait_options,
)
from alicloud_cdn_refresh.cli.params import FROM_FILE_HELP, PATHS_FILE, Choice, collect_paths
from alicloud_cdn_refresh.cli.waiting import wait_and_report
from alicloud_cdn_refresh.models import ObjectType, PreloadArea, RefreshObjectType

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["preload_command", "refresh_command"]


def _submit_options(func: Callable[..., Any]) -> Callable[..., Any]:
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


@click.command("refresh")
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
@wait_options
@json_option
@client_options
def refresh_command(
    paths: tuple[str, ...],
    from_file: list[str] | None,
    wait_after: bool,
    object_type: str,
    force: bool,
    wait_options: WaitOptions,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> ExitStatus:
    """Purge cached PATHs (RefreshObjectCaches), batched to the API's limits; --wait to block."""
    object_paths = _paths_to_submit(paths, from_file, object_type)
    with open_client(endpoint, signature_version) as client:
        task_ids = client.refresh_object_caches(object_paths, object_type=object_type, force=force)
        document: dict[str, Any] = {
            "operation": "refresh",
            "object_type": object_type,
            "force": force,
            "object_paths": object_paths,
            "task_ids": list(task_ids),
        }
        return _after_submit(client, document, wait_after=wait_after, as_json=as_json, options=wait_options)


_HEADER_FORM = 'must be a JSON object such as \'{"Accept": ["*/*"]}\''


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


@click.command("preload")
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
@wait_options
@json_option
@client_options
def preload_command(
    paths: tuple[str, ...],
    from_file: list[str] | None,
    wait_after: bool,
    area: str | None,
    l2_preload: bool,
    with_header: str | None,
    wait_options: WaitOptions,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
) -> ExitStatus:
    """Warm the cache with PATHs (PushObjectCache), batched to the API's limits; --wait to block."""
    object_paths = _paths_to_submit(paths, from_file)
    header_value = _header_object(with_header)
    with open_client(endpoint, signature_version) as client:
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
        return _after_submit(client, document, wait_after=wait_after, as_json=as_json, options=wait_options)


def _after_submit(
    client: CdnClient, document: dict[str, Any], *, wait_after: bool, as_json: bool, options: WaitOptions
) -> ExitStatus:
    """Say what was submitted; with ``--wait``, wait for its task ids; with ``--json``, print the lot."""
    from alicloud_cdn_refresh.cli import render

    document = {**document, "object_type": document["object_type"].lower()}
    paths = document["object_paths"]
    ids = document["task_ids"]
    if not as_json:
        click.echo(
            f"Submitted {document['operation']} of {len(paths)} path(s): "
            f"task id(s) {', '.join(ids) or '(none)'}"
        )
    status = ExitStatus.OK
    if wait_after:
        if as_json:
            options = dataclasses.replace(options, quiet=True)
        outcome, status = wait_and_report(client, object_paths=[], task_ids=ids, since=None, options=options)
        document = {**document, **outcome}
    if as_json:
        render.dump_json({"version": render.JSON_VERSION, **document})
    return status
