"""Which queries one polling round makes: the cheapest mix by the number of API calls (pure).

Four ways to learn a path's status:

- by task id (DescribeRefreshTaskById): one call answers up to 10 ids, every path of them;
- by domain listing (DescribeRefreshTasks with DomainName + ObjectType, PageSize 100, newest
  first): ``ceil(tasks of the domain and type in the window / 100)`` calls, matched locally;
- by account listing (DescribeRefreshTasks with only the time window: the API needs ObjectType
  only with DomainName or Status): ``ceil(tasks in the window / 100)`` calls for every domain and
  type at once;
- by object path (DescribeRefreshTasks with ObjectPath): one call per path, or one per spelling
  the service may report it in (:attr:`~.state.PathState.query_forms`: a path submitted without
  its scheme, ``example.com/a.png``, may come back with ``http://``); listings and task ids match
  every spelling at once (:meth:`~.state.WaitBook.key_for`).

The planner costs three plans and takes the cheapest (on a tie, the first):

1. *per path/by id*: paths without a known task by path, the others by task id;
2. *per domain*: per domain the cheaper of its listings and plan 1 for its paths (the planner of
   before issue 17, which also probes a few paths that every listing missed);
3. *account listing*: one listing of the account's window for every path with a host.

The account listing's cost is what the last one needed; before any, it is guessed from the paths
waited for and what domain listings showed of the account (a floor), plus :data:`UNKNOWN_MARGIN`
(its first page tells the truth, and a listing stops when it turns out dearer than its budget).
A listing cut short by an error earlier in the same sweep is costed and resumed from its page.
The choice, every option's estimate and the reasons are a :class:`PlanChoice`. Only unresolved
paths not yet asked in the sweep are ever asked about.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Final

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.models import ObjectType

from .state import PathState, WaitBook, guess_type

__all__ = [
    "ACCOUNT_KEY",
    "PER_DOMAIN",
    "PER_PATH",
    "PROBE_LIMIT",
    "UNKNOWN_MARGIN",
    "ACCOUNT_LISTING",
    "Listing",
    "ListingKey",
    "Option",
    "PlanChoice",
    "RoundPlan",
    "by_id_calls",
    "candidate_types",
    "listing_pages",
    "path_calls",
    "plan_round",
]

PROBE_LIMIT = 5
"""Per domain and round, how many paths missing from every listing are asked about one by one."""

UNKNOWN_MARGIN = 1
"""Pages added to the guessed cost of an account listing the wait has not done yet."""

PER_PATH: Final = "per path/by id"
PER_DOMAIN: Final = "per domain"
ACCOUNT_LISTING: Final = "account listing"

ListingKey = tuple[str, ObjectType | None]
"""``(domain, object type)`` of a domain listing; :data:`ACCOUNT_KEY` for the account listing."""
ACCOUNT_KEY: Final[ListingKey] = ("", None)

PageEstimates = Mapping[tuple[str, ObjectType], int]
"""``(domain, object type) -> pages`` the last complete listing needed."""


@dataclass(frozen=True, slots=True)
class Listing:
    """List one domain's tasks of one type (or, with ``domain=""``, every task of the account);
    ``wanted`` are the paths expected in it, as the caller spelled them (a row in another spelling
    is matched to its path through :meth:`~.state.WaitBook.key_for`)."""

    domain: str
    object_type: ObjectType | None
    wanted: frozenset[str]
    budget: int = 1
    """At most this many pages: beyond it the alternative would have been cheaper."""
    start_page: int = 1
    """Where to start: a listing cut short by an error goes on from the page that failed."""

    @property
    def key(self) -> ListingKey:
        """``(domain, object_type)``."""
        return (self.domain, self.object_type)

    @property
    def account_wide(self) -> bool:
        """Lists every domain and type (no DomainName, no ObjectType)."""
        return not self.domain

    @property
    def label(self) -> str:
        """``a.com/file`` or ``account``."""
        return "account" if self.object_type is None else f"{self.domain}/{self.object_type.value}"


@dataclass(frozen=True, slots=True)
class Option:
    """One plan the planner costed."""

    name: str
    calls: int
    detail: str


@dataclass(frozen=True, slots=True)
class PlanChoice:
    """Why a round asks the way it does: what was known, every option's cost, the one taken."""

    chosen: str
    calls: int
    options: tuple[Option, ...]
    reasons: tuple[str, ...]
    paths: int
    """Paths this round asks about."""
    domains: int
    known_ids: int
    """Distinct task ids known for those paths."""

    def describe(self) -> str:
        """One line: ``account listing ~5 call(s) for 500 path(s) on 500 domain(s) ...``."""
        costs = ", ".join(f"{option.name} ~{option.calls}" for option in self.options)
        text = (
            f"{self.chosen} ~{self.calls} call(s) for {self.paths} path(s) on {self.domains} domain(s), "
            f"{self.known_ids} task id(s) known [{costs}]"
        )
        return text + (": " + "; ".join(self.reasons) if self.reasons else "")


