"""The dynamic providers of ``RefreshWait`` and ``CacheRefresh``. Never move or rename them.

Why they live here forever: a program pickles a dynamic resource's provider with dill *by
reference* into its ``__provider`` property, i.e. the text ``alicloud_cdn_refresh.pulumi_resources``
plus the class name, and the engine keeps that text in the stack state. Every later ``pulumi up``,
``refresh`` or ``destroy`` starts ``python -m pulumi.dynamic``, which unpickles the stored text
to find the provider. So ``alicloud_cdn_refresh.pulumi_resources.RefreshWaitProvider`` and
``.CacheRefreshProvider`` must resolve to working providers for as long as any stack stores them
(``tests/fixtures/v0_1_0_state.json`` is what v0.1.0 stored; ``tests/pulumi/test_state_compat.py``
drives it). They must also stay stateless: anything on an instance would land in state, and a
client, lock or credential cannot be pickled at all.

So they are thin faces: each call is translated to the one implementation of the resource's
behaviour in :mod:`alicloud_cdn_refresh.pulumi.operations`, and a ``CdnError`` to one clear
message for the engine (:func:`alicloud_cdn_refresh.pulumi.failures.fail`). Credentials and
endpoint come from the stack config the engine hands to ``configure()`` (``alicloud:accessKey``,
``alicloud:secretKey``, ``alicloud:securityToken``, ``alicloud:endpoints``) or the environment,
kept in a per-process store (:mod:`alicloud_cdn_refresh.pulumi.config`); a fresh client is built
inside each operation.

v0.1.0 also defined the resources and a few constants here; they are re-exported for programs
that import them from this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar

import pulumi.dynamic as dynamic

from .errors import CdnError
from .pulumi import config as _pulumi_config
from .pulumi.failures import fail
from .pulumi.inputs import CACHE_REFRESH_ENUMS, DEFAULT_TIMEOUT_SECONDS, OPERATIONS
from .pulumi.operations import CACHE_REFRESH, REFRESH_WAIT, Behaviour, Session
from .pulumi.resources import PULUMI_MODULE, CacheRefresh, RefreshWait

if TYPE_CHECKING:
    from .client.cdn_client import CdnClient

__all__ = [
    "CACHE_REFRESH_ENUMS",
    "DEFAULT_TIMEOUT_SECONDS",
    "OPERATIONS",
    "PULUMI_MODULE",
    "CacheRefresh",
    "CacheRefreshProvider",
    "RefreshWait",
    "RefreshWaitProvider",
]

_PROVIDER_KEY: Final = "__provider"
"""The property pulumi.dynamic keeps the pickled provider in; it is no input of the resource."""

_T = TypeVar("_T")


def _connect() -> CdnClient:
    return _pulumi_config.make_client(_pulumi_config.provider_config())


_SESSION: Final = Session(connect=_connect)
"""Clients from this process's stored stack config; progress on stderr (the engine shows it)."""


def _wire(props: Mapping[str, Any]) -> dict[str, Any]:
    """The resource's own properties, without pulumi.dynamic's ``__provider``."""
    return {key: value for key, value in props.items() if key != _PROVIDER_KEY}


class _DynamicProvider(dynamic.ResourceProvider):
    """Stateless: everything an operation needs comes from its props and the process store."""

    serialize_as_secret_always = True
    behaviour: ClassVar[Behaviour]

    def _run(self, operation: str, action: Callable[[], _T]) -> _T:
        """Run one operation; a CdnError becomes one clear message for the engine."""
        try:
            return action()
        except CdnError as exc:
            fail(self.behaviour.failure_message(operation, exc))

    def configure(self, req: dynamic.ConfigureRequest) -> None:
        """Keep the stack's ``alicloud:*`` config in this process, not on the instance."""
        config = {f"alicloud:{key}": req.config.get(f"alicloud:{key}") for key in _pulumi_config.CONFIG_KEYS}
        _pulumi_config.store_config(config)

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
        created = self._run("create", lambda: self.behaviour.create(_wire(props), _SESSION))
        return dynamic.CreateResult(created.id, created.outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        """Update in place; the outputs are kept (pulumi.dynamic's default update would drop them)."""
        outs = self._run("update", lambda: self.behaviour.update(id_, _wire(olds), _wire(news), _SESSION))
        return dynamic.UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        """``pulumi refresh``: the tasks' current state; the inputs are kept as they were."""
        outcome = self._run("read", lambda: self.behaviour.read(id_, _wire(props), _SESSION))
        return dynamic.ReadResult(outcome.id, outcome.outs, outcome.inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Nothing remote: a refresh cannot be undone, and tasks expire from the API after 3 days."""
        self.behaviour.delete(id_, _wire(props))


class RefreshWaitProvider(_DynamicProvider):
    """Provider of :class:`RefreshWait`: create blocks until every path (or task) is Complete."""

    behaviour = REFRESH_WAIT


class CacheRefreshProvider(_DynamicProvider):
    """Provider of :class:`CacheRefresh`: submit a refresh or preload, then wait unless told not to."""

    behaviour = CACHE_REFRESH
