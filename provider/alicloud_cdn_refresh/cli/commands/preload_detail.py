"""``cdn-refresh preload-detail TASK_ID``: per-URL progress of one preload task (DescribePreloadDetailById).

A command of its own rather than a ``tasks`` flag: ``tasks`` lists tasks by filters, this shows one
preload task URL by URL, with a shape of its own (README, "JSON output").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus, describe_exit_statuses
from alicloud_cdn_refresh.cli.options import chosen_product, client_options, json_option, open_client

if TYPE_CHECKING:
    from rich.console import RenderableType

    from alicloud_cdn_refresh.models import PreloadDetail, PreloadDetailResult

__all__ = ["preload_detail_command", "preload_detail_to_json"]

JSON_VERSION = 1

_HELP = f"""Show how far one preload task got, URL by URL (DescribePreloadDetailById).

TASK_ID is an id `cdn-refresh preload` printed (tasks of the last 3 days). Alibaba Cloud lets only
accounts on its list call this; others get OperationDenied (use `cdn-refresh tasks --task-id ID`).
CDN only: DCDN has no such action (`cdn-refresh tasks --product dcdn --task-id ID` shows the task).

Exit codes: {describe_exit_statuses(ExitStatus.OK, ExitStatus.USAGE, ExitStatus.API_ERROR)}.
"""


def _time(moment: Any) -> str | None:
    from alicloud_cdn_refresh.models import format_api_time

    return None if moment is None else format_api_time(moment)


def preload_detail_to_json(result: PreloadDetailResult) -> dict[str, Any]:
    """The command's JSON document."""
    return {
        "version": JSON_VERSION,
        "request_id": result.request_id or None,
        "total_count": result.total_count,
        "details": [
            {
                "task_id": detail.task_id,
                "domain": detail.domain,
                "status": detail.status.value,
                "process": detail.process,
                "creation_time": _time(detail.creation_time),
                "end_time": _time(detail.end_time),
                "ret_code": detail.ret_code,
                "urls": [
                    {
                        "url": item.url,
                        "success": item.success,
                        "success_percent": item.success_percent,
                        "description": item.description,
                    }
                    for item in detail.urls
                ],
            }
            for detail in result.details
        ],
    }


def _table(detail: PreloadDetail) -> RenderableType:
    from rich import box
    from rich.table import Table

    from alicloud_cdn_refresh.cli.render import status_style

    created = (_time(detail.creation_time) or "-").replace("T", " ").rstrip("Z")
    ended = (_time(detail.end_time) or "not yet").replace("T", " ").rstrip("Z")
    title = (
        f"Preload task {detail.task_id} ({detail.domain}): [{status_style(detail.status)}]"
        f"{detail.status.value}[/] {detail.process}%, created {created}, ended {ended}"
    )
    table = Table(title=title, box=box.ROUNDED, title_justify="left")
    table.add_column("URL", overflow="fold", min_width=20)
    table.add_column("POPs done", justify="right", no_wrap=True)
    table.add_column("Description", overflow="fold", min_width=11)
    for item in detail.urls:
        table.add_row(item.url, item.success, item.description)
    return table


@click.command("preload-detail", help=_HELP, short_help="Per-URL progress of one preload task.")
@click.argument("task_id", metavar="TASK_ID")
@json_option
@client_options
def preload_detail_command(
    task_id: str, as_json: bool, endpoint: str | None, signature_version: str
) -> ExitStatus:
    from alicloud_cdn_refresh.cli import render
    from alicloud_cdn_refresh.client.params import single_task_id
    from alicloud_cdn_refresh.errors import InvalidQuery
    from alicloud_cdn_refresh.products import PRODUCTS, Operation

    product = chosen_product()
    operation = Operation.DESCRIBE_PRELOAD_DETAIL
    if not product.supports(operation):
        having = " and ".join(p.title for p in PRODUCTS.values() if p.supports(operation))
        shown = task_id.strip() if task_id.strip().isdigit() else "ID"
        raise click.UsageError(
            f"{product.title} has no preload detail (only {having} has); "
            f"`cdn-refresh tasks --product {product.name} --task-id {shown}` shows the task"
        )
    try:
        checked = single_task_id(task_id)
    except InvalidQuery as error:
        raise click.UsageError(str(error)) from None
    with open_client(endpoint, signature_version) as client:
        result = client.describe_preload_detail_by_id(checked)
    if as_json:
        render.dump_json(preload_detail_to_json(result))
    elif not result.details:
        click.echo(f"No preload task {checked} (only the last 3 days can be queried).")
    else:
        for detail in result.details:
            render.render_fitted(_table(detail))
    return ExitStatus.OK