@dataclass(frozen=True, slots=True)
class RoundPlan:
    """The queries of one round."""

    by_id: tuple[str, ...] = ()
    per_path: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    """Domain listings (each with a domain and a type)."""
    estimated_calls: int = 0
    notes: dict[str, str] = field(default_factory=dict, compare=False)
    """Per domain, why it was listed or not (for the debug log)."""
    account: Listing | None = None
    """The account listing, when that plan won."""
    choice: PlanChoice | None = field(default=None, compare=False)

    @property
    def by_id_estimate(self) -> int:
        """Calls of DescribeRefreshTaskById."""
        return by_id_calls(len(self.by_id))

    @property
    def describe_estimate(self) -> int:
        """Calls of DescribeRefreshTasks (listing pages and per-path queries)."""
        return self.estimated_calls - self.by_id_estimate

    @property
    def all_listings(self) -> tuple[Listing, ...]:
        """The account listing (if any) first, then the domain listings."""
        return self.listings if self.account is None else (self.account, *self.listings)


def by_id_calls(count: int) -> int:
    """Calls DescribeRefreshTaskById needs for ``count`` ids."""
    return math.ceil(count / limits.MAX_TASK_IDS_PER_CALL)


def listing_pages(tasks: int, page_size: int = limits.MAX_PAGE_SIZE) -> int:
    """Pages (calls) a listing of ``tasks`` rows takes at the largest page size (at least one)."""
    return max(1, math.ceil(tasks / page_size))


def path_calls(state: PathState) -> int:
    """Calls asking about one path by ObjectPath takes: one per spelling it is asked in
    (:attr:`~.state.PathState.query_forms`; two for a path without its scheme and no task yet)."""
    return len(state.query_forms)


def candidate_types(state: PathState, seen: Collection[ObjectType]) -> set[ObjectType]:
    """Types under which a listing may still find a path that has no task yet."""
    return ({guess_type(state.path)} | set(seen)) - state.tried_types


def _remaining(pages: int, start_page: int) -> int:
    """Pages left of a listing of ``pages`` pages that goes on from ``start_page``."""
    return max(1, pages - (start_page - 1))


def account_floor(book: WaitBook, pages: PageEstimates, page_size: int = limits.MAX_PAGE_SIZE) -> int:
    """Pages an account listing needs at least: each path waited for (with a host) has a task, and
    a complete domain listing of ``p`` pages saw more than ``(p - 1) * 100`` tasks."""
    seen = sum((count - 1) * page_size + 1 for count in pages.values())
    hosted = sum(1 for state in book.states.values() if state.domain)
    return listing_pages(max(hosted, seen), page_size)


