"""Which queries one polling round makes: the cheapest mix by the number of API calls (pure).

Three ways to learn a path's status:

- by task id (DescribeRefreshTaskById): one call answers up to 10 ids, every path of them;
- by domain listing (DescribeRefreshTasks with DomainName + ObjectType, PageSize 100, newest
  first): ``ceil(tasks in the window / 100)`` calls per object type, matched locally;
- by object path (DescribeRefreshTasks with ObjectPath): one call per path.

Per domain the planner compares the listing's estimated pages with what the alternative costs (one
call per path without a known task, a tenth of a call per known task id) and takes the cheaper.
Only unresolved paths are ever asked about.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.models import ObjectType

from .state import PathState, WaitBook, guess_type

__all__ = ["PROBE_LIMIT", "Listing", "RoundPlan", "candidate_types", "listing_pages", "plan_round"]

PROBE_LIMIT = 5
"""Per domain and round, how many paths missing from every listing are asked about one by one."""

PageEstimates = Mapping[tuple[str, ObjectType], int]
"""``(domain, object type) -> pages`` the last complete listing needed."""


@dataclass(frozen=True, slots=True)
class Listing:
    """List one domain's tasks of one type; ``wanted`` are the paths expected in it."""

    domain: str
    object_type: ObjectType
    wanted: frozenset[str]
    budget: int = 1
    """At most this many pages: beyond it asking per path or id would have been cheaper."""


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """The queries of one round."""

    by_id: tuple[str, ...] = ()
    per_path: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    estimated_calls: int = 0
    notes: dict[str, str] = field(default_factory=dict, compare=False)
    """Per domain, why it was listed or not (for the debug log)."""


def by_id_calls(count: int) -> int:
    """Calls DescribeRefreshTaskById needs for ``count`` ids."""
    return math.ceil(count / limits.MAX_TASK_IDS_PER_CALL)


def listing_pages(tasks: int, page_size: int = limits.MAX_PAGE_SIZE) -> int:
    """Pages (calls) a listing of ``tasks`` rows takes at the largest page size (at least one;
    ``page_size``: the product's, ``client.limits.max_page_size``)."""
    return max(1, math.ceil(tasks / page_size))


def candidate_types(state: PathState, seen: Collection[ObjectType]) -> set[ObjectType]:
    """Types under which a listing may still find a path that has no task yet."""
    return ({guess_type(state.path)} | set(seen)) - state.tried_types


def plan_round(
    book: WaitBook,
    pages: PageEstimates,
    *,
    skip: Collection[str] = (),
    probe_limit: int = PROBE_LIMIT,
    page_size: int = limits.MAX_PAGE_SIZE,
) -> RoundPlan:
    """Plan one round for every unresolved path of ``book`` not in ``skip`` (listing pages of
    ``page_size`` rows, the product's largest)."""
    by_domain: dict[str, list[PathState]] = {}
    for state in book.unresolved():
        if state.path not in skip:
            by_domain.setdefault(state.domain, []).append(state)

    by_id: dict[str, None] = {}
    per_path: list[str] = []
    listings: list[Listing] = []
    notes: dict[str, str] = {}
    estimate = 0.0
    for domain, states in by_domain.items():
        seen = book.types_seen.get(domain, set())
        unknown: dict[str, set[ObjectType]] = {}  # path -> types a listing may find it under
        probes: list[str] = []
        known: list[PathState] = []
        for state in states:
            if state.task is not None:
                known.append(state)
                continue
            types = candidate_types(state, seen) if domain else set()
            if types:
                unknown[state.path] = types
            else:
                probes.append(state.path)
        if domain:
            probes = probes[:probe_limit]
        per_path.extend(probes)
        estimate += len(probes)

        ids = {s.task.task_id for s in known if s.task is not None}
        wanted: dict[ObjectType, set[str]] = {}
        for path, types in unknown.items():
            for kind in types:
                wanted.setdefault(kind, set()).add(path)
        for state in known:
            assert state.task is not None
            wanted.setdefault(state.task.object_type, set()).add(state.path)
        list_cost = sum(
            pages.get((domain, kind)) or listing_pages(len(paths), page_size)
            for kind, paths in wanted.items()
        )
        other_cost = len(unknown) + len(ids) / limits.MAX_TASK_IDS_PER_CALL
        if domain and wanted and list_cost < other_cost:
            for kind in sorted(wanted, key=lambda k: k.value):
                listings.append(Listing(domain, kind, frozenset(wanted[kind]), math.ceil(other_cost)))
            estimate += list_cost
            notes[domain] = f"list ({list_cost} page(s) < {other_cost:g} by path/id)"
        else:
            per_path.extend(unknown)
            by_id.update(dict.fromkeys(sorted(ids)))
            estimate += len(unknown)
            if wanted:
                notes[domain or "(no host)"] = f"by path/id ({other_cost:g} <= {list_cost} page(s))"
    estimate += by_id_calls(len(by_id))
    return RoundPlan(tuple(by_id), tuple(per_path), tuple(listings), math.ceil(estimate), notes)
