"""The worker threads of ``python -m pulumi.dynamic``, and how the waits share them.

The engine runs every dynamic resource of a program in one ``python -m pulumi.dynamic`` process,
whose gRPC server hands each call to a ``ThreadPoolExecutor(max_workers=4)``. A create that waits
holds its thread for the whole wait: with four waits running, every further call of any dynamic
resource (a fifth wait, but also a Check or a Diff) queues until one ends.

:func:`lift_worker_limit` raises that pool's limit from inside the host, once this package's
provider is loaded there (``configure()``): the pool is the one whose worker runs the current call.
A ``ThreadPoolExecutor`` starts a thread for new work only while it has fewer than its limit and
believes none idle, and it counts a thread idle again after every finished call, waiting or not;
so each wait, as it starts (:func:`wait_slot`), clears that count and lets the pool start a thread
for what is queued. This reaches into private attributes of ``threading.Thread`` (its target's
arguments) and of the executor, so every step is checked and the host is left alone when anything
is not as expected; the limit then stays 4, and :func:`wait_slot` says so in the progress when the
waits fill it. The provider plugin (``pulumi-resource-alicloud-cdn-refresh``) has no such limit.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Final

from alicloud_cdn_refresh.settings import ENV_HOST_WORKERS

from .progress import Report

__all__ = [
    "HOST_DEFAULT_WORKERS",
    "HOST_WORKERS",
    "host_workers",
    "in_dynamic_host",
    "lift_worker_limit",
    "wait_slot",
]

HOST_DEFAULT_WORKERS: Final = 4
"""The worker threads ``python -m pulumi.dynamic`` starts its gRPC server with."""
HOST_WORKERS: Final = 64
"""The worker threads this package gives the host (``ALICLOUD_CDN_REFRESH_HOST_WORKERS`` overrides;
``4`` keeps the host as it is)."""

_LOCK = threading.Lock()
_state = {"limit": HOST_DEFAULT_WORKERS, "waiting": 0}
_pools: list[ThreadPoolExecutor] = []
"""The host's pool, once lifted."""


def in_dynamic_host() -> bool:
    """Whether this process is ``python -m pulumi.dynamic`` (the engine's dynamic provider host)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "pulumi.dynamic.__main__"


def host_workers() -> int:
    """The worker threads asked for: ``ALICLOUD_CDN_REFRESH_HOST_WORKERS`` when it is a whole number
    of at least 4, else :data:`HOST_WORKERS`."""
    text = os.environ.get(ENV_HOST_WORKERS, "").strip()
    return int(text) if text.isdigit() and int(text) >= HOST_DEFAULT_WORKERS else HOST_WORKERS


def _current_pool() -> ThreadPoolExecutor | None:
    """The executor whose worker thread runs this call, if it is one (``Thread._args[0]`` is the
    weak reference ``ThreadPoolExecutor`` hands its workers)."""
    args = getattr(threading.current_thread(), "_args", None)
    if not isinstance(args, tuple) or not args or not callable(args[0]):
        return None
    pool = args[0]()
    return pool if isinstance(pool, ThreadPoolExecutor) else None


def lift_worker_limit(workers: int | None = None) -> int:
    """In the dynamic provider host, let its pool grow to ``workers`` threads; return the limit now
    in force (4 when this is not the host, or the pool could not be found)."""
    wanted = host_workers() if workers is None else workers
    with _LOCK:
        if not in_dynamic_host():
            return int(_state["limit"])
        pool = _current_pool()
        current = getattr(pool, "_max_workers", None)
        if pool is not None and isinstance(current, int):
            if wanted > current:
                pool._max_workers = wanted
            _state["limit"] = max(wanted, current)
            _pools[:] = [pool]
        return int(_state["limit"])


def _make_room() -> None:
    """Let the lifted pool start a thread for work queued behind the waits (see the module doc)."""
    for pool in _pools:
        semaphore = getattr(pool, "_idle_semaphore", None)
        queue = getattr(pool, "_work_queue", None)
        adjust = getattr(pool, "_adjust_thread_count", None)
        if semaphore is None or queue is None or adjust is None:
            continue
        while semaphore.acquire(blocking=False):
            pass
        for _ in range(max(1, queue.qsize())):
            adjust()


@contextmanager
def wait_slot(label: str, report: Report) -> Iterator[None]:
    """Count a running wait; when the waits hold every worker of the host, say so in the progress."""
    with _LOCK:
        _state["waiting"] += 1
        waiting, limit = _state["waiting"], _state["limit"]
        _make_room()
    if in_dynamic_host() and waiting >= limit:
        report(
            f"{label}: {waiting} waits hold all {limit} worker threads of the dynamic provider process; "
            "further creates and every other dynamic resource's check and diff are queued behind them "
            "until one ends (declare fewer resources with more paths each, or use the provider plugin)"
        )
    try:
        yield
    finally:
        with _LOCK:
            _state["waiting"] -= 1
