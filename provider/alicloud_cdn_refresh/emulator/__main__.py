"""``python -m alicloud_cdn_refresh.emulator``: serve the emulator until SIGINT/SIGTERM."""

from __future__ import annotations

import sys

from .main import main

if __name__ == "__main__":
    sys.exit(main())
