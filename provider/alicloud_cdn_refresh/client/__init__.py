"""The client of the CDN refresh/preload API: signed, retried and rate-limited calls over httpx.

Public face: :class:`CdnClient`, :class:`RetryPolicy` and :func:`resolve_endpoint`. The modules
inside are private to this part; credentials are their own part (:mod:`alicloud_cdn_refresh.credentials`).
"""

from __future__ import annotations

from .cdn_client import CdnClient
from .endpoints import resolve_endpoint
from .retry import RetryPolicy

__all__ = ["CdnClient", "RetryPolicy", "resolve_endpoint"]
