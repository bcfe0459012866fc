"""``python -m alicloud_cdn_refresh``: the same as the ``cdn-refresh`` command."""

from __future__ import annotations

from .cli.app import main

if __name__ == "__main__":
    main()
