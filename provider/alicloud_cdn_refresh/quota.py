"""DescribeRefreshQuota's answer: today's numbers of each daily quota kind.

The kinds and their API fields (``QUOTA_FIELDS``) are :mod:`.kinds`'s, importable from here too;
both are importable from :mod:`.models`. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .kinds import QUOTA_FIELDS

__all__ = ["QUOTA_FIELDS", "RefreshQuota"]


@dataclass(frozen=True, slots=True)
class RefreshQuota:
    """Daily quotas and what remains of them, as integers.

    The ten fields of the 2018 API are attributes; every further ``*Quota`` / ``*Remain`` number the
    service returns is kept in ``extra`` under its API name, and the current ones are typed
    properties over it: :attr:`ignore_params_quota` / :attr:`ignore_params_remain` (IgnoreParams
    purges) and :attr:`preload_edge_quota` / :attr:`preload_edge_remain` (preloads to L1 POPs),
    ``None`` when the answer did not have them. :meth:`quota_of` and :meth:`remain_of` read any kind.
    """

    url_quota: int
    url_remain: int
    dir_quota: int
    dir_remain: int
    regex_quota: int
    regex_remain: int
    preload_quota: int
    preload_remain: int
    block_quota: int = 0
    block_remain: int = 0
    request_id: str = ""
    extra: dict[str, int] = field(default_factory=dict)
    """Any further ``*Quota`` / ``*Remain`` numbers the service returns, by their API names."""

    @property
    def ignore_params_quota(self) -> int | None:
        """``IgnoreParamsQuota``: IgnoreParams purges allowed today."""
        return self.extra.get("IgnoreParamsQuota")

    @property
    def ignore_params_remain(self) -> int | None:
        """``IgnoreParamsRemain``: IgnoreParams purges left today."""
        return self.extra.get("IgnoreParamsRemain")

    @property
    def preload_edge_quota(self) -> int | None:
        """``PreloadEdgeQuota``: preloads to L1 POPs allowed today."""
        return self.extra.get("PreloadEdgeQuota")

    @property
    def preload_edge_remain(self) -> int | None:
        """``PreloadEdgeRemain``: preloads to L1 POPs left today."""
        return self.extra.get("PreloadEdgeRemain")

    def _field(self, kind: str, suffix: str) -> int | None:
        prefix = QUOTA_FIELDS.get(kind)
        if prefix is None:
            raise ValueError(f"unknown quota kind {kind!r}; use one of: {', '.join(QUOTA_FIELDS)}")
        attribute = f"{kind}_{suffix.lower()}"
        if kind in ("url", "dir", "regex", "preload", "block"):
            value: int | None = getattr(self, attribute)
            return value
        return self.extra.get(prefix + suffix)

    def quota_of(self, kind: str) -> int | None:
        """Today's quota of a kind (``url``, ``dir``, ``regex``, ``preload``, ``block``,
        ``ignore_params``, ``preload_edge``); ``None`` when the answer did not report it."""
        return self._field(kind, "Quota")

    def remain_of(self, kind: str) -> int | None:
        """What remains today of a kind (see :meth:`quota_of`)."""
        return self._field(kind, "Remain")
