"""The waiter: block until object paths report ``Complete``, with as few API calls as it can.

Public face: :func:`wait_for_refresh` and :class:`WaitProgress`. Inside: the loop
(:mod:`.loop`), the per-round query plan (:mod:`.plan`), one round's calls and what a round cut
short leaves to the next (:mod:`.rounds`), the per-path book-keeping (:mod:`.state`) and the
polling schedule (:mod:`.backoff`).
"""

from __future__ import annotations

from .loop import WaitProgress, wait_for_refresh

__all__ = ["WaitProgress", "wait_for_refresh"]
