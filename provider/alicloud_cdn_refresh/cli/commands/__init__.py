"""The ``cdn-refresh`` commands, one module per command or family; :mod:`..app` lists them and
imports each module when its command is looked up (``cdn-refresh --help`` imports none).

``tasks`` (list), ``wait``, ``submit`` (``refresh`` and ``preload``), ``quota``, ``emulator``
(also ``python -m alicloud_cdn_refresh.emulator``) and ``demo``. Each imports only click and light
modules at the top; the client, the waiter, the emulator and rich are imported when it runs.
"""

from __future__ import annotations

__all__: list[str] = []
