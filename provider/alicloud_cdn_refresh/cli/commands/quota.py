"""``cdn-refresh quota``: today's refresh and preload quotas and what remains."""

from __future__ import annotations

import click

from alicloud_cdn_refresh.cli.options import chosen_product, client_options, json_option, open_client

__all__ = ["quota_command"]


@click.command("quota")
@json_option
@client_options
def quota_command(as_json: bool, endpoint: str | None, signature_version: str) -> None:
    """Show today's refresh and preload quotas and what remains (DescribeRefreshQuota)."""
    from alicloud_cdn_refresh.cli import render

    product = chosen_product()
    with open_client(endpoint, signature_version) as client:
        quota = client.describe_refresh_quota()
    if as_json:
        render.dump_json(render.quota_to_json(quota))  # every kind: null for one the product lacks
    else:  # the kinds the product has (DCDN reports no preload to edge)
        kinds = product.responses.quota_fields
        render.render(render.quota_table(quota, kinds=kinds, title=f"Daily quota ({product.title})"))
