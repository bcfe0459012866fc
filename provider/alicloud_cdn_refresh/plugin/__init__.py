"""The provider plugin ``pulumi-resource-alicloud-cdn-refresh``: the resources for every Pulumi language.

The engine starts the console script with its address and talks the provider protocol to it
(``server.py``); each call is the one behaviour the dynamic resources run too
(``alicloud_cdn_refresh/pulumi/operations.py``), with what only a real provider can add
(``provider.py``): its own configuration per provider instance (``configuration.py``), preview,
``customTimeouts``, Cancel, import, partial state, and no cap on concurrent waits.
"""

from __future__ import annotations

from .server import main

__all__ = ["main"]
