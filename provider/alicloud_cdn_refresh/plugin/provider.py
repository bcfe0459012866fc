"""The provider behind the plugin's RPCs: plain maps in, plain results out, the one behaviour inside.

Each resource call goes to ``BEHAVIOURS[kind]`` (``pulumi/operations.py``), the data source to
``run_query`` (``pulumi/queries.py``): the same code the dynamic resources run. What this face adds
is what only a real provider's host can have:

- its own configuration per provider instance (``configuration.py``), not the stack's ``alicloud:``;
- preview: Create and Update with ``preview`` answer from the behaviour's previews, calling no API;
- ``customTimeouts``: the request's timeout bounds each wait (``Session.time_limit``);
- Cancel: every operation runs with its own cancel event; :meth:`Provider.cancel` sets those of the
  operations running then, and their waits stop at once (``WaitCancelled``);
- progress lines to the engine, per resource (``engine.py``).

Calls are blocking; ``server.py`` runs each on a thread of its own, so nothing caps how many wait.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from alicloud_cdn_refresh.pulumi.config import make_client
from alicloud_cdn_refresh.pulumi.diffs import DiffOutcome
from alicloud_cdn_refresh.pulumi.identity import Identity
from alicloud_cdn_refresh.pulumi.inputs import CheckOutcome, InputFailure, is_unknown
from alicloud_cdn_refresh.pulumi.operations import BEHAVIOURS, Behaviour, Created, ReadOutcome
from alicloud_cdn_refresh.pulumi.queries import QUERY_ARGUMENTS, query_identity, run_query
from alicloud_cdn_refresh.pulumi.session import Session

from .configuration import NAMESPACE, check_config, client_config, diff_config
from .engine import EngineLog

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["FUNCTION_TOKEN", "Provider", "UnknownToken", "behaviour_of"]

FUNCTION_TOKEN: Final = f"{NAMESPACE}:index:getRefreshTasks"


class UnknownToken(LookupError):
    """A type or function token this provider does not have."""


def _short(token: str) -> str:
    """``alicloud-cdn-refresh:index:CacheRefresh`` (or without ``index``) -> ``CacheRefresh``."""
    package, _, rest = token.partition(":")
    if package != NAMESPACE or not rest:
        raise UnknownToken(f"{token!r} is not a token of the {NAMESPACE} package")
    return rest.removeprefix("index:")


def behaviour_of(type_token: str) -> Behaviour:
    """The behaviour of a resource type token."""
    behaviour = BEHAVIOURS.get(_short(type_token))
    if behaviour is None:
        known = ", ".join(f"{NAMESPACE}:index:{kind}" for kind in BEHAVIOURS)
        raise UnknownToken(f"{type_token!r} is no resource of {NAMESPACE}; known: {known}")
    return behaviour


@dataclass
class Provider:
    """One provider instance: its configuration, its running operations' cancel events, its log."""

    log: EngineLog
    config: dict[str, str] = field(default_factory=dict)
    _running: set[threading.Event] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---------------------------------------------------------------- configuration

    def check_config(self, news: Mapping[str, Any]) -> tuple[dict[str, Any], list[InputFailure]]:
        """Validate the configuration (clear failures naming the key)."""
        return check_config(news)

    def diff_config(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """The keys that changed (never a replacement)."""
        return diff_config(olds, news)

    def configure(self, values: Mapping[str, Any]) -> None:
        """Keep this instance's configuration (credentials are resolved per operation)."""
        self.config = client_config(values)

    # ---------------------------------------------------------------- sessions

    def _connect(self, identity: Identity, product: str) -> CdnClient:
        return make_client(self.config, identity, product=product)

    @contextmanager
    def session(
        self, urn: str, time_limit: float | None = None, cancel: threading.Event | None = None
    ) -> Iterator[Session]:
        """A session for one operation: its own cancel event (registered while it runs, so that
        :meth:`cancel` reaches it), its progress to the engine under ``urn``, the request's timeout
        as its time limit."""
        cancel = cancel if cancel is not None else threading.Event()
        with self._lock:
            self._running.add(cancel)
        try:
            yield Session(
                connect=self._connect,
                report=self.log.reporter(urn),
                cancel=cancel,
                time_limit=time_limit if time_limit and time_limit > 0 else None,
            )
        finally:
            with self._lock:
                self._running.discard(cancel)

    def cancel(self) -> int:
        """Cancel every operation running now; how many there were."""
        with self._lock:
            running = list(self._running)
        for event in running:
            event.set()
        return len(running)

    # ---------------------------------------------------------------- resources

    def check(self, type_token: str, news: Mapping[str, Any]) -> CheckOutcome:
        """Validate a resource's inputs and fill in the defaults."""
        return behaviour_of(type_token).check(news)

    def diff(self, type_token: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffOutcome:
        """Replace on what must wait or submit again; update the rest."""
        return behaviour_of(type_token).diff(olds, news)

    def create(
        self,
        type_token: str,
        urn: str,
        props: Mapping[str, Any],
        *,
        timeout: float,
        preview: bool,
        cancel: threading.Event | None = None,
    ) -> Created:
        """Create (wait, or submit and wait); in a preview, the outputs it will have, no API call."""
        behaviour = behaviour_of(type_token)
        if preview:
            return Created("", behaviour.preview_create(props))
        with self.session(urn, timeout, cancel) as session:
            return behaviour.create(props, session)

    def update(
        self,
        type_token: str,
        urn: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        timeout: float,
        preview: bool,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]:
        """Update in place (resuming what a failed run left); in a preview, no API call."""
        behaviour = behaviour_of(type_token)
        if preview:
            return behaviour.preview_update(olds, news)
        with self.session(urn, timeout, cancel) as session:
            return behaviour.update(id_, olds, news, session)

    def read(self, type_token: str, urn: str, id_: str, props: Mapping[str, Any]) -> ReadOutcome:
        """``pulumi refresh``: the tasks' current state; with no state (an import), the task ids the
        id names."""
        behaviour = behaviour_of(type_token)
        with self.session(urn) as session:
            return behaviour.read(id_, props, session)

    def delete(self, type_token: str, id_: str, props: Mapping[str, Any]) -> None:
        """Nothing remote: a refresh cannot be undone."""
        behaviour_of(type_token).delete(id_, props)

    # ---------------------------------------------------------------- the data source

    def invoke(self, token: str, args: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[InputFailure]]:
        """``getRefreshTasks``: the result, or the arguments refused (an unknown name, a value not
        known yet)."""
        if _short(token) != "getRefreshTasks":
            raise UnknownToken(f"{token!r} is no function of {NAMESPACE}; known: {FUNCTION_TOKEN}")
        known = ", ".join(QUERY_ARGUMENTS)
        failures = [
            InputFailure(name, f"{name} is not an argument of getRefreshTasks; known: {known}")
            for name in args
            if name not in QUERY_ARGUMENTS
        ]
        failures += [
            InputFailure(name, f"{name} is not known yet")
            for name, value in args.items()
            if is_unknown(value)
        ]
        if failures:
            return None, failures
        identity = query_identity(args.get("profile"), args.get("assumeRole"))
        query = {name: value for name, value in args.items() if name not in ("profile", "assumeRole")}
        return run_query(query, self.config, identity), []
