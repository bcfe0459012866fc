"""What one ``cdn-refresh`` run remembers: ``--debug``/``--json``, the client settings of the shared
options (``--product``, ``--profile``, ``--request-timeout``) and the secrets it must mask.

The error handler (:mod:`.errors`) prints through :meth:`CliState.redact`; the client options
register the credentials' secrets here before any request is made, and ``--debug`` logs
(:mod:`.debug_logging`) are masked the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from alicloud_cdn_refresh.cli.debug_logging import DebugLogging

__all__ = ["CliState", "current_state", "enable_debug_logging"]


class CliState:
    """Per-run settings the error handler needs, and the strings it must never print."""

    def __init__(self) -> None:
        self.debug = False
        self.json = False
        self.document_written = False
        """A JSON document is on stdout already: an error after it adds none (one document a run)."""
        self.product: str | None = None
        """``--product`` (or ``$CDN_REFRESH_PRODUCT``): ``cdn`` or ``dcdn``; ``None`` until parsed."""
        self.flags: dict[str, str] = {}
        """API parameter -> the flag the running command spells it with, where that differs from
        :data:`.errors.FLAGS` (``refresh`` calls ``ObjectType`` ``--type``)."""
        self.profile: str | None = None
        """``--profile``: the profile of the shared credentials file to use."""
        self.request_timeout: float | None = None
        """``--request-timeout``: seconds one HTTP request may take (connect, read)."""
        self._debug_logging: DebugLogging | None = None
        self._secrets: set[str] = set()

    def add_secret(self, secret: str | None) -> None:
        """Mask ``secret`` (and its URL-encoded forms) in everything printed from now on."""
        if secret:
            from urllib.parse import quote, quote_plus

            self._secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})

    def redact(self, text: str) -> str:
        """``text`` with every registered secret replaced by ``***``."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return text

    def start_debug_logging(self) -> None:
        """Send the package's and httpx's DEBUG logs to stderr, masked (once per run)."""
        if self.debug:
            return
        from alicloud_cdn_refresh.cli.debug_logging import DebugLogging

        self.debug = True
        self._debug_logging = DebugLogging(self.redact).start()

    def stop_debug_logging(self) -> None:
        """Undo :meth:`start_debug_logging` (the loggers get their levels back)."""
        if self._debug_logging is not None:
            self._debug_logging.stop()
            self._debug_logging = None


def current_state() -> CliState:
    """The state of the running command (a throw-away one outside a run)."""
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(CliState) if ctx is not None else None
    return state if state is not None else CliState()


def enable_debug_logging(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    """Click callback of ``--debug``."""
    if value:
        state = ctx.find_object(CliState)
        if state is not None:
            state.start_debug_logging()
    return value
