"""The data source's query (``getRefreshTasks``): one implementation for every face.

Arguments and result are wire-shaped maps (camelCase keys, as in ``schema/schema.json``): the
provider plugin's Invoke passes them as the engine sends them, the Python functions in
``data_source.py`` translate their keyword arguments to them and the result back into typed
values. Every page is gathered unless ``pageNumber`` is given (then that page only), at the
product's largest page size unless ``pageSize`` says otherwise.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final

from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.products import DEFAULT_PRODUCT
from alicloud_cdn_refresh.query import FILTER_FIELDS, TaskFilter

from . import config as _pulumi_config
from .identity import Identity, check_assume_role
from .inputs import PRODUCT_NAMES
from .types import task_to_wire, to_python_name, to_wire_name

__all__ = [
    "FILTER_ARGUMENTS",
    "QUERY_ARGUMENTS",
    "query_identity",
    "run_query",
]

FILTER_ARGUMENTS: Final = tuple(to_wire_name(field.name) for field in FILTER_FIELDS)
"""The filters' wire names (``taskId``, ``objectPath`` ...; alicloud_cdn_refresh/query.py owns them)."""
QUERY_ARGUMENTS: Final = (*FILTER_ARGUMENTS, "pageNumber", "pageSize", "product", "profile", "assumeRole")
"""Every argument of ``getRefreshTasks`` (wire names)."""
_ECHOED: Final = (*FILTER_ARGUMENTS, "pageNumber", "pageSize")
"""The arguments whose values make the query's ``id`` (as they did before ``product`` existed)."""


def query_identity(profile: Any, assume_role: Any) -> Identity:
    """The caller's own identity, checked like a resource's ``profile`` / ``assumeRole`` inputs."""
    role: dict[str, Any] | None = None
    if assume_role is not None:
        role, problems = check_assume_role(assume_role)
        if problems:
            raise InvalidQuery("assume_role", "; ".join(problems))
    return Identity(profile=str(profile) if profile else None, assume_role=role or None)


def _product(args: Mapping[str, Any]) -> str:
    value = args.get("product")
    if value is None:
        return DEFAULT_PRODUCT
    folded = str(value).strip().lower()
    if folded not in PRODUCT_NAMES:
        raise InvalidQuery("product", f"must be one of {', '.join(PRODUCT_NAMES)}; got {value!r}")
    return folded


def _query_id(args: Mapping[str, Any], product: str) -> str:
    """A stable id of the query: a hash of its filters and paging (and product, when not CDN)."""
    arguments: dict[str, Any] = {to_python_name(name): args.get(name) for name in _ECHOED}
    if product != DEFAULT_PRODUCT:
        arguments["product"] = product
    digest = hashlib.sha256(json.dumps(arguments, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"refresh-tasks-{digest}"


def run_query(
    args: Mapping[str, Any], config: Mapping[str, str], identity: Identity | None = None
) -> dict[str, Any]:
    """Run ``getRefreshTasks`` with wire-named ``args`` and the stack (or provider) ``config``.

    Returns the wire-shaped result: ``id``, ``ids``, ``tasks``, ``totalCount``, ``pageNumber``,
    ``pageSize``, ``product`` and every filter as given. A refused argument is an
    :class:`~alicloud_cdn_refresh.errors.InvalidQuery` naming it.
    """
    product = _product(args)
    page_number = args.get("pageNumber")
    page_size = args.get("pageSize")
    filters = {to_python_name(name): args.get(name) for name in FILTER_ARGUMENTS}
    with _pulumi_config.make_client(config, identity, product=product) as client:
        query = TaskFilter.build(client.clock.now(), **filters)
        if page_number is not None:
            page = client.describe_refresh_tasks(
                query,
                page_number=int(page_number),
                page_size=None if page_size is None else int(page_size),
            )
            tasks = list(page.tasks)
            total, number, size = page.total_count, page.page_number, page.page_size
        else:
            size = client.limits.max_page_size if page_size is None else int(page_size)
            tasks = list(client.iter_refresh_tasks(query, page_size=size))
            total, number = len(tasks), None
    return {
        "id": _query_id(args, product),
        "ids": [task.task_id for task in tasks],
        "tasks": [task_to_wire(task) for task in tasks],
        "totalCount": total,
        "pageNumber": number,
        "pageSize": size,
        "product": product,
        **{name: args.get(name) for name in FILTER_ARGUMENTS},
    }
