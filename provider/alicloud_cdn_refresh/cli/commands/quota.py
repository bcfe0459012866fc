"""``cdn-refresh quota``: today's refresh and preload quotas and what remains."""

from __future__ import annotations

import click

from alicloud_cdn_refresh.cli.options import client_options, json_option, open_client

__all__ = ["quota_command"]


@click.command("quota")
@json_option
@client_options
def quota_command(as_json: bool, endpoint: str | None, signature_version: str) -> None:
    """Show today's refresh and preload quotas and what remains (DescribeRefreshQuota)."""
    from alicloud_cdn_refresh.cli import render

    with open_client(endpoint, signature_version) as client:
        quota = client.describe_refresh_quota()
    if as_json:
        render.dump_json(render.quota_to_json(quota))
    else:
        render.render(render.quota_table(quota))
