"""Providers: what the signers ask for credentials on every request.

A :class:`CredentialsProvider` has one method, ``get()``. :class:`StaticProvider` wraps a fixed
:class:`~.value.Credentials`; :class:`RenewingProvider` wraps a fetch (STS, ECS metadata, a
credentials URI) and caches its answer until shortly before it expires, so asking on every request
costs a clock read and a lock. Renewal is clock-driven (inject a ``ManualClock`` in tests) and
thread-safe: one thread renews, the others wait for its answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NoReturn, Protocol, runtime_checkable

from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, Clock
from alicloud_cdn_refresh.errors import CredentialsError

from .value import Credentials

__all__ = [
    "RENEW_MARGIN",
    "CredentialsListener",
    "CredentialsProvider",
    "RenewingProvider",
    "StaticProvider",
    "as_provider",
]

log = logging.getLogger(__name__)

RENEW_MARGIN = timedelta(minutes=3)
"""Temporary credentials are renewed this long before they expire (the Go credentials library's
180 s, which the Terraform provider uses), or half their lifetime when that is shorter."""
_LAST_GASP = timedelta(seconds=10)
"""When renewal fails, cached credentials are still used while at least this much validity is left."""

CredentialsListener = Callable[[Credentials], None]
"""Called with every credentials value a provider hands out for the first time (e.g. to mask its
secret in a CLI's output)."""


@runtime_checkable
class CredentialsProvider(Protocol):
    """Anything that hands out current credentials; asked on every request, so it must be cheap."""

    def get(self) -> Credentials:
        """Credentials valid now (fetched or renewed when needed); raises :class:`CredentialsError`."""
        ...


class _Listeners:
    def __init__(self) -> None:
        self._listeners: list[CredentialsListener] = []

    def add_listener(self, listener: CredentialsListener) -> None:
        """Call ``listener`` with every new credentials value (and now with the current one, if any)."""
        self._listeners.append(listener)
        current = self.peek()
        if current is not None:
            listener(current)

    def peek(self) -> Credentials | None:
        """The credentials handed out last, without fetching; ``None`` before the first ``get()``."""
        raise NotImplementedError

    def _notify(self, credentials: Credentials) -> None:
        for listener in list(self._listeners):
            listener(credentials)

    def __reduce__(self) -> NoReturn:
        raise TypeError("credentials providers cannot be pickled: the secret must not leave this process")


class StaticProvider(_Listeners):
    """Always the same credentials (long-term keys, or an STS token someone else renews)."""

    def __init__(self, credentials: Credentials, *, mode: str = "AK") -> None:
        super().__init__()
        self._credentials = credentials
        self.mode = mode
        self.source = credentials.source

    def get(self) -> Credentials:
        """The credentials given."""
        return self._credentials

    def peek(self) -> Credentials:
        """The credentials given."""
        return self._credentials

    def __repr__(self) -> str:
        return f"StaticProvider(access_key_id={self._credentials.access_key_id!r}, mode={self.mode!r})"


class RenewingProvider(_Listeners):
    """Fetch credentials once, hand out the cached value, renew it shortly before it expires.

    ``fetch`` returns :class:`Credentials` (with ``expiration`` for temporary ones; without, the
    value is kept for good). A failed renewal raises :class:`CredentialsError` unless the cached
    value is still valid for a few seconds, in which case it is used and renewal tried again on the
    next ``get()``.
    """

    def __init__(
        self,
        fetch: Callable[[], Credentials],
        *,
        mode: str,
        source: str,
        clock: Clock = SYSTEM_CLOCK,
        margin: timedelta = RENEW_MARGIN,
    ) -> None:
        super().__init__()
        self._fetch = fetch
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._cached: Credentials | None = None
        self._renew_at: datetime | None = None
        self.mode = mode
        """The mode that produced these credentials (``RamRoleArn``, ``EcsRamRole``, ``OIDC`` ...)."""
        self.source = source
        """Where its settings came from, and on top of what (never secret)."""
        self.fetches = 0
        """How many times the credentials were fetched (first fetch and renewals)."""

    def get(self) -> Credentials:
        """The cached credentials, renewed first when they are about to expire."""
        with self._lock:
            cached = self._cached
            now = self._clock.now()
            if cached is not None and (self._renew_at is None or now < self._renew_at):
                return cached
            try:
                fresh = self._fetch()
            except CredentialsError as error:
                if (
                    cached is not None
                    and cached.expiration is not None
                    and now < cached.expiration - _LAST_GASP
                ):
                    log.warning(
                        "credentials: renewing %s credentials failed (%s); using the current ones until %s",
                        self.mode,
                        error.code or type(error).__name__,
                        cached.expiration.isoformat(),
                    )
                    return cached
                raise
            self.fetches += 1
            self._cached = fresh
            self._renew_at = self._renewal_time(fresh, now)
            if cached is not None:
                log.debug("credentials: renewed %s credentials (valid until %s)", self.mode, fresh.expiration)
        self._notify(fresh)
        return fresh

    def _renewal_time(self, credentials: Credentials, now: datetime) -> datetime | None:
        expiration = credentials.expiration
        if expiration is None:
            return None
        lifetime = expiration - now
        margin = min(self._margin, lifetime / 2) if lifetime > timedelta(0) else timedelta(0)
        return expiration - margin

    def peek(self) -> Credentials | None:
        """The cached credentials, without fetching or renewing."""
        with self._lock:
            return self._cached

    @property
    def renew_at(self) -> datetime | None:
        """When the cached credentials will be renewed (``None``: not fetched yet, or never)."""
        with self._lock:
            return self._renew_at

    def __repr__(self) -> str:
        cached = self.peek()
        key = repr(cached.access_key_id) if cached is not None else "not fetched"
        return f"RenewingProvider(mode={self.mode!r}, access_key_id={key})"


def as_provider(credentials: Credentials | CredentialsProvider) -> CredentialsProvider:
    """A provider for either a plain value (wrapped) or a provider (as is)."""
    if isinstance(credentials, Credentials):
        return StaticProvider(credentials, mode="StsToken" if credentials.security_token else "AK")
    if not callable(getattr(credentials, "get", None)):
        raise TypeError(
            "credentials must be a Credentials value or a provider with get(), "
            f"not {type(credentials).__name__}"
        )
    return credentials