def plan_round(
    book: WaitBook,
    pages: PageEstimates,
    *,
    skip: Collection[str] = (),
    probe_limit: int = PROBE_LIMIT,
    account_pages: int | None = None,
    resume: Mapping[ListingKey, int] | None = None,
    account_listing: bool = True,
    page_size: int = limits.MAX_PAGE_SIZE,
) -> RoundPlan:
    """Plan one round for every unresolved path of ``book`` not in ``skip``.

    ``pages``: what earlier domain listings needed; ``account_pages``: what the last account
    listing needed (``None``: none yet); ``resume``: listings cut short earlier in this sweep, with
    the page to go on from; ``account_listing=False`` leaves the account listing out (the planner
    of before issue 17).
    """
    resume = resume or {}
    targets = [state for state in book.unresolved() if state.path not in skip]
    domain_plan = _per_domain(book, targets, pages, resume, probe_limit, page_size)
    unknown = sum(state.task is None for state in targets)
    ids = {state.task.task_id for state in targets if state.task is not None}
    domains = {state.domain for state in targets}
    simple = sum(path_calls(state) for state in targets if state.task is None) + by_id_calls(len(ids))
    options = [Option(PER_PATH, simple, f"{unknown} by path, {len(ids)} id(s) by id")]
    detail = (
        f"{len(domain_plan.listings)} domain listing(s), {len(domain_plan.per_path)} by path, "
        f"{len(domain_plan.by_id)} id(s) by id"
    )
    options.append(Option(PER_DOMAIN, domain_plan.estimated_calls, detail))
    chosen = PER_DOMAIN if domain_plan.listings else PER_PATH
    plan = domain_plan
    reasons: list[str] = []

    hosted = frozenset(state.path for state in targets if state.domain)
    if account_listing and hosted:
        start = resume.get(ACCOUNT_KEY, 1)
        hostless = tuple(state.path for state in targets if not state.domain)
        hostless_calls = sum(path_calls(state) for state in targets if not state.domain)
        if account_pages is not None:
            pages_needed = _remaining(account_pages, start)
            margin = 0
            reasons.append(f"the last account listing needed {account_pages} page(s)")
        else:
            pages_needed = _remaining(account_floor(book, pages, page_size), start)
            margin = UNKNOWN_MARGIN
            reasons.append(f"account listing guessed at {pages_needed} page(s) (+{margin}: not listed yet)")
        if start > 1:
            reasons.append(f"the account listing goes on from page {start}")
        cost = pages_needed + hostless_calls
        options.append(Option(ACCOUNT_LISTING, cost, f"{pages_needed} page(s), {len(hostless)} by path"))
        if cost + margin < domain_plan.estimated_calls:
            chosen = ACCOUNT_LISTING
            listing = Listing("", None, hosted, max(1, domain_plan.estimated_calls), start)
            plan = RoundPlan(per_path=hostless, estimated_calls=cost, account=listing)
    elif not account_listing:
        reasons.append("account listing off")
    if not targets:
        reasons.append("nothing to ask")
    elif chosen == PER_DOMAIN:
        reasons.extend(f"{domain}: {note}" for domain, note in list(domain_plan.notes.items())[:3])
        if len(domain_plan.notes) > 3:
            reasons.append(f"... {len(domain_plan.notes) - 3} more domain(s)")
    choice = PlanChoice(
        chosen, plan.estimated_calls, tuple(options), tuple(reasons), len(targets), len(domains), len(ids)
    )
    return RoundPlan(
        plan.by_id,
        plan.per_path,
        plan.listings,
        plan.estimated_calls,
        domain_plan.notes,
        plan.account,
        choice,
    )


def _per_domain(
    book: WaitBook,
    targets: list[PathState],
    pages: PageEstimates,
    resume: Mapping[ListingKey, int],
    probe_limit: int,
    page_size: int,
) -> RoundPlan:
    """Per domain, the cheaper of its listings and asking by path/id."""
    by_domain: dict[str, list[PathState]] = {}
    for state in targets:
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
        calls: dict[str, int] = {}  # path -> calls asking it by path takes
        for state in states:
            if state.task is not None:
                known.append(state)
                continue
            calls[state.path] = path_calls(state)
            types = candidate_types(state, seen) if domain else set()
            if types:
                unknown[state.path] = types
            else:
                probes.append(state.path)
        if domain:
            probes = probes[:probe_limit]
        per_path.extend(probes)
        estimate += sum(calls[path] for path in probes)

        ids = {s.task.task_id for s in known if s.task is not None}
        wanted: dict[ObjectType, set[str]] = {}
        for path, types in unknown.items():
            for kind in types:
                wanted.setdefault(kind, set()).add(path)
        for state in known:
            assert state.task is not None
            wanted.setdefault(state.task.object_type, set()).add(state.path)
        list_cost = sum(
            _remaining(
                pages.get((domain, kind)) or listing_pages(len(paths), page_size),
                resume.get((domain, kind), 1),
            )
            for kind, paths in wanted.items()
        )
        by_path = sum(calls[path] for path in unknown)
        other_cost = by_path + len(ids) / limits.MAX_TASK_IDS_PER_CALL
        if domain and wanted and list_cost < other_cost:
            for kind in sorted(wanted, key=lambda k: k.value):
                budget = math.ceil(other_cost)
                start = resume.get((domain, kind), 1)
                listings.append(Listing(domain, kind, frozenset(wanted[kind]), budget, start))
            estimate += list_cost
            notes[domain] = f"list ({list_cost} page(s) < {other_cost:g} by path/id)"
        else:
            per_path.extend(unknown)
            by_id.update(dict.fromkeys(sorted(ids)))
            estimate += by_path
            if wanted:
                notes[domain or "(no host)"] = f"by path/id ({other_cost:g} <= {list_cost} page(s))"
    estimate += by_id_calls(len(by_id))
    return RoundPlan(tuple(by_id), tuple(per_path), tuple(listings), math.ceil(estimate), notes)
