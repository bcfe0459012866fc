"""``cdn-refresh tasks``: list tasks of the last 3 days (DescribeRefreshTasks, every filter).

The filter options are made from :data:`alicloud_cdn_refresh.query.FILTER_FIELDS` (flag, Python
name, help; read from ``kinds.py``, where the table is written, so that ``--help`` builds no
``TaskFilter``); :data:`_OPTION_DETAILS` adds what only the command line has (an alias, a value
type, a metavar). A new API filter needs no edit here unless its flag wants such a detail. What a product
does not take (DCDN: ``--resource-group-id``, pages over 50) is refused before any request, from its
table in ``products.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import click

from alicloud_cdn_refresh.cli.options import chosen_product, client_options, json_option, open_client
from alicloud_cdn_refresh.cli.params import MOMENT, MOMENT_HELP, Choice
from alicloud_cdn_refresh.kinds import FILTER_FIELDS, FilterField, ObjectType, TaskStatus
from alicloud_cdn_refresh.limits import MAX_PAGE_NUMBER
from alicloud_cdn_refresh.products import PRODUCTS, Operation, Product

__all__ = ["filter_options", "tasks_command"]

_OBJECT_TYPES = [member.value for member in ObjectType] + ["path"]
_STATUSES = [member.value for member in TaskStatus.queryable()]

_OPTION_DETAILS: Final[dict[str, dict[str, Any]]] = {
    "object_path": {"aliases": ("--path",), "metavar": "URL"},
    "domain_name": {"metavar": "DOMAIN"},
    "object_type": {"type": Choice(_OBJECT_TYPES)},
    "status": {"type": Choice(_STATUSES)},
    "start_time": {"type": MOMENT, "more_help": f"Times: {MOMENT_HELP}."},
    "end_time": {"type": MOMENT, "more_help": "Same forms as --start."},
}
"""Per filter (by Python name), the click settings the table in query.py does not carry."""


def _filter_option(field: FilterField) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    details = dict(_OPTION_DETAILS.get(field.name, {}))
    aliases = details.pop("aliases", ())
    more_help = details.pop("more_help", "")
    help_text = f"{field.help} {more_help}".strip()
    return click.option(field.flag, *aliases, field.name, help=help_text, **details)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """One option per DescribeRefreshTasks filter; the command gets each under its Python name."""
    for field in reversed(FILTER_FIELDS):
        func = _filter_option(field)(func)
    return func


_LARGEST_PAGE = max(product.limits.max_page_size for product in PRODUCTS.values())
_PAGE_SIZES = ", ".join(f"{p.title} 1..{p.limits.max_page_size}" for p in PRODUCTS.values())


def check_for_product(product: Product, page_size: int | None, filters: dict[str, Any]) -> None:
    """Refuse, before credentials are read, what ``product``'s listing does not take: a page larger
    than its largest, a filter it lacks (the client's own checks, worded for the command line)."""
    from alicloud_cdn_refresh.errors import InvalidQuery

    largest = product.limits.max_page_size
    if page_size is not None and page_size > largest:
        text = f"{page_size} is more than {product.title} lists a page (1..{largest})"
        raise InvalidQuery("PageSize", text)
    action = product.action(Operation.DESCRIBE_TASKS)
    for field in FILTER_FIELDS:
        if field.name not in product.describe_filters and filters.get(field.name) is not None:
            raise InvalidQuery(field.wire, f"{product.title}'s {action} takes no {field.wire}")


@click.command("tasks")
@filter_options
@click.option("--page", type=click.IntRange(1, MAX_PAGE_NUMBER), help="Page number (1-based).")
@click.option(
    "--page-size",
    type=click.IntRange(1, _LARGEST_PAGE),
    help=f"Tasks per page: {_PAGE_SIZES} (the API's default is 20; --all-pages: the largest).",
)
@click.option("--all-pages", is_flag=True, help="Fetch every page (each task once).")
@json_option
@client_options
def tasks_command(
    page: int | None,
    page_size: int | None,
    all_pages: bool,
    as_json: bool,
    endpoint: str | None,
    signature_version: str,
    **filters: Any,
) -> None:
    """List refresh and preload tasks of the last 3 days (DescribeRefreshTasks, every filter)."""
    if all_pages and page is not None:
        raise click.UsageError("--all-pages and --page exclude each other: --all-pages fetches every page")
    product = chosen_product()
    check_for_product(product, page_size, filters)
    from alicloud_cdn_refresh.cli import render

    with open_client(endpoint, signature_version) as client:
        if all_pages:
            # Without --page-size the product's largest page (CDN 100, DCDN 50): the fewest calls.
            size = product.limits.max_page_size if page_size is None else page_size
            tasks = list(client.iter_refresh_tasks(page_size=size, **filters))
            document: dict[str, Any] = {
                "version": render.JSON_VERSION,
                "page_number": None,
                "page_size": size,
                "total_count": len(tasks),
                "request_id": None,
                "tasks": [render.task_to_json(task) for task in tasks],
            }
            title = f"{len(tasks)} task(s), all pages"
        else:
            result = client.describe_refresh_tasks(page_number=page, page_size=page_size, **filters)
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
