"""``cdn-refresh whoami`` (also ``credentials``): which credentials the commands would use, and why.

For debugging a pipeline that acts as the wrong identity: the source and mode the chain chose, why,
every source it looked at, settings present but not used, the masked access key id, the role and,
with ``--fetch``, the temporary key and its expiry. Never a secret, a token or an OIDC token; no
network call without ``--fetch``.
"""

from __future__ import annotations

import click

from alicloud_cdn_refresh.cli.exit_status import ExitStatus, describe_exit_statuses
from alicloud_cdn_refresh.cli.options import debug_option, json_option
from alicloud_cdn_refresh.cli.output import write_json

__all__ = ["credentials_command", "whoami_command"]

JSON_VERSION = 1

_HELP = f"""Show which credentials the other commands would use, and why.

The source and mode chosen (environment keys, a profile of ~/.aliyun/config.json, a role, OIDC,
the ECS instance's role, a credentials URI), why, every source looked at, settings that are set
but not used, the masked access key id, the role and, with --fetch, the expiry of the temporary
credentials. Nothing secret is printed, and nothing is sent over the network unless --fetch.

Exit codes: {describe_exit_statuses(ExitStatus.OK, ExitStatus.USAGE, ExitStatus.API_ERROR)}.
"""


def _whoami(fetch: bool, profile: str | None, as_json: bool) -> ExitStatus:
    from alicloud_cdn_refresh.credentials import describe_credentials

    report = describe_credentials(profile=profile, fetch=fetch)
    if as_json:
        write_json({"version": JSON_VERSION, "credentials": report.as_dict()})
    else:
        click.echo("\n".join(report.lines()))
    return ExitStatus.OK


def _command(name: str, help_text: str, short_help: str) -> click.Command:
    @click.command(name, help=help_text, short_help=short_help)
    @click.option(
        "--fetch",
        is_flag=True,
        help="Obtain the credentials (STS, ECS metadata, a credentials URI) and show the resulting "
        "masked key id and expiry; without it nothing is sent.",
    )
    @click.option(
        "--profile", metavar="NAME", help="Describe this profile of the shared credentials file instead."
    )
    @json_option
    @debug_option
    def command(fetch: bool, profile: str | None, as_json: bool) -> ExitStatus:
        return _whoami(fetch, profile, as_json)

    return command


whoami_command = _command(
    "whoami", _HELP, "Which credentials would be used and why (masked; no network without --fetch)."
)
credentials_command = _command("credentials", _HELP, "The same as whoami.")
