"""An offline emulator of the Alibaba Cloud CDN and DCDN refresh/preload APIs (both on one address;
``emulator.product("dcdn")`` is DCDN's side, with its own tasks and quotas).

Use it in-process as an ``httpx`` transport, or as a real HTTP server::

    from alicloud_cdn_refresh.emulator import Emulator
    from alicloud_cdn_refresh.clock import ManualClock

    emulator = Emulator(clock=ManualClock(), complete_after=30, fail_paths=r"/broken/")
    transport = emulator.transport()          # httpx.Client(transport=transport)
    with emulator.serve() as server:           # http://127.0.0.1:PORT
        ...

Or from a shell: ``cdn-refresh emulator --port 9000`` or ``python -m alicloud_cdn_refresh.emulator
--port 9000``, the same command (``cli/commands/emulator.py``; it prints its URL first). It never
imports the client: the dependency points from the client's tests to it, not back.
"""

from __future__ import annotations

from .core import Emulator
from .faults import FAULT_KINDS, FaultConfig
from .request import EmulatorRequest, EmulatorResponse
from .server import EmulatorServer, is_loopback
from .service import ProductService
from .state import FAILURE_DESCRIPTIONS
from .transport import EmulatorTransport

__all__ = [
    "FAILURE_DESCRIPTIONS",
    "FAULT_KINDS",
    "Emulator",
    "EmulatorRequest",
    "EmulatorResponse",
    "EmulatorServer",
    "EmulatorTransport",
    "FaultConfig",
    "ProductService",
    "is_loopback",
]
