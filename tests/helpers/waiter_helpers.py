"""Shared set-up for the waiter's emulator tests: one ManualClock for emulator, client and waiter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import httpx

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.waiter.loop import WaitProgress

START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
LIST = Action.DESCRIBE_REFRESH_TASKS
BY_ID = Action.DESCRIBE_REFRESH_TASK_BY_ID


class HookTransport(httpx.BaseTransport):
    """The emulator's transport with a hook called before each request (action name, request)."""

    def __init__(self, inner: httpx.BaseTransport, hook: Callable[[str, httpx.Request], None]) -> None:
        self.inner = inner
        self.hook = hook

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        action = request.headers.get("x-acs-action") or request.url.params.get("Action", "")
        self.hook(action, request)
        return self.inner.handle_request(request)


@dataclass
class Rig:
    """An emulator, a client on its in-process transport and the clock they share."""

    clock: ManualClock
    emulator: Emulator
    client: CdnClient
    reports: list[WaitProgress] = field(default_factory=list)

    @property
    def calls(self) -> Counter[str]:
        """HTTP attempts per action, as the client counted them."""
        return self.client.call_counts

    @property
    def rounds(self) -> int:
        """Polling rounds of the last wait."""
        return self.reports[-1].round if self.reports else 0


def make_rig(
    *,
    complete_after: float = 30.0,
    hook: Callable[[str, httpx.Request], None] | None = None,
    client_kwargs: dict[str, object] | None = None,
    **emulator_kwargs: object,
) -> Rig:
    """Build the rig (real QPS limits unless told otherwise)."""
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, complete_after=complete_after, seed=7, **emulator_kwargs)  # type: ignore[arg-type]
    transport: httpx.BaseTransport = emulator.transport()
    if hook is not None:
        transport = HookTransport(transport, hook)
    client = CdnClient(
        credentials=Credentials("testid", "testsecret"),
        transport=transport,
        clock=clock,
        **(client_kwargs or {}),  # type: ignore[arg-type]
    )
    return Rig(clock, emulator, client)
