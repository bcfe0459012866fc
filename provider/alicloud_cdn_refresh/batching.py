"""Splitting work into the batches the API's per-call limits allow."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from .paths import domain_of

if TYPE_CHECKING:
    from .limits import ProductLimits, SubmitLimit

__all__ = ["batches_by_domain", "chunked", "chunked_by_length", "submit_batches"]

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, in order."""
    if size < 1:
        raise ValueError("a batch size must be >= 1")
    if isinstance(items, Sequence):
        for start in range(0, len(items), size):
            yield list(items[start : start + size])
        return
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def batches_by_domain(
    paths: Sequence[str],
    *,
    per_call: int | None,
    domains_per_call: int | None,
    domain_of: Callable[[str], str],
) -> list[list[str]]:
    """Paths in calls that keep to every per-call limit: at most ``per_call`` paths and at most
    ``domains_per_call`` distinct domains each.

    Paths are grouped by domain (domains in order of first appearance, paths in their order): one
    domain's paths go out together, which is also how the service merges them under task ids.
    ``None`` means no limit.
    """
    by_domain: dict[str, list[str]] = {}
    for path in paths:
        by_domain.setdefault(domain_of(path), []).append(path)
    size = per_call if per_call is not None else max(1, len(paths))
    batches: list[list[str]] = []
    batch: list[str] = []
    domains: set[str] = set()
    for domain, own in by_domain.items():
        for path in own:
            full = len(batch) >= size
            crowded = (
                domain not in domains and domains_per_call is not None and len(domains) >= domains_per_call
            )
            if batch and (full or crowded):
                batches.append(batch)
                batch, domains = [], set()
            batch.append(path)
            domains.add(domain)
    if batch:
        batches.append(batch)
    return batches


def submit_batches(paths: Sequence[str], row: SubmitLimit, table: ProductLimits) -> list[list[str]]:
    """The calls a submit of ``paths`` takes: :func:`batches_by_domain` under the per-call limits of
    ``row`` (one action and type of a product's ``table``) and the action's domains per call."""
    return batches_by_domain(
        paths,
        per_call=row.per_call,
        domains_per_call=table.domains_per_call.get(row.action),
        domain_of=domain_of,
    )


def chunked_by_length(items: Iterable[str], max_length: int, *, separator: str = ",") -> Iterator[list[str]]:
    """Consecutive lists whose items joined by ``separator`` are at most ``max_length`` characters
    (an item longer than that alone makes a list of one)."""
    batch: list[str] = []
    length = 0
    for item in items:
        extra = len(item) + (len(separator) if batch else 0)
        if batch and length + extra > max_length:
            yield batch
            batch, length = [], 0
            extra = len(item)
        batch.append(item)
        length += extra
    if batch:
        yield batch
