"""The dynamic providers of ``RefreshWait`` and ``CacheRefresh``: thin faces over the operations.

A program pickles a dynamic resource's provider with dill *by reference* into its ``__provider``
property: the text of the class's ``__module__`` plus its name, which the engine keeps in the stack
state and unpickles in every later ``python -m pulumi.dynamic``. v0.1.0 defined these classes in
``alicloud_cdn_refresh.pulumi_resources``, so both declare that module as their home
(:data:`STATE_MODULE`) and it re-exports them: stored and new state alike name
``alicloud_cdn_refresh.pulumi_resources.RefreshWaitProvider`` / ``.CacheRefreshProvider``, and
those paths resolve forever (``tests/pulumi/test_state_compat.py`` replays what v0.1.0 stored).
The providers stay stateless: anything on an instance would land in state, and a client, lock or
credential cannot be pickled at all.

Each call is translated to the one implementation of the resource's behaviour in
:mod:`.operations`, and a ``CdnError`` to one clear message for the engine (:func:`.failures.fail`);
an :class:`~.outcomes.Incomplete` also hands the engine the resource's partial state, so the next
``pulumi up`` resumes it. Credentials and endpoint come from the stack config the engine hands to
``configure()`` or from the environment, kept in a per-process store (:mod:`.config`), with the
resource's own ``profile`` / ``assumeRole`` on top; a fresh client is built inside each operation.
``configure()`` also lets the host run more than its 4 worker threads (:mod:`.host`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar

import pulumi.dynamic as dynamic

from alicloud_cdn_refresh.errors import CdnError

from . import config as _pulumi_config
from .failures import InitFailure, fail
from .host import lift_worker_limit, wait_slot
from .operations import CACHE_REFRESH, REFRESH_WAIT, Behaviour, Session
from .outcomes import Incomplete

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

    from .identity import Identity

__all__ = ["STATE_MODULE", "CacheRefreshProvider", "RefreshWaitProvider"]

STATE_MODULE: Final = "alicloud_cdn_refresh.pulumi_resources"
"""Where stack state finds the providers: the module each provider class declares as its home."""

_PROVIDER_KEY: Final = "__provider"
"""The property pulumi.dynamic keeps the pickled provider in; it is no input of the resource."""

_T = TypeVar("_T")


def _connect(identity: Identity, product: str) -> CdnClient:
    return _pulumi_config.make_client(_pulumi_config.provider_config(), identity, product=product)


_SESSION: Final = Session(connect=_connect, slot=wait_slot)
"""Clients from this process's stored stack config; progress on stderr (the engine shows it)."""


def _wire(props: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's own properties, without pulumi.dynamic's ``__provider``."""
    return {key: value for key, value in props.items() if key != _PROVIDER_KEY}


class _DynamicProvider(dynamic.ResourceProvider):
    """Stateless: everything an operation needs comes from its props and the process store."""

    serialize_as_secret_always = True
    behaviour: ClassVar[Behaviour]

    def _run(self, operation: str, action: Callable[[], _T], props: Mapping[str, Any]) -> _T:
        """Run one operation; a CdnError becomes one clear message for the engine, and a resource
        left behind (:class:`Incomplete`) is handed to the engine as partial state."""
        try:
            return action()
        except Incomplete as exc:
            message = self.behaviour.failure_message(operation, exc.error)
            note = self.behaviour.incomplete_note(exc)
            kept = {**exc.outs, _PROVIDER_KEY: props.get(_PROVIDER_KEY)}
            fail(message, InitFailure(exc.id, kept, [f"{message}\n{note}"]))
        except CdnError as exc:
            fail(self.behaviour.failure_message(operation, exc))

    def configure(self, req: dynamic.ConfigureRequest) -> None:
        """Keep the stack's ``alicloud:*`` config in this process, not on the instance; let the
        dynamic provider host run more waits at once than its 4 worker threads."""
        config = {f"alicloud:{key}": req.config.get(f"alicloud:{key}") for key in _pulumi_config.CONFIG_KEYS}
        _pulumi_config.store_config(config)
        lift_worker_limit()

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        """Validate the inputs and fill in the defaults."""
        outcome = self.behaviour.check(_wire(news))
        failures = [dynamic.CheckFailure(failure.property, failure.reason) for failure in outcome.failures]
        return dynamic.CheckResult(outcome.inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        """Replace on what must wait or submit again; update the rest."""
        outcome = self.behaviour.diff(_wire(olds), _wire(news))
        return dynamic.DiffResult(
            changes=outcome.changes,
            replaces=list(outcome.replaces),
            delete_before_replace=outcome.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        """Create the resource (wait, or submit and wait)."""
        created = self._run("create", lambda: self.behaviour.create(_wire(props), _SESSION), props)
        return dynamic.CreateResult(created.id, created.outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        """Update in place; the outputs are kept (pulumi.dynamic's default update would drop them)."""
        outs = self._run(
            "update", lambda: self.behaviour.update(id_, _wire(olds), _wire(news), _SESSION), news
        )
        return dynamic.UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        """``pulumi refresh``: the tasks' current state; the inputs are kept as they were."""
        outcome = self._run("read", lambda: self.behaviour.read(id_, _wire(props), _SESSION), props)
        return dynamic.ReadResult(outcome.id, outcome.outs, outcome.inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Nothing remote: a refresh cannot be undone, and tasks expire from the API after 3 days."""
        self.behaviour.delete(id_, _wire(props))


class RefreshWaitProvider(_DynamicProvider):
    """Provider of :class:`RefreshWait`: create blocks until every path (or task) is Complete."""

    __module__ = STATE_MODULE
    behaviour = REFRESH_WAIT


class CacheRefreshProvider(_DynamicProvider):
    """Provider of :class:`CacheRefresh`: submit a refresh or preload, then wait unless told not to."""

    __module__ = STATE_MODULE
    behaviour = CACHE_REFRESH
