"""``python -m alicloud_cdn_refresh.plugin ENGINE``: ``pulumi-resource-alicloud-cdn-refresh`` by module."""

from __future__ import annotations

from . import main

main()
